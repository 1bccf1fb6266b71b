import type { RequestListener } from 'node:http';
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Config } from '../platform/config/index.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../metrics/index.js';
import { adminAuth, type AdminDoors } from './admin-auth.js';
import type { FormEndpoint } from '../platform/form-endpoint.js';
import { createErrorRenderer, errorStyle, type ErrorRendererOptions } from './error-renderer.js';
import { captureHeaders, withFormEndpoints } from './form-endpoints.js';
import { healthRouter, type ReadinessCheck } from './health.routes.js';
import { requestId } from './request-id.js';
import { requestMetrics } from './request-metrics.js';
import { STYLESHEET } from './views/stylesheet.js';
import { pageLocale } from './i18n/page-text.js';

export interface HttpAppOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  checks: ReadinessCheck[];
  /** Mounted under /api/v1 behind API-key authentication: JSON bodies, problem+json errors. */
  apiRouters?: Router[];
  /** Verifies an admin API key; what it returns becomes res.locals.principal. */
  authenticate?: (presented: string) => Promise<unknown>;
  /** The admin API's rate limit per key and the backoff of failed key checks. */
  adminDoors?: AdminDoors;
  /** Mounted at the root: protocol endpoints and pages; each marks its own error style. */
  rootRouters?: Router[];
  /** POST form endpoints served ahead of Express (token, introspection, revocation). */
  formEndpoints?: FormEndpoint[];
  /**
   * Admin API paths (under /api/v1) whose JSON bodies may exceed server.bodyLimitBytes,
   * with their own limit: a connection carrying SAML metadata XML, say.
   */
  largeBodies?: Array<{ path: RegExp; limitBytes: number }>;
  /**
   * Admin API paths (under /api/v1) whose bodies are raw bytes, not JSON (an org's logo),
   * up to their own limit: read as a Buffer whatever the Content-Type; the route checks it.
   */
  rawBodies?: Array<{ path: RegExp; limitBytes: number }>;
  /** An org's look on the error pages of its employees (none: the default look). */
  pageBranding?: ErrorRendererOptions['pageBranding'];
}

/** Bodies with content must say they are JSON; anything else is 415, not a guess. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    next(
      new AppError('unsupported_media_type', 'Send the request body as application/json.', {
        status: 415,
        headers: { 'Accept-Post': 'application/json', 'Accept-Patch': 'application/json' },
      }),
    );
    return;
  }
  next();
};

/** Says nothing of the routes to whoever reads it (issue 20); the log line has the request. */
const notFound: RequestHandler = (req, _res, next) => {
  next(
    new AppError('not_found', 'There is nothing at this address.', {
      status: 404,
      detail: `no route for ${req.method} ${req.path}`,
    }),
  );
};

/**
 * Routes createHttpApp itself serves, beside the routers it is given. /metrics and /slo
 * are not among them: they are the management listener's (management-app.ts).
 */
export const OPERATIONAL_ROUTES = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
];

export function createHttpApp(options: HttpAppOptions): RequestListener {
  const { config, logger, metrics } = options;
  const httpsIssuer = config.server.issuer.startsWith('https:');
  const app = express();
  app.set('trust proxy', config.server.trustProxy);
  app.set('json escape', true);
  app.set('etag', false);
  app.disable('x-powered-by');

  app.use(requestId);
  // Request logs at info; below that level pino-http is left out of the hot path entirely.
  if (logger.isLevelEnabled('info'))
    app.use(
      pinoHttp({
        logger,
        genReqId: (_req, res) => String((res as express.Response).locals.requestId),
        autoLogging: {
          // Probes are not logged; a request for /metrics here (a 404) is.
          ignore: (req) => ['/healthz', '/readyz'].includes(req.url ?? ''),
        },
        customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
        // Query strings can carry codes and tokens: log the path only.
        serializers: {
          req: (req: { method: string; url: string; id: string }) => ({
            id: req.id,
            method: req.method,
            path: req.url.split('?')[0],
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      }),
    );
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(httpsIssuer ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: httpsIssuer ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.use(securityHeaders);
  app.use(requestMetrics(metrics));
  // Identity responses are never cached unless a route says otherwise.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  app.use(healthRouter({ checks: options.checks }));
  app.get('/assets/latchkey.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(STYLESHEET);
  });

  const api = Router();
  api.use(errorStyle('problem'));
  // Authentication first: nothing of an unauthenticated request is parsed.
  if (options.authenticate) api.use(adminAuth(options.authenticate, options.adminDoors));
  const json = express.json({ limit: config.server.bodyLimitBytes, strict: true });
  const largeJson = (options.largeBodies ?? []).map(({ path, limitBytes }) => ({
    path,
    parse: express.json({
      limit: Math.max(limitBytes, config.server.bodyLimitBytes),
      strict: true,
    }),
  }));
  const raw = (options.rawBodies ?? []).map(({ path, limitBytes }) => ({
    path,
    parse: express.raw({ type: () => true, limit: limitBytes }),
  }));
  api.use((req, res, next) => {
    const rawParser = raw.find((r) => r.path.test(req.path))?.parse;
    if (rawParser) {
      rawParser(req, res, next);
      return;
    }
    requireJsonBody(req, res, (error?: unknown) => {
      if (error) next(error);
      else (largeJson.find((l) => l.path.test(req.path))?.parse ?? json)(req, res, next);
    });
  });
  for (const router of options.apiRouters ?? []) api.use(router);
  api.use(notFound);
  app.use('/api/v1', api);

  // The pages' language (login, account, errors): negotiated where a page is rendered.
  app.use(pageLocale({ defaultLocale: config.pages.defaultLocale, secure: httpsIssuer }));
  for (const router of options.rootRouters ?? []) app.use(router);
  app.use(notFound);
  app.use(createErrorRenderer(logger, { pageBranding: options.pageBranding }));

  const formEndpoints = options.formEndpoints ?? [];
  if (formEndpoints.length === 0) return app;
  return withFormEndpoints({
    endpoints: formEndpoints,
    fallback: app,
    securityHeaders: captureHeaders(securityHeaders),
    bodyLimitBytes: config.server.bodyLimitBytes,
    trustProxy: app.get('trust proxy fn') as Parameters<typeof withFormEndpoints>[0]['trustProxy'],
    logger,
    metrics,
  });
}
