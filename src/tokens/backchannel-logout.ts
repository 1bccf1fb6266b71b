import { randomUUID } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { KeyRing } from './key-ring.js';
import { signJwt } from './jwt.js';
import type { ClientRegistry } from './ports.js';

/** OIDC Back-Channel Logout 1.0 §2.4: the event that makes a JWT a logout token. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export type LogoutPoster = (
  url: string,
  form: Record<string, string>,
) => Promise<{ status: number }>;

/**
 * When a session ends for any reason, every client it signed in to that registered a
 * back-channel logout URI receives a signed logout token (typ logout+jwt) naming the
 * `sid`. Delivery retries with backoff and never holds up the logout that caused it.
 */
export function createBackchannelLogout(deps: {
  issuer: string;
  keyRing: KeyRing;
  clients: ClientRegistry;
  clientsOfSession: (sessionId: string) => Promise<string[]>;
  post: LogoutPoster;
  clock: Clock;
  onDelivery?: (result: { clientId: string; sid: string; ok: boolean; attempts: number }) => void;
  retryDelaysMs?: number[];
}) {
  const delays = deps.retryDelaysMs ?? [0, 1000, 5000];
  const pending = new Set<Promise<void>>();

  const deliver = async (clientId: string, url: string, sid: string, sub: string) => {
    const iat = Math.floor(deps.clock.nowMs() / 1000);
    const logoutToken = await signJwt(deps.keyRing, 'logout+jwt', {
      iss: deps.issuer,
      aud: clientId,
      iat,
      exp: iat + 120,
      jti: randomUUID(),
      sub,
      sid,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    let attempts = 0;
    for (const delay of delays) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      attempts += 1;
      try {
        const { status } = await deps.post(url, { logout_token: logoutToken });
        // §2.8: 200 means done; 400 means the RP refused it (retrying will not help).
        if (status === 200 || status === 204) {
          deps.onDelivery?.({ clientId, sid, ok: true, attempts });
          return;
        }
        if (status >= 400 && status < 500) break;
      } catch {
        // network failure: retry
      }
    }
    deps.onDelivery?.({ clientId, sid, ok: false, attempts });
  };

  return {
    /** Starts notifying; returns at once. `settled()` waits for every delivery (tests, shutdown). */
    async notify(session: { id: string; userId: string }): Promise<void> {
      for (const clientId of await deps.clientsOfSession(session.id)) {
        const client = await deps.clients.get(clientId);
        if (!client?.backchannelLogoutUri) continue;
        const job = deliver(
          client.id,
          client.backchannelLogoutUri,
          session.id,
          session.userId,
        ).finally(() => pending.delete(job));
        pending.add(job);
      }
    },
    async settled(): Promise<void> {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}

export type BackchannelLogout = ReturnType<typeof createBackchannelLogout>;
