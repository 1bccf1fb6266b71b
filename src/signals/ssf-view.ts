import { EVENT_TYPES, SUPPORTED_EVENT_TYPES } from './security-events.js';
import { DELIVERY, type Stream } from './ssf-stream-store.js';

/** Where the transmitter's endpoints are, under the issuer (docs/revocation-events.md). */
export const SSF_PATHS = {
  configuration: '/.well-known/ssf-configuration',
  streams: '/ssf/streams',
  status: '/ssf/status',
  verify: '/ssf/verify',
  poll: '/ssf/poll',
  events: '/ssf/events',
} as const;

/** The audience a receiver's access token must carry. */
export const ssfAudience = (issuer: string) => `${issuer}/ssf`;

/** SSF 1.0 §8.1.1: how often a receiver may ask for a verification event (seconds). */
export const MIN_VERIFICATION_INTERVAL_S = 10;
/** SSF 1.0 §8.1.1: a stream's configuration as receivers see it (never its authorization). */
export function presentStream(stream: Stream, issuer: string) {
  const delivered = eventsDelivered(stream);
  return {
    stream_id: stream.id,
    iss: issuer,
    aud: stream.clientId,
    delivery: { method: stream.method, endpoint_url: stream.endpointUrl },
    events_supported: SUPPORTED_EVENT_TYPES,
    events_requested: stream.eventsRequested,
    events_delivered: delivered,
    ...(stream.description ? { description: stream.description } : {}),
    min_verification_interval: MIN_VERIFICATION_INTERVAL_S,
  };
}

/** The requested revocation types this transmitter has, plus verification and status. */
export function eventsDelivered(stream: Pick<Stream, 'eventsRequested'>): string[] {
  const requested = stream.eventsRequested.filter((t) => SUPPORTED_EVENT_TYPES.includes(t));
  return [...new Set([...requested, EVENT_TYPES.verification, EVENT_TYPES.streamUpdated])];
}

/** SSF 1.0 §7.1: the transmitter's configuration metadata. */
export function ssfConfiguration(issuer: string) {
  return {
    spec_version: '1_0',
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    delivery_methods_supported: [DELIVERY.push, DELIVERY.poll, DELIVERY.sse],
    configuration_endpoint: issuer + SSF_PATHS.streams,
    status_endpoint: issuer + SSF_PATHS.status,
    verification_endpoint: issuer + SSF_PATHS.verify,
    authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
    default_subjects: 'ALL',
  };
}

/** SSF 1.0 §8.1.2: a stream's status; a push stream that is behind says why. */
export function presentStatus(stream: Stream) {
  const reason =
    stream.statusReason ??
    (stream.failures > 0
      ? `delivery failing (${stream.failures} attempts): ${stream.lastError}`
      : null);
  return { stream_id: stream.id, status: stream.status, ...(reason ? { reason } : {}) };
}

/** What the admin API shows of a stream. */
export function presentAdmin(stream: Stream, issuer: string) {
  return {
    ...presentStream(stream, issuer),
    client_id: stream.clientId,
    status: stream.status,
    status_reason: stream.statusReason,
    disabled_by_admin: stream.disabledByAdmin,
    acknowledged_position: stream.ackedPosition,
    delivery_failures: stream.failures,
    last_error: stream.lastError,
    next_attempt_at:
      stream.method === DELIVERY.push ? new Date(stream.nextAttemptAtMs).toISOString() : null,
    created_at: new Date(stream.createdAtMs).toISOString(),
    updated_at: new Date(stream.updatedAtMs).toISOString(),
  };
}
