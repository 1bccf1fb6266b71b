import type { RequestHandler } from 'express';
import type { Metrics } from '../metrics/index.js';

/**
 * Times every request into http_server_request_duration_seconds, labelled by the route
 * template that matched ("/api/v1/orgs/:orgId"), never the raw path, so label
 * cardinality stays bounded whatever clients send. Unmatched requests share one label.
 */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const startNs = process.hrtime.bigint();
    res.once('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? req.baseUrl + routePath : 'unmatched';
      metrics.httpServerDuration.observe(
        {
          http_request_method: req.method,
          http_route: route,
          http_response_status_code: String(res.statusCode),
        },
        Number(process.hrtime.bigint() - startNs) / 1e9,
      );
    });
    next();
  };
}
