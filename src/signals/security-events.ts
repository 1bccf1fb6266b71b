import { cutoffIdOf, type RecordedRevocation } from './revocation.js';

/**
 * Revocations as Security Event Tokens (RFC 8417) for Shared Signals receivers: the event
 * types, subjects (RFC 9493 / SSF 1.0 §3) and payloads of docs/revocation-events.md.
 * Pure: the claims only; signing is a port (SetSigner), the token domain's keys.
 */
export const EVENT_TYPES = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  tokenRevoked: 'https://schemas.latchkey.dev/secevent/token-revoked',
  sessionsRevoked: 'https://schemas.latchkey.dev/secevent/sessions-revoked',
  verification: 'https://schemas.openid.net/secevent/ssf/event-type/verification',
  streamUpdated: 'https://schemas.openid.net/secevent/ssf/event-type/stream-updated',
} as const;

/** The revocation event types a stream may ask for (verification and status always come). */
export const REVOCATION_EVENT_TYPES: readonly string[] = [
  EVENT_TYPES.sessionRevoked,
  EVENT_TYPES.credentialChange,
  EVENT_TYPES.tokenRevoked,
  EVENT_TYPES.sessionsRevoked,
];
export const SUPPORTED_EVENT_TYPES: readonly string[] = [
  ...REVOCATION_EVENT_TYPES,
  EVENT_TYPES.verification,
  EVENT_TYPES.streamUpdated,
];

/** Signs SET claims as a compact JWS, `typ: secevent+jwt`, with Latchkey's active key. */
export type SetSigner = (claims: Record<string, unknown>) => Promise<string>;

/** The event of a SET: its type, its subject and its payload. */
export interface SecurityEvent {
  type: string;
  subId: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const opaque = (id: string) => ({ format: 'opaque', id });

/** CAEP §2: who caused it. */
function initiatingEntity(reason: string): 'admin' | 'user' | 'policy' | 'system' {
  if (['logout', 'user_ended', 'upstream_logout', 'reauthenticated'].includes(reason))
    return 'user';
  if (reason.endsWith('_reuse') || reason === 'evicted') return 'policy';
  if (reason === 'revoked_by_client') return 'system';
  return 'admin';
}

/** The event a revocation is to receivers, or null for what no receiver sees (refresh families). */
export function revocationEvent(r: RecordedRevocation): SecurityEvent | null {
  const common = {
    event_timestamp: r.revokedAtMs / 1000,
    initiating_entity: initiatingEntity(r.reason),
    reason_admin: { en: r.reason },
  };
  const tenant = r.orgId ? { tenant: opaque(r.orgId) } : {};
  switch (r.kind) {
    case 'session':
      return {
        type: EVENT_TYPES.sessionRevoked,
        subId: {
          format: 'complex',
          session: opaque(r.subject),
          ...(r.userId ? { user: opaque(r.userId) } : {}),
          ...tenant,
        },
        payload: common,
      };
    case 'access_token':
      return { type: EVENT_TYPES.tokenRevoked, subId: opaque(r.subject), payload: common };
    case 'user':
      return {
        type: EVENT_TYPES.sessionsRevoked,
        subId: { format: 'complex', user: opaque(r.userId ?? cutoffIdOf(r.subject)), ...tenant },
        payload: common,
      };
    case 'org':
      return {
        type: EVENT_TYPES.sessionsRevoked,
        subId: { format: 'complex', tenant: opaque(r.orgId ?? cutoffIdOf(r.subject)) },
        payload: common,
      };
    case 'client':
      return {
        type: EVENT_TYPES.credentialChange,
        subId: { format: 'complex', application: opaque(r.clientId ?? cutoffIdOf(r.subject)) },
        payload: {
          ...common,
          credential_type: 'client_secret',
          change_type: r.reason === 'client_deleted' ? 'delete' : 'revoke',
        },
      };
    case 'refresh_family':
      return null;
  }
}

/** A revocation's SET jti: the same event has the same jti on every stream. */
export const revocationJti = (position: number) => `rev-${position}`;

/** The claims of a SET carrying one event to one receiver. */
export function setClaims(
  issuer: string,
  audience: string,
  jti: string,
  event: SecurityEvent,
  nowMs: number,
): Record<string, unknown> {
  return {
    iss: issuer,
    aud: audience,
    iat: Math.floor(nowMs / 1000),
    jti,
    sub_id: event.subId,
    events: { [event.type]: event.payload },
  };
}
