import type { RequestListener } from 'node:http';
import express, { type RequestHandler, type Router } from 'express';
import type { Metrics } from '../metrics/index.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { createErrorRenderer, errorStyle } from './error-renderer.js';
import { healthRouter, metricsRouter, type ReadinessCheck } from './health.routes.js';
import { requestId } from './request-id.js';
import { requestMetrics } from './request-metrics.js';
import { listRoutes, type RouteEntry } from './route-table.js';

export interface ManagementAppOptions {
  logger: Logger;
  metrics: Metrics;
  checks: ReadinessCheck[];
  /** Further operators' routes, each declaring its full path: GET /slo. */
  routers?: Router[];
}

export interface ManagementApp {
  listener: RequestListener;
  /** Every route it serves, for checking openapi.yaml (its `servers` override). */
  routes: RouteEntry[];
}

const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}.`, { status: 404 }));
};

/**
 * The management listener (config management.host/port): what operators and Prometheus
 * read, apart from the public listener so that it can stay on a private interface.
 * /metrics and /slo are served here only; /healthz and /readyz here and on the public
 * listener (a load balancer probes that one). Unauthenticated: its protection is where it
 * listens. Requests are counted like the public ones but not logged (a scrape every few
 * seconds would drown the log); errors answer problem+json.
 */
export function createManagementApp(options: ManagementAppOptions): ManagementApp {
  const { logger, metrics } = options;
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use(requestId);
  app.use(requestMetrics(metrics));
  app.use(errorStyle('problem'), (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  const routers = [
    healthRouter({ checks: options.checks }),
    metricsRouter(metrics.registry),
    ...(options.routers ?? []),
  ];
  for (const router of routers) app.use(router);
  app.use(notFound);
  app.use(createErrorRenderer(logger));
  return { listener: app, routes: listRoutes(routers) };
}
