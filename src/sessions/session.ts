/**
 * A signed-in employee's session, as stored. Only a SHA-256 of the secret half of the
 * token is kept, so a dump of the store grants nothing.
 */
export interface StoredSession {
  id: string;
  secretHash: string;
  userId: string;
  orgId: string;
  connectionId: string | null;
  /** Authentication methods references (RFC 8176), e.g. ["pwd","mfa"] or ["saml"]. */
  amr: string[];
  /** When the user actually authenticated (seconds since the epoch), OIDC auth_time. */
  authTime: number;
  createdAtMs: number;
  lastSeenAtMs: number;
  idleExpiresAtMs: number;
  absoluteExpiresAtMs: number;
  ip: string | null;
  userAgent: string | null;
  /** The upstream IdP's session handle: OIDC `sid` or SAML SessionIndex (for logout). */
  upstreamSessionId: string | null;
  /** SAML NameID of the subject at the IdP (for SAML Single Logout). */
  upstreamSubject: string | null;
}

export const expiresAtMs = (s: Pick<StoredSession, 'idleExpiresAtMs' | 'absoluteExpiresAtMs'>) =>
  Math.min(s.idleExpiresAtMs, s.absoluteExpiresAtMs);

/** Compact JSON for the store (short names: sessions are many, memory is counted). */
export function encodeSession(s: StoredSession): string {
  return JSON.stringify([
    1,
    s.id,
    s.secretHash,
    s.userId,
    s.orgId,
    s.connectionId,
    s.amr,
    s.authTime,
    s.createdAtMs,
    s.lastSeenAtMs,
    s.idleExpiresAtMs,
    s.absoluteExpiresAtMs,
    s.ip,
    s.userAgent,
    s.upstreamSessionId,
    s.upstreamSubject,
  ]);
}

export function decodeSession(text: string): StoredSession {
  const v = JSON.parse(text) as unknown[];
  if (v[0] !== 1) throw new Error(`unknown session encoding ${String(v[0])}`);
  return {
    id: v[1] as string,
    secretHash: v[2] as string,
    userId: v[3] as string,
    orgId: v[4] as string,
    connectionId: v[5] as string | null,
    amr: v[6] as string[],
    authTime: v[7] as number,
    createdAtMs: v[8] as number,
    lastSeenAtMs: v[9] as number,
    idleExpiresAtMs: v[10] as number,
    absoluteExpiresAtMs: v[11] as number,
    ip: v[12] as string | null,
    userAgent: v[13] as string | null,
    upstreamSessionId: v[14] as string | null,
    upstreamSubject: v[15] as string | null,
  };
}
