import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per app instance (never the global one, so tests can build
 * several apps in one process). Names follow OpenTelemetry semantic conventions where
 * they exist: http.server.request.duration → http_server_request_duration_seconds.
 */
export interface Metrics {
  registry: Registry;
  httpServerDuration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
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
  return { registry, httpServerDuration };
}
