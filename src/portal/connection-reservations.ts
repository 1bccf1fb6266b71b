import { uuidv7 } from '../platform/ids.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { PortalSession } from './portal-session.js';

/**
 * The id of a connection not made yet. The values an admin enters at the IdP (the ACS URL,
 * the OIDC redirect URI) carry the connection's id, so the id is chosen when they are
 * first shown, kept for the portal session and that IdP guide (the same values on every
 * reload, in the ephemeral store until the session ends), and the connection is created
 * with it; then a new one is reserved for the next.
 */
export interface ConnectionReservations {
  /** The id reserved for this session's next connection from this guide (made if none). */
  reserve(session: PortalSession, guide: string, nowMs: number): Promise<string>;
  /** The id reserved, or null (never shown, or used since). */
  peek(session: PortalSession, guide: string): Promise<string | null>;
  /** The connection exists: its id is no longer a reservation. */
  release(session: PortalSession, guide: string): Promise<void>;
}

const reservationKey = (session: PortalSession, guide: string) =>
  `portal:sso-reservation:${session.linkId}:${guide}`;

export function createConnectionReservations(store: EphemeralStore): ConnectionReservations {
  return {
    async reserve(session, guide, nowMs) {
      const key = reservationKey(session, guide);
      const held = await store.get(key);
      if (held) return held;
      const id = uuidv7(nowMs);
      // Two pages shown at once may each reserve one: the form's id must be the one kept.
      await store.put(key, id, Math.max(1000, session.expiresAtMs - nowMs));
      return id;
    },
    peek: (session, guide) => store.get(reservationKey(session, guide)),
    async release(session, guide) {
      await store.delete(reservationKey(session, guide));
    },
  };
}
