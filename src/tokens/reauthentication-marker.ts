import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../platform/crypto/index.js';

/** How long after a forced sign-in started its marker is honoured (a slow login restarts). */
export const REAUTHENTICATION_WINDOW_SECONDS = 600;
/** Clocks of Latchkey's processes may disagree by this much (the marker's time checks). */
const CLOCK_SKEW_SECONDS = 5;

export interface ReauthenticationMarker {
  /** The marker for a forced sign-in that started at `at` (seconds). */
  issue(at: number, clientId: string, challenge: string): string;
  /** When the forced sign-in this marker stands for started, or null if it counts for nothing. */
  readAfter(raw: string | undefined, clientId: string, challenge: string): number | null;
}

/**
 * The marker of a forced sign-in (prompt=login, a too-old max_age), put on the
 * authorization request the browser returns to: `<seconds>.<HMAC(seconds, client)>`,
 * honoured for REAUTHENTICATION_WINDOW_SECONDS; a forged, altered or stale one counts as
 * absent, so prompt=login (or max_age) sends the browser to sign in again. The MAC covers
 * the request's PKCE code_challenge (random per authorization request): a marker copied
 * onto another request counts for nothing.
 */
export function createReauthenticationMarker(
  key: Buffer,
  nowSeconds: () => number,
): ReauthenticationMarker {
  const mac = (at: number, clientId: string, challenge: string) =>
    createHmac('sha256', key)
      .update(`lk_auth_after\0${at}\0${clientId}\0${challenge}`)
      .digest('base64url');
  return {
    issue: (at, clientId, challenge) => `${at}.${mac(at, clientId, challenge)}`,
    readAfter(raw, clientId, challenge) {
      const match = raw === undefined ? null : /^(\d{1,12})\.([\w-]{43})$/.exec(raw);
      if (!match) return null;
      const at = Number(match[1]);
      if (!constantTimeEqual(match[2]!, mac(at, clientId, challenge))) return null;
      // A few seconds of tolerance for clocks of processes that disagree a little.
      const now = nowSeconds();
      if (at > now + CLOCK_SKEW_SECONDS || now - at > REAUTHENTICATION_WINDOW_SECONDS) return null;
      return at;
    },
  };
}
