import type { RequestListener } from 'node:http';
import type { RouteEntry } from './http/route-table.js';
import type { Metrics } from './metrics/index.js';
import type { TxtResolver } from './orgs/index.js';
import type { Config } from './platform/config/index.js';
import type { Clock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';
import { buildRouters } from './composition/build-routers.js';
import { buildServices, type Services } from './composition/build-services.js';
import { openStores, type Stores } from './composition/open-stores.js';
import { createRuntime } from './composition/runtime.js';
import { startJobs, type Jobs } from './composition/start-jobs.js';

export { auditLogFor } from './composition/build-services.js';
export { openDatabase } from './composition/open-stores.js';
export { keyServices } from './composition/signing-keys.js';

/** What the app exposes of its services (tests, the CLI, benchmarks use them directly). */
const SERVICES = [
  'keyManager',
  'keyRing',
  'audit',
  'auditQuery',
  'webhooks',
  'orgs',
  'branding',
  'apiKeys',
  'users',
  'clients',
  'domains',
  'connections',
  'connectionTests',
  'portalLinks',
  'directories',
  'sessions',
  'oauth',
  'backchannel',
  'cookie',
  'ssf',
] as const satisfies ReadonlyArray<keyof Services>;

/** The background jobs it exposes, each with runOnce for tests. */
const JOBS = [
  'auditRelay',
  'webhookSender',
  'samlMetadataRefresh',
  'auditRetention',
  'tableMaintenance',
  'revocationFeed',
  'ssfPush',
] as const satisfies ReadonlyArray<keyof Jobs>;

const pick = <T, K extends keyof T>(from: T, keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;

/**
 * The composition root (this file and its steps in src/composition/): the only place that
 * picks concrete adapters (Postgres or PGlite, Redis or memory) and wires services
 * together. Everything else receives its dependencies.
 */
export interface App
  extends Stores, Pick<Services, (typeof SERVICES)[number]>, Pick<Jobs, (typeof JOBS)[number]> {
  config: Config;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  /** The request listener: form endpoints first, then Express. */
  http: RequestListener;
  /** Every route served, for checking openapi.yaml against reality. */
  routes: RouteEntry[];
  /**
   * The management listener's (config management.host/port): /metrics and /slo, which the
   * public listener answers 404, and /healthz, /readyz, which both serve.
   */
  management: RequestListener;
  managementRoutes: RouteEntry[];
  close(): Promise<void>;
}

export interface AppDeps {
  logger?: Logger;
  clock?: Clock;
  /** DNS TXT lookups for domain verification; tests answer locally. */
  resolveTxt?: TxtResolver;
}

/**
 * Builds the app in four named steps (src/composition/): open the stores, build the
 * services, start the background jobs, build the routers. A step that fails closes
 * whatever the steps before it opened or started.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const rt = createRuntime(config, deps);
  try {
    const stores = await openStores(rt);
    const services = await buildServices(rt, stores, deps);
    const jobs = await startJobs(rt, stores, services);
    const { http, routes, management, managementRoutes } = buildRouters(rt, stores, services, jobs);
    const { logger, clock, metrics } = rt;
    return {
      config,
      logger,
      clock,
      metrics,
      ...stores,
      ...pick(services, SERVICES),
      ...pick(jobs, JOBS),
      http,
      routes,
      management,
      managementRoutes,
      close: () => rt.close(),
    };
  } catch (error) {
    await rt.close();
    throw error;
  }
}
