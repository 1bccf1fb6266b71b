/**
 * A revocation: something Latchkey issued that must never be honoured again. Sessions
 * (ended for any reason: logout, admin, a user's or an org's sessions, refresh-token
 * reuse), access tokens by jti (RFC 7009), and refresh-token families; and, by issue
 * time, every token of a user, an org or a client issued up to the moment it was revoked
 * (`revokedAtMs`): the cut-off kinds.
 */
export type RevocationKind =
  'session' | 'access_token' | 'refresh_family' | 'user' | 'org' | 'client';

/** The kinds that cut off every token of their subject issued up to revokedAtMs. */
export const CUTOFF_KINDS: ReadonlySet<RevocationKind> = new Set(['user', 'org', 'client']);

/**
 * A cut-off revocation's subject: what it cuts off and when, so each cut-off is its own
 * entry in the log (a user deactivated twice is two entries).
 */
export const cutoffSubject = (id: string, revokedAtMs: number) => `${id}@${revokedAtMs}`;

export interface Revocation {
  kind: RevocationKind;
  /**
   * The session id, the access token's jti, the refresh-token family id; for cut-offs
   * cutoffSubject(user id, org id or client id, revokedAtMs).
   */
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

/** The id a cut-off subject names (cutoffSubject's inverse). */
export const cutoffIdOf = (subject: string) => subject.slice(0, subject.lastIndexOf('@'));

/** A client's latest cut-off (its time, ms, is the value: the mirror keeps the latest). */
export const clientCutoffKey = (clientId: string) => `revoked-client:${clientId}`;

/** The fast copy's key for what introspection and the token checks look up, if any. */
export function tombstoneKey(r: Pick<Revocation, 'kind' | 'subject'>): string | null {
  switch (r.kind) {
    case 'session':
      return `revoked:${r.subject}`;
    case 'access_token':
      return `revoked-jti:${r.subject}`;
    case 'client':
      return clientCutoffKey(cutoffIdOf(r.subject));
    default:
      return null;
  }
}
