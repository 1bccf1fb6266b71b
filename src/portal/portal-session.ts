import { sha256Hex } from '../platform/crypto/index.js';
import { randomToken } from '../platform/ids.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { PortalIntent, PortalLink } from './portal-link.js';

/**
 * A portal session: what one exchanged link lets one browser do, for its org only, until
 * the link's own expiry. Kept in the ephemeral store under a digest of the cookie's
 * value (the value itself is never stored), with a pointer from the link so revoking the
 * link ends the session.
 */
export interface PortalSession {
  /** The link it was opened with: the audit actor's id and the admin API's handle. */
  linkId: string;
  orgId: string;
  intents: PortalIntent[];
  returnUrl: string | null;
  expiresAtMs: number;
}

const sessionKey = (token: string) => `portal:session:${sha256Hex(token)}`;
const linkKey = (linkId: string) => `portal:link-session:${linkId}`;

export interface PortalSessions {
  /** A new session for a just-exchanged link: the cookie value, shown to the browser only. */
  open(link: PortalLink, nowMs: number): Promise<string>;
  /** The session the cookie value opens, or null (absent, expired, or ended). */
  read(token: string, nowMs: number): Promise<PortalSession | null>;
  /** Ends the session a link opened, if any. */
  endForLink(linkId: string): Promise<void>;
}

export function createPortalSessions(store: EphemeralStore): PortalSessions {
  return {
    async open(link, nowMs) {
      const token = randomToken(32);
      const ttlMs = link.expiresAt.getTime() - nowMs;
      const session: PortalSession = {
        linkId: link.id,
        orgId: link.orgId,
        intents: link.intents,
        returnUrl: link.returnUrl,
        expiresAtMs: link.expiresAt.getTime(),
      };
      // Together where the store can (one Redis script): a session without its pointer
      // could not be ended by revoking the link (each request re-reads the link anyway).
      await store.putAll([
        { key: sessionKey(token), value: JSON.stringify(session), ttlMs },
        { key: linkKey(link.id), value: sessionKey(token), ttlMs },
      ]);
      return token;
    },
    async read(token, nowMs) {
      const raw = await store.get(sessionKey(token));
      if (!raw) return null;
      const session = JSON.parse(raw) as PortalSession;
      // The store's TTL runs on its own clock; the session's end is checked on ours too.
      return session.expiresAtMs > nowMs ? session : null;
    },
    async endForLink(linkId) {
      const key = await store.take(linkKey(linkId));
      if (key) await store.delete(key);
    },
  };
}
