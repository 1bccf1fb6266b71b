import { Registry, collectDefaultMetrics, type Counter, type Histogram } from 'prom-client';
import { createBoundedLabel } from './bounded-label.js';
import { declareMetrics } from './declare-metrics.js';

/**
 * One Prometheus registry per app instance (never the global one, so tests can build
 * several apps in one process). Names follow OpenTelemetry semantic conventions where
 * they exist: http.server.request.duration → http_server_request_duration_seconds,
 * db.system.name → db_system_name, error.type → error_type. Latchkey's own measures,
 * for which no convention exists, are prefixed latchkey_.
 *
 * Every label has a bounded set of values: free text (a grant_type a client sends, a
 * reason another process publishes, a connection id) is mapped onto a closed list by the
 * observe* functions below, which callers use instead of the raw instruments.
 */
export interface Metrics {
  registry: Registry;
  httpServerDuration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
  /** Login attempts by protocol (oidc, saml), outcome (success, failure) and reason code. */
  loginAttempts: Counter<'protocol' | 'outcome' | 'reason'>;
  /** Logins begun (sent to the IdP), by protocol: a begin writes no audit row, only this. */
  loginStarts: Counter<'protocol'>;
  /** From the start of a login to its session (or failure), in seconds. */
  loginDuration: Histogram<'protocol' | 'outcome'>;
  /** The token endpoint, client authentication included, by grant type and outcome. */
  tokenDuration: Histogram<'grant_type' | 'outcome'>;
  /** The introspection endpoint (RFC 7662), client authentication included. */
  introspectionDuration: Histogram<'outcome'>;
  /** Sessions ended (logout, admin, eviction, …), counted once, where they end. */
  revocations: Counter<'reason'>;
  /** now − atMs of each revocation event, measured where a process receives it. */
  revocationPropagationDelay: Histogram<string>;
  /** Errors of Latchkey's stores: client error events and failed queries. */
  dbClientErrors: Counter<'db_system_name' | 'error_type'>;
  /** Requests to upstream IdPs (discovery, token, JWKS); per connection only when opted in. */
  upstreamIdpDuration: Histogram<string>;

  observeTokenRequest(grantType: unknown, statusCode: number, seconds: number): void;
  observeIntrospection(statusCode: number, seconds: number): void;
  countRevocation(reason: string): void;
  observeRevocationReceived(event: { atMs: number }, nowMs: number): void;
  countDbError(system: DbSystem, errorType: DbErrorType): void;
  observeUpstreamIdpRequest(
    request: { connectionId: string; protocol: 'oidc' | 'saml'; ok: boolean },
    seconds: number,
  ): void;
}

export type DbSystem = 'postgresql' | 'redis';
/**
 * connection: the store could not be reached; timeout: a statement or command ran out of
 * time; commit_outcome_unknown: a COMMIT (or a write outside a transaction) was sent and its
 * answer lost (it may have applied).
 */
export type DbErrorType =
  | 'connection'
  | 'timeout'
  | 'constraint'
  | 'transaction'
  | 'resources'
  | 'query'
  | 'commit_outcome_unknown';

export interface MetricsOptions {
  /**
   * Upstream IdP latency labelled by connection: off by default (one series per protocol
   * and outcome); when on, the first maxConnections connections seen get a label of
   * their own and every later one shares connection="other".
   */
  upstreamIdpByConnection?: { enabled: boolean; maxConnections: number };
  /**
   * The token endpoint's grant types (tokens/ GRANT_TYPES, given by the composition
   * root): the grant_type label's values; anything else is counted as "other".
   */
  grantTypes?: readonly string[];
}

/**
 * Buckets of the latency histograms that SLOs are declared on (config/slo.yaml): an SLO
 * "fraction of requests faster than X" is read off the bucket le="X", so every threshold
 * must be one of these boundaries (the SLO loader checks it).
 */
export const ENDPOINT_LATENCY_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/** The histograms config/slo.yaml may declare latency SLOs on, with their buckets. */
export const SLO_HISTOGRAM_BUCKETS: Record<string, readonly number[]> = {
  latchkey_oauth_token_duration_seconds: ENDPOINT_LATENCY_BUCKETS_SECONDS,
  latchkey_oauth_introspection_duration_seconds: ENDPOINT_LATENCY_BUCKETS_SECONDS,
  // OpenTelemetry's recommended boundaries for HTTP durations.
  http_server_request_duration_seconds: [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
  ],
};

const END_REASONS = new Set([
  'logout',
  'admin',
  'user_ended',
  'evicted',
  'user_deactivated',
  'user_deleted',
  'org_deleted',
  'upstream_logout',
  'reauthenticated',
  'refresh_token_reuse',
  'authorization_code_reuse',
]);

const outcomeOf = (statusCode: number) =>
  statusCode >= 500 ? 'server_error' : statusCode >= 400 ? 'client_error' : 'success';

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const grantTypes = new Set(options.grantTypes ?? []);
  collectDefaultMetrics({ register: registry });
  const metric = declareMetrics(registry);
  /** A latency histogram SLOs may be declared on, with the buckets SLO_HISTOGRAM_BUCKETS gives it. */
  const sloHistogram = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    metric.histogram(name, help, SLO_HISTOGRAM_BUCKETS[name]!, labelNames);
  const httpServerDuration = sloHistogram(
    'http_server_request_duration_seconds',
    'Duration of HTTP server requests, by route template (never the raw path).',
    ['http_request_method', 'http_route', 'http_response_status_code'],
  );
  const loginAttempts = metric.counter(
    'latchkey_login_attempts_total',
    'Browser sign-in attempts through an upstream IdP, by protocol, outcome and reason code.',
    ['protocol', 'outcome', 'reason'],
  );
  const loginStarts = metric.counter(
    'latchkey_login_starts_total',
    'Browser sign-ins begun (the browser sent to its upstream IdP), by protocol.',
    ['protocol'],
  );
  const loginDuration = metric.histogram(
    'latchkey_login_duration_seconds',
    'Time from the start of a sign-in to its session or failure.',
    [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    ['protocol', 'outcome'],
  );
  const tokenDuration = sloHistogram(
    'latchkey_oauth_token_duration_seconds',
    'Duration of token endpoint requests (client authentication included), by grant_type (the grant types the token endpoint supports, or other) and outcome (success, client_error, server_error).',
    ['grant_type', 'outcome'],
  );
  const introspectionDuration = sloHistogram(
    'latchkey_oauth_introspection_duration_seconds',
    'Duration of token introspection requests (client authentication included), by outcome.',
    ['outcome'],
  );
  const revocations = metric.counter(
    'latchkey_session_revocations_total',
    'Sessions ended before their expiry, by reason (logout, admin, evicted, …; other for unknown).',
    ['reason'],
  );
  const revocationPropagationDelay = metric.histogram(
    'latchkey_session_revocation_propagation_delay_seconds',
    'Time from a session ending to this process receiving its revocation event.',
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  const dbClientErrors = metric.counter(
    'latchkey_db_client_errors_total',
    'Errors of the PostgreSQL and Redis clients (error events, failed queries), by db_system_name and error_type.',
    ['db_system_name', 'error_type'],
  );
  const byConnection = options.upstreamIdpByConnection?.enabled ?? false;
  const upstreamIdpDuration = metric.histogram(
    'latchkey_upstream_idp_request_duration_seconds',
    byConnection
      ? 'Duration of requests to upstream IdPs, by protocol, outcome and connection (bounded: the rest share "other").'
      : 'Duration of requests to upstream IdPs, by protocol and outcome.',
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    byConnection ? ['protocol', 'outcome', 'connection'] : ['protocol', 'outcome'],
  );
  const connectionLabel = createBoundedLabel(
    byConnection ? (options.upstreamIdpByConnection?.maxConnections ?? 0) : 0,
  );

  return {
    registry,
    httpServerDuration,
    loginAttempts,
    loginStarts,
    loginDuration,
    tokenDuration,
    introspectionDuration,
    revocations,
    revocationPropagationDelay,
    dbClientErrors,
    upstreamIdpDuration,
    observeTokenRequest(grantType, statusCode, seconds) {
      const grant =
        typeof grantType === 'string' && grantTypes.has(grantType) ? grantType : 'other';
      tokenDuration.observe({ grant_type: grant, outcome: outcomeOf(statusCode) }, seconds);
    },
    observeIntrospection(statusCode, seconds) {
      introspectionDuration.observe({ outcome: outcomeOf(statusCode) }, seconds);
    },
    countRevocation(reason) {
      revocations.inc({ reason: END_REASONS.has(reason) ? reason : 'other' });
    },
    observeRevocationReceived(event, nowMs) {
      // Clocks of two hosts may disagree a little: a negative delay is recorded as 0.
      revocationPropagationDelay.observe(Math.max(0, nowMs - event.atMs) / 1000);
    },
    countDbError(system, errorType) {
      dbClientErrors.inc({ db_system_name: system, error_type: errorType });
    },
    observeUpstreamIdpRequest(request, seconds) {
      const labels: Record<string, string> = {
        protocol: request.protocol,
        outcome: request.ok ? 'success' : 'failure',
      };
      if (byConnection) labels.connection = connectionLabel(request.connectionId);
      upstreamIdpDuration.observe(labels, seconds);
    },
  };
}
