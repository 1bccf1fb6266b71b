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
  /**
   * The level of assurance the IdP proved (urn:latchkey:loa:…), or null when nothing it
   * said is known (sessions stored before it was kept read as null too).
   */
  acr: string | null;
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

/**
 * Compact JSON for the store (positions, not names: sessions are many, memory is counted).
 * Version 2 leaves out the org id (every key of a session names it) and keeps the secret's
 * digest as base64url rather than hex; version 1 values, written before, still read.
 */
export function encodeSession(s: StoredSession): string {
  return JSON.stringify([
    2,
    s.id,
    Buffer.from(s.secretHash, 'hex').toString('base64url'),
    s.userId,
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
    s.acr,
  ]);
}

/** The session stored as text under the given org (see encodeSession). */
export function decodeSession(text: string, orgId: string): StoredSession {
  const v = JSON.parse(text) as unknown[];
  if (v[0] === 1) v.splice(4, 1);
  else if (v[0] === 2) v[2] = Buffer.from(v[2] as string, 'base64url').toString('hex');
  else throw new Error(`unknown session encoding ${String(v[0])}`);
  return {
    id: v[1] as string,
    secretHash: v[2] as string,
    userId: v[3] as string,
    orgId,
    connectionId: v[4] as string | null,
    amr: v[5] as string[],
    authTime: v[6] as number,
    createdAtMs: v[7] as number,
    lastSeenAtMs: v[8] as number,
    idleExpiresAtMs: v[9] as number,
    absoluteExpiresAtMs: v[10] as number,
    ip: v[11] as string | null,
    userAgent: v[12] as string | null,
    upstreamSessionId: v[13] as string | null,
    upstreamSubject: v[14] as string | null,
    acr: (v[15] as string | null | undefined) ?? null,
  };
}
