import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per app instance (never the global one, so tests can build
 * several apps in one process). Names follow OpenTelemetry semantic conventions where
 * they exist: http.server.request.duration → http_server_request_duration_seconds.
 */
export interface Metrics {
  registry: Registry;
  httpServerDuration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
  /** Login attempts by protocol (oidc, saml), outcome (success, failure) and reason code. */
  loginAttempts: Counter<'protocol' | 'outcome' | 'reason'>;
  /** From the start of a login to its session (or failure), in seconds. */
  loginDuration: Histogram<'protocol' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpServerDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests, by route template (never the raw path).',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
    // OpenTelemetry's recommended boundaries for HTTP durations.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    registers: [registry],
  });
  const loginAttempts = new Counter({
    name: 'latchkey_login_attempts_total',
    help: 'Browser sign-in attempts through an upstream IdP, by protocol, outcome and reason code.',
    labelNames: ['protocol', 'outcome', 'reason'] as const,
    registers: [registry],
  });
  const loginDuration = new Histogram({
    name: 'latchkey_login_duration_seconds',
    help: 'Time from the start of a sign-in to its session or failure.',
    labelNames: ['protocol', 'outcome'] as const,
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  return { registry, httpServerDuration, loginAttempts, loginDuration };
}
