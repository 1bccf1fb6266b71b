import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { KeyResolver } from './key-resolver.js';
import type { Revocation } from './validator-types.js';

export const EVENT_TYPES = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  tokenRevoked: 'https://schemas.latchkey.dev/secevent/token-revoked',
  sessionsRevoked: 'https://schemas.latchkey.dev/secevent/sessions-revoked',
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  verification: 'https://schemas.openid.net/secevent/ssf/event-type/verification',
  streamUpdated: 'https://schemas.openid.net/secevent/ssf/event-type/stream-updated',
} as const;
const KNOWN_TYPES = new Set<string>(Object.values(EVENT_TYPES));

/** A SET that is not applied, and why. */
export class IgnoredSetError extends Error {
  constructor(
    readonly reason:
      'invalid_signature_or_claims' | 'not_one_event' | 'unknown_event_type' | 'malformed_event',
    message: string,
  ) {
    super(message);
    this.name = 'IgnoredSetError';
  }
}

/**
 * What jwtVerify throws when the SET itself is bad (signature, algorithm, header, claims):
 * it is ignored. Anything else — the JWKS could not be fetched, or holds no key of that
 * kid yet (a rotation within jose's refetch cooldown) — says nothing of the SET, which is
 * then not skipped: the feed fails and resumes from before it.
 */
const SET_IS_BAD = [
  joseErrors.JWSSignatureVerificationFailed,
  joseErrors.JWTClaimValidationFailed,
  joseErrors.JWTInvalid,
  joseErrors.JWSInvalid,
  joseErrors.JOSEAlgNotAllowed,
  joseErrors.JOSENotSupported,
];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The opaque id of `subject[member]` (RFC 9493 complex subject), or undefined. */
function opaqueId(subject: Json, member: string): string | undefined {
  const part = subject[member];
  if (!isObject(part) || part.format !== 'opaque' || typeof part.id !== 'string') return undefined;
  return part.id || undefined;
}

function malformed(type: string, what: string): never {
  throw new IgnoredSetError('malformed_event', `${type}: ${what}`);
}

/** The revocation an event says, or null for events that revoke nothing. */
function decodeEvent(type: string, event: Json, subject: Json): Revocation | null {
  if (type === EVENT_TYPES.verification || type === EVENT_TYPES.streamUpdated) return null;
  const eventTimestamp = event.event_timestamp;
  if (typeof eventTimestamp !== 'number' || !Number.isFinite(eventTimestamp))
    malformed(type, 'no numeric event_timestamp');
  switch (type) {
    case EVENT_TYPES.sessionRevoked: {
      const sid = subject.format === 'complex' ? opaqueId(subject, 'session') : undefined;
      if (!sid) malformed(type, 'sub_id has no session');
      return { kind: 'session', sid, eventTimestamp };
    }
    case EVENT_TYPES.tokenRevoked: {
      if (subject.format !== 'opaque' || typeof subject.id !== 'string' || !subject.id)
        malformed(type, 'sub_id is not an opaque token id');
      return { kind: 'token', jti: subject.id, eventTimestamp };
    }
    case EVENT_TYPES.sessionsRevoked: {
      const orgId = subject.format === 'complex' ? opaqueId(subject, 'tenant') : undefined;
      if (!orgId) malformed(type, 'sub_id has no tenant');
      if (subject.user === undefined) return { kind: 'org', orgId, eventTimestamp };
      const sub = opaqueId(subject, 'user');
      if (!sub) malformed(type, 'sub_id has a user without an opaque id');
      return { kind: 'user', sub, orgId, eventTimestamp };
    }
    case EVENT_TYPES.credentialChange: {
      // Only a revoked or deleted client secret ends the client's tokens; a created or
      // updated credential leaves the tokens issued before it good.
      if (event.change_type !== 'revoke' && event.change_type !== 'delete') return null;
      const clientId = subject.format === 'complex' ? opaqueId(subject, 'application') : undefined;
      if (!clientId) malformed(type, 'sub_id has no application');
      return { kind: 'client', clientId, eventTimestamp };
    }
    default:
      throw new IgnoredSetError('unknown_event_type', `Unknown event type ${type}`);
  }
}

/**
 * Verifies a Security Event Token (RFC 8417) from Latchkey's transmitter and decodes its
 * one event: signed by a key of Latchkey's JWKS with an allowed algorithm, `typ:
 * secevent+jwt`, `iss` the issuer, `aud` this receiver's client id, exactly one event of a
 * type the contract (docs/revocation-events.md) names. Anything else throws
 * IgnoredSetError: the SET is not applied.
 */
export async function decodeSecurityEventToken(
  set: string,
  context: { keyFor: KeyResolver; issuer: string; clientId: string; algorithms: string[] },
): Promise<{ jti: string | undefined; type: string; revocation: Revocation | null }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(set, context.keyFor, {
      issuer: context.issuer,
      audience: context.clientId,
      typ: 'secevent+jwt',
      algorithms: context.algorithms,
      requiredClaims: ['iss', 'aud', 'iat', 'jti'],
    }));
  } catch (error) {
    if (!SET_IS_BAD.some((bad) => error instanceof bad)) throw error;
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new IgnoredSetError('invalid_signature_or_claims', `SET not verified (${why})`);
  }
  const events = payload.events;
  const types = isObject(events) ? Object.keys(events) : [];
  if (!isObject(events) || types.length !== 1)
    throw new IgnoredSetError('not_one_event', `SET has ${types.length} events, not one`);
  const type = types[0]!;
  if (!KNOWN_TYPES.has(type))
    throw new IgnoredSetError('unknown_event_type', `Unknown event type ${type}`);
  const event = events[type];
  const subject = payload.sub_id;
  if (!isObject(event)) malformed(type, 'event payload is not an object');
  if (!isObject(subject)) malformed(type, 'no sub_id');
  return { jti: payload.jti, type, revocation: decodeEvent(type, event, subject) };
}
