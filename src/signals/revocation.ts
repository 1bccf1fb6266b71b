/**
 * A revocation: something Latchkey issued that must never be honoured again. Sessions
 * (ended for any reason: logout, admin, a user's or an org's sessions, refresh-token
 * reuse), access tokens by jti (RFC 7009), and refresh-token families.
 */
export type RevocationKind = 'session' | 'access_token' | 'refresh_family';

export interface Revocation {
  kind: RevocationKind;
  /** The session id, the access token's jti, or the refresh-token family id. */
  subject: string;
  orgId: string | null;
  userId: string | null;
  clientId: string | null;
  reason: string;
  revokedAtMs: number;
  /**
   * When nothing it cuts off can be alive any more (a session's absolute end, an access
   * token's exp, a refresh token's expiry), plus the tolerance validators allow; until
   * then it is in force.
   */
  expiresAtMs: number;
}

/** A revocation as the durable log holds it: its position orders the log. */
export interface RecordedRevocation extends Revocation {
  position: number;
}

/** The fast copy's key for what validators and introspection look up, if any. */
export function tombstoneKey(r: Pick<Revocation, 'kind' | 'subject'>): string | null {
  switch (r.kind) {
    case 'session':
      return `revoked:${r.subject}`;
    case 'access_token':
      return `revoked-jti:${r.subject}`;
    case 'refresh_family':
      return null;
  }
}
