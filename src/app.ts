import type { RequestListener } from 'node:http';
import type {
  AuditLog,
  AuditQuery,
  AuditRelay,
  AuditRetention,
  WebhookSender,
  WebhookService,
} from './audit/index.js';
import type { ConnectionService, SamlMetadataRefresh } from './connections/index.js';
import type { RouteEntry } from './http/route-table.js';
import type { Metrics } from './metrics/index.js';
import type {
  ApiKeyService,
  ClientService,
  DomainService,
  OrgService,
  TxtResolver,
  UserService,
} from './orgs/index.js';
import type { Config } from './platform/config/index.js';
import type { Clock } from './platform/clock.js';
import type { Database } from './platform/db/index.js';
import type { Logger } from './platform/logger.js';
import type { EphemeralStore, EventStream, RedisClient } from './platform/redis/index.js';
import type { SessionCookie, SessionService } from './sessions/index.js';
import type { BackchannelLogout, KeyManager, KeyRing, OAuthService } from './tokens/index.js';
import { buildRouters } from './composition/build-routers.js';
import { buildServices } from './composition/build-services.js';
import { openStores } from './composition/open-stores.js';
import { createRuntime } from './composition/runtime.js';
import { startJobs } from './composition/start-jobs.js';
import type { TableMaintenance } from './platform/db/table-maintenance.js';

export { auditLogFor } from './composition/build-services.js';
export { openDatabase } from './composition/open-stores.js';
export { keyServices } from './composition/signing-keys.js';

/**
 * The composition root (this file and its steps in src/composition/): the only place that
 * picks concrete adapters (Postgres or PGlite, Redis or memory) and wires services
 * together. Everything else receives its dependencies.
 */
export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Database;
  redis: RedisClient | null;
  ephemeral: EphemeralStore;
  /** Where audit events are relayed: Redis Streams, or memory without Redis. */
  eventStream: EventStream;
  keyManager: KeyManager;
  keyRing: KeyRing;
  metrics: Metrics;
  audit: AuditLog;
  /** Outbox → Redis stream and webhook deliveries; runOnce for tests. */
  auditRelay: AuditRelay;
  webhooks: WebhookService;
  /** Sends due webhook deliveries; runOnce for tests. */
  webhookSender: WebhookSender;
  /** The read side of the audit trail (admin queries, exports). */
  auditQuery: AuditQuery;
  orgs: OrgService;
  apiKeys: ApiKeyService;
  users: UserService;
  clients: ClientService;
  domains: DomainService;
  connections: ConnectionService;
  /** Scheduled re-fetch of SAML metadata and certificate expiry checks; runOnce for tests. */
  samlMetadataRefresh: SamlMetadataRefresh;
  /** Scheduled deletion of audit events past each org's retention; runOnce for tests. */
  auditRetention: AuditRetention;
  /** VACUUM (ANALYZE) of the tables Latchkey churns; null on PGlite or when turned off. */
  tableMaintenance: TableMaintenance | null;
  sessions: SessionService;
  oauth: OAuthService;
  backchannel: BackchannelLogout;
  /** The session cookie's name and attributes. */
  cookie: SessionCookie;
  /** The request listener: form endpoints first, then Express. */
  http: RequestListener;
  /** Every route served, for checking openapi.yaml against reality. */
  routes: RouteEntry[];
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
    const { http, routes } = buildRouters(rt, stores, services, jobs);
    const { logger, clock, metrics } = rt;
    return {
      config,
      logger,
      clock,
      metrics,
      ...stores,
      keyManager: services.keyManager,
      keyRing: services.keyRing,
      audit: services.audit,
      auditQuery: services.auditQuery,
      webhooks: services.webhooks,
      orgs: services.orgs,
      apiKeys: services.apiKeys,
      users: services.users,
      clients: services.clients,
      domains: services.domains,
      connections: services.connections,
      sessions: services.sessions,
      oauth: services.oauth,
      backchannel: services.backchannel,
      cookie: services.cookie,
      auditRelay: jobs.auditRelay,
      webhookSender: jobs.webhookSender,
      samlMetadataRefresh: jobs.samlMetadataRefresh,
      auditRetention: jobs.auditRetention,
      tableMaintenance: jobs.tableMaintenance,
      http,
      routes,
      close: () => rt.close(),
    };
  } catch (error) {
    await rt.close();
    throw error;
  }
}
