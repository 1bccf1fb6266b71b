import { hkdfSync } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type { Config } from './platform/config/index.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createLogger, type Logger } from './platform/logger.js';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  migrate,
  type Database,
} from './platform/db/index.js';
import {
  connectRedis,
  createMemoryEphemeralStore,
  createMemoryEventStream,
  createRedisClient,
  createRedisEphemeralStore,
  createRedisEventStream,
  type EphemeralStore,
  type EventStream,
  type RedisClient,
} from './platform/redis/index.js';
import { createHttpApp, OPERATIONAL_ROUTES } from './http/create-http-app.js';
import { listRoutes, type RouteEntry } from './http/route-table.js';
import {
  createMemoryActiveSessionLedger,
  createMemorySloRecorder,
  createMetrics,
  createRedisActiveSessionLedger,
  createRedisSloRecorder,
  instrumentDatabase,
  loadSloFile,
  longestWindowMs,
  registerActiveSessionsGauge,
  registerSamlCertificateMetrics,
  registerAuditDeliveryMetrics,
  sloRouter,
  startSloService,
  tellLedgerOfOpens,
  watchRedisErrors,
  type Metrics,
} from './metrics/index.js';
import { findConfigDir } from './platform/config/index.js';
import path from 'node:path';
import {
  createAuditLog,
  createAuditRetention,
  type AuditRetention,
  createAuditRelay,
  readOutboxBacklog,
  createWebhookSender,
  createWebhookService,
  webhooksRouter,
  type AuditLog,
  type AuditRelay,
  type WebhookSender,
  type WebhookService,
  auditRouter,
  createAuditQuery,
  type AuditQuery,
} from './audit/index.js';
import { accountRouter } from './http/pages/account.routes.js';
import { loginRouter } from './http/pages/login.routes.js';
import {
  createLoginService,
  createLoginTransactions,
  createOidcUpstream,
  createSamlServiceProvider,
  createSpKeySource,
} from './federation/index.js';
import { confirmLogoutPage, signedOutPage } from './http/views/pages.js';
import { continueSignOutPage } from './http/views/login-pages.js';
import {
  createRevocationMirror,
  createRevocations,
  createSqlRevocationLog,
} from './signals/index.js';
import { backgroundJob } from './platform/background-job.js';
import {
  createMemoryRevocationBus,
  sessionRevocationApplier,
  createMemorySessionStore,
  createRedisRevocationBus,
  createRedisSessionStore,
  createSessionService,
  sessionCookie,
  sessionsRouter,
  type SessionService,
} from './sessions/index.js';
import {
  auditPolicies,
  auditRetentionSource,
  clientRegistry,
  sessionGateway,
  sessionTerminator,
  tokenAudit,
  tokenRevocations,
  userDirectory,
  userSessionLister,
} from './wiring.js';
import {
  connectionsRouter,
  CONNECTION_LARGE_BODY,
  createConnectionService,
  createSamlMetadataRefresh,
  oidcRedirectUri,
  type ConnectionService,
  type SamlMetadataRefresh,
} from './connections/index.js';
import { createSecretBox, createSecretChecker } from './platform/crypto/index.js';
import { guardedFetch, type OutboundPolicy } from './platform/net/index.js';
import { resolveTxt } from 'node:dns/promises';
import {
  apiKeysRouter,
  clientsRouter,
  createApiKeyService,
  createClientService,
  createDomainService,
  createOrgService,
  createUserService,
  createUserExportService,
  domainsRouter,
  userExportRouter,
  orgsRouter,
  usersRouter,
  type TxtResolver,
  type ApiKeyService,
  orgStore,
  type ClientService,
  type DomainService,
  type UserService,
  type OrgService,
  type SessionTerminator,
} from './orgs/index.js';
import {
  createKeyFiles,
  createKeyManager,
  createKeyRing,
  signingAlgorithms,
  createSqlSigningKeyStore,
  jwksRouter,
  createBackchannelLogout,
  createGrantStore,
  deriveRefreshTokenKey,
  createOAuthService,
  createOwnJwtVerifier,
  GRANT_TYPES,
  oauthRouter,
  oauthFormEndpoints,
  type BackchannelLogout,
  type OAuthService,
  type KeyManager,
  type KeyRing,
} from './tokens/index.js';

/**
 * The composition root: the only place that picks concrete adapters (Postgres or PGlite,
 * Redis or memory) and wires services together. Everything else receives its
 * dependencies.
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
  sessions: SessionService;
  oauth: OAuthService;
  backchannel: BackchannelLogout;
  /** The session cookie's name and attributes. */
  cookie: ReturnType<typeof sessionCookie>;
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

// The development key-encryption key: public, so refused in production (config guard).
const DEV_KEY_ENCRYPTION_KEY = Buffer.from('latchkey-development-only-kek!!!').toString('base64');
// The development pseudonym key: public, so refused in production (config guard).
const DEV_AUDIT_PSEUDONYM_KEY = Buffer.from('latchkey-development-pseudonyms!');

/** The audit log as configured: group commit on db, org IP policies, the pseudonym key. */
export function auditLogFor(config: Config, db: Database, clock: Clock): AuditLog {
  return createAuditLog({
    db,
    clock,
    pseudonymKey: config.secrets.auditPseudonymKey
      ? Buffer.from(config.secrets.auditPseudonymKey, 'base64')
      : DEV_AUDIT_PSEUDONYM_KEY,
    policies: auditPolicies(orgStore, clock),
  });
}

/** Opens the database chosen by config and brings its schema up to date. */
export async function openDatabase(
  config: Config,
  logger: Logger,
  metrics?: Pick<Metrics, 'countDbError'>,
): Promise<Database> {
  const db = config.database.url
    ? createPostgresDatabase({
        url: config.database.url,
        poolMax: config.database.poolMax,
        statementTimeoutMs: config.database.statementTimeoutMs,
        queryTimeoutMs: config.database.queryTimeoutMs,
        connectTimeoutMs: config.database.connectTimeoutMs,
        onError: (error) => {
          metrics?.countDbError('postgresql', 'connection');
          logger.warn({ err: error }, 'idle postgres connection failed');
        },
        onCommitOutcomeUnknown: (error) => {
          metrics?.countDbError('postgresql', 'commit_outcome_unknown');
          logger.error(
            { err: error },
            'postgres connection lost during COMMIT: the transaction may have been applied although its caller was answered 503',
          );
        },
        onAvailability: (available, error) =>
          available
            ? logger.info('postgres available again')
            : logger.error({ err: error }, 'postgres unavailable; answering 503 until it is back'),
      })
    : await createPgliteDatabase(config.database.pgliteDir);
  try {
    const { applied } = await migrate(db);
    if (applied.length) logger.info({ applied }, 'database migrations applied');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

export function keyServices(config: Config, db: Database, clock: Clock, audit?: AuditLog) {
  const store = createSqlSigningKeyStore(db);
  const files = createKeyFiles(config.keys.dir);
  const keyManager = createKeyManager({
    store,
    files,
    clock,
    ...(audit ? { audit: tokenAudit(audit) } : {}),
    settings: {
      algorithm: config.keys.algorithm,
      minPublishedSecondsBeforeSigning: config.keys.minPublishedSecondsBeforeSigning,
      retiredPublishedSeconds: config.keys.retiredPublishedSeconds,
    },
  });
  const keyRing = createKeyRing({
    store,
    files,
    clock,
    retiredPublishedSeconds: config.keys.retiredPublishedSeconds,
  });
  return { keyManager, keyRing };
}

const KEY_RING_REFRESH_MS = 30_000;
/** How often each process checks that Redis still holds every revocation in force. */
const REVOCATION_SWEEP_MS = 1000;

/**
 * Back-channel logout delivery: a form POST through the SSRF-guarded fetch, so a
 * registered logout URI can never be pointed at internal addresses.
 */
const postForm =
  (policy: OutboundPolicy) =>
  async (url: string, form: Record<string, string>): Promise<{ status: number }> => {
    const res = await guardedFetch(url, policy, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status };
  };

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const logger = deps.logger ?? createLogger({ level: config.log.level });
  const clock = deps.clock ?? systemClock;
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse())
      await closer().catch((error) => logger.warn({ err: error }, 'close failed'));
  };

  try {
    const metrics = createMetrics({
      grantTypes: GRANT_TYPES,
      upstreamIdpByConnection: {
        enabled: config.metrics.upstreamLatencyByConnection,
        maxConnections: config.metrics.upstreamLatencyMaxConnections,
      },
    });
    const db = instrumentDatabase(await openDatabase(config, logger, metrics), metrics);
    closers.push(() => db.close());

    let redis: RedisClient | null = null;
    let ephemeral: EphemeralStore;
    let eventStream: EventStream;
    if (config.redis.url) {
      const client = createRedisClient({
        url: config.redis.url,
        cluster: config.redis.cluster,
        keyPrefix: config.redis.keyPrefix,
        commandTimeoutMs: config.redis.commandTimeoutMs,
        connectTimeoutMs: config.redis.connectTimeoutMs,
        onDown: (error) =>
          logger.error({ err: { message: error.message } }, 'redis unavailable; retrying'),
        onUp: () => logger.info('redis available again'),
      });
      redis = client;
      watchRedisErrors(client, metrics);
      closers.push(async () => {
        client.disconnect();
        return Promise.resolve();
      });
      // Start even when Redis is down: /readyz says so and the client keeps reconnecting.
      if (!(await connectRedis(client, config.redis.connectTimeoutMs))) {
        logger.warn('redis not reachable at start; serving 503 where it is needed until it is');
      }
      ephemeral = createRedisEphemeralStore(client);
      eventStream = createRedisEventStream(client);
    } else {
      ephemeral = createMemoryEphemeralStore({ clock });
      eventStream = createMemoryEventStream({ clock });
      logger.warn('no REDIS_URL: using the in-memory store (single process, development only)');
    }
    closers.push(() => ephemeral.close());

    const audit = auditLogFor(config, db, clock);
    // Closed before the database (closers run in reverse): queued events are written.
    closers.push(() => audit.close());
    const { keyManager, keyRing } = keyServices(config, db, clock, audit);
    await keyManager.ensureActiveKey({ generateIfMissing: config.keys.generateIfMissing });
    await keyRing.refresh();
    keyRing.start(KEY_RING_REFRESH_MS, (error) =>
      logger.warn({ err: error }, 'key ring refresh failed'),
    );
    closers.push(() => Promise.resolve(keyRing.stop()));

    const auditQuery = createAuditQuery({ db, audit });
    const activeSessions = redis
      ? createRedisActiveSessionLedger(redis)
      : createMemoryActiveSessionLedger();
    const onLedgerError = (error: unknown) =>
      logger.warn({ err: error }, 'active sessions ledger failed');
    const sessionStore = tellLedgerOfOpens(
      redis
        ? createRedisSessionStore(redis, { indexTtlMs: 90 * 86_400_000 })
        : createMemorySessionStore({ clock }),
      activeSessions,
      onLedgerError,
    );
    const revocationBus = redis
      ? createRedisRevocationBus(redis, {
          onError: (error) => {
            if (!(error instanceof SyntaxError)) metrics.countDbError('redis', 'connection');
            logger.warn({ err: error }, 'revocation channel error');
          },
        })
      : createMemoryRevocationBus();
    closers.push(() => revocationBus.close());
    // Propagation delay is measured where revocations arrive, in every process.
    revocationBus.subscribe((event) => metrics.observeRevocationReceived(event, clock.nowMs()));
    const grants = createGrantStore(ephemeral, {
      codeTtlMs: config.tokens.authorizationCodeTtlSeconds * 1000,
      codeUsedTtlMs: 10 * 60_000,
      refreshUsedTtlMs: config.tokens.refreshTokenTtlSeconds * 1000,
      refreshTokenKey: deriveRefreshTokenKey(
        Buffer.from(config.secrets.keyEncryptionKey || DEV_KEY_ENCRYPTION_KEY, 'base64'),
      ),
    });
    const tombstoneTtlSeconds = config.tokens.maxAccessTokenTtlSeconds + 60;
    const revocationLog = createSqlRevocationLog(db);
    const onRevocationError = (error: unknown, what: string) => logger.warn({ err: error }, what);
    const revocationMirror = createRevocationMirror({
      log: revocationLog,
      store: ephemeral,
      clock,
      tombstoneTtlMs: tombstoneTtlSeconds * 1000,
      appliers: {
        session: sessionRevocationApplier(sessionStore, revocationBus),
        refresh_family: (revocation) => grants.revokeFamily(revocation.subject),
      },
      onError: onRevocationError,
    });
    // A dropped Redis connection may come back to a Redis that lost its data: nothing
    // that depends on revocations is trusted again before the mirror has checked.
    redis?.on('close', () => revocationMirror.invalidate());
    const revocations = createRevocations({
      db,
      log: revocationLog,
      mirror: revocationMirror,
      onError: onRevocationError,
    });
    const revocationSweep = backgroundJob(
      () => revocationMirror.sweep(),
      (error) => logger.warn({ err: error }, 'revocation sweep failed; retried next pass'),
    );
    revocationSweep.start(REVOCATION_SWEEP_MS);
    closers.push(() => revocationSweep.stop());
    await revocationMirror
      .ready()
      .catch((error: unknown) =>
        logger.warn(
          { err: error },
          'revocations not loaded at start; 503 where needed until they are',
        ),
      );
    const sessionService = createSessionService({
      store: sessionStore,
      revocations,
      mirror: revocationMirror,
      audit,
      clock,
      tombstoneTtlSeconds,
      onError: (error, what) => logger.warn({ err: error }, what),
    });
    const sessions: SessionTerminator = sessionTerminator(sessionService);
    // API keys and client secrets get slots of their own: a flood against one kind
    // leaves the other working (operators need the admin API most then).
    const apiKeys = createApiKeyService({
      db,
      audit,
      clock,
      cacheSeconds: config.admin.apiKeyCacheSeconds,
      secretChecker: createSecretChecker(config.secretChecks),
    });
    const orgs = createOrgService({
      db,
      audit,
      clock,
      sessions,
      onDisabled: (orgId) => apiKeys.forgetOrg(orgId),
    });
    const domains = createDomainService({
      db,
      audit,
      clock,
      resolveTxt: deps.resolveTxt ?? resolveTxt,
    });
    const users = createUserService({ db, audit, clock, sessions });
    const clients = createClientService({
      db,
      audit,
      clock,
      allowHttpLoopback: config.outbound.allowHttpLoopback,
      secretChecker: createSecretChecker(config.secretChecks),
      grantTypes: GRANT_TYPES,
    });
    const secretBox = createSecretBox(config.secrets.keyEncryptionKey || DEV_KEY_ENCRYPTION_KEY);
    const connections = createConnectionService({
      db,
      audit,
      clock,
      secretBox,
      issuer: config.server.issuer,
      outbound: config.outbound,
    });
    const samlMetadataRefresh = createSamlMetadataRefresh({
      db,
      audit,
      clock,
      ephemeral,
      metrics: registerSamlCertificateMetrics(metrics.registry),
      outbound: config.outbound,
      onError: (error) => logger.warn({ err: error }, 'saml metadata refresh failed'),
    });
    samlMetadataRefresh.start(config.saml.metadataRefreshIntervalSeconds * 1000);
    closers.push(() => samlMetadataRefresh.stop());
    const auditRetention = createAuditRetention({
      db,
      audit,
      clock,
      source: auditRetentionSource(() => orgStore(db)),
      onError: (error) => logger.warn({ err: error }, 'audit retention purge failed'),
    });
    auditRetention.start(config.audit.retentionIntervalSeconds * 1000);
    closers.push(() => auditRetention.stop());
    const auditDelivery = registerAuditDeliveryMetrics(
      metrics.registry,
      () => readOutboxBacklog(db),
      () => clock.nowMs(),
      (error) => logger.warn({ err: error }, 'audit outbox backlog unreadable for /metrics'),
    );
    const auditRelay = createAuditRelay({
      db,
      stream: eventStream,
      clock,
      settings: {
        batchSize: config.audit.relayBatchSize,
        streamMaxLength: config.audit.streamMaxLength,
      },
      onRelayed: (events) => auditDelivery.countRelayed(events),
      onError: (error) => logger.warn({ err: error }, 'audit relay failed; retried next pass'),
    });
    auditRelay.start(config.audit.relayIntervalMs);
    closers.push(() => auditRelay.stop());
    const webhooks = createWebhookService({
      db,
      audit,
      clock,
      secretBox,
      outbound: config.outbound,
    });
    const webhookSender = createWebhookSender({
      db,
      clock,
      secretBox,
      outbound: config.outbound,
      settings: config.audit.webhooks,
      // Never the URL (it may carry a receiver's token) nor anything secret.
      onDelivery: (outcome) => {
        auditDelivery.countWebhookAttempt(outcome.outcome);
        logger.info(outcome, 'audit webhook delivery');
      },
      onError: (error) => logger.warn({ err: error }, 'audit webhook sender failed'),
    });
    webhookSender.start(config.audit.webhooks.intervalMs);
    closers.push(() => webhookSender.stop());
    const apiRouters = [
      orgsRouter(orgs),
      domainsRouter(domains),
      connectionsRouter(connections),
      usersRouter(users),
      userExportRouter(
        createUserExportService({
          db,
          audit,
          auditEvents: auditQuery,
          sessions: userSessionLister(sessionService),
          clock,
        }),
      ),
      clientsRouter(clients),
      apiKeysRouter(apiKeys),
      sessionsRouter(sessionService),
      webhooksRouter(webhooks),
      auditRouter(auditQuery),
    ];
    const cookie = sessionCookie(config.server.issuer, config.sessions.cookieName);
    const registry = clientRegistry(clients, clock);
    const gateway = sessionGateway(sessionService);
    const backchannel = createBackchannelLogout({
      issuer: config.server.issuer,
      keyRing,
      clients: registry,
      clientsOfSession: (sid) => ephemeral.setMembers(`session-clients:${sid}`),
      post: postForm(config.outbound),
      clock,
      onDelivery: (result) => logger.info(result, 'back-channel logout delivery'),
    });
    sessionService.onEnded((session) => backchannel.notify(session));
    // After the back-channel logout read them: what Redis kept for the session's tokens.
    sessionService.onEnded(async (session) => {
      await grants.forgetSession(session.id);
      await ephemeral.delete(`session-clients:${session.id}`);
    });
    sessionService.onEnded((session, reason) => {
      metrics.countRevocation(reason);
      activeSessions.ended(session.absoluteExpiresAtMs).catch(onLedgerError);
    });
    registerActiveSessionsGauge(metrics, activeSessions, () => clock.nowMs(), onLedgerError);
    const sloFile = loadSloFile(path.join(findConfigDir(), 'slo.yaml'));
    const sloRetention = { retentionMs: longestWindowMs(sloFile) };
    const slo = startSloService({
      file: sloFile,
      registry: metrics.registry,
      recorder: redis
        ? createRedisSloRecorder(redis, sloRetention)
        : createMemorySloRecorder(sloRetention),
      nowMs: () => clock.nowMs(),
      sampleIntervalMs: config.metrics.sloSampleIntervalSeconds * 1000,
      onError: (error) => logger.warn({ err: error }, 'slo sample not stored; retried next time'),
    });
    closers.push(() => slo.stop());
    const oauth = createOAuthService({
      settings: {
        issuer: config.server.issuer,
        maxAccessTokenTtlSeconds: config.tokens.maxAccessTokenTtlSeconds,
        idTokenTtlSeconds: config.tokens.idTokenTtlSeconds,
        refreshTokenTtlSeconds: config.tokens.refreshTokenTtlSeconds,
        refreshReuseGraceSeconds: config.tokens.refreshReuseGraceSeconds,
        clockToleranceSeconds: config.tokens.clockToleranceSeconds,
      },
      clients: registry,
      users: userDirectory(users, () => orgStore(db), clock),
      sessions: gateway,
      grants,
      keyRing,
      verifyJwt: createOwnJwtVerifier(keyRing),
      clock,
      rememberClient: (sid, clientId, ttlMs) =>
        ephemeral.addToSet(`session-clients:${sid}`, clientId, ttlMs),
      revocations: tokenRevocations(revocations, revocationMirror, audit, clock),
      audit: tokenAudit(audit),
      // Derived from the key-encryption key every process shares (never used as is).
      reauthenticationKey: Buffer.from(
        hkdfSync(
          'sha256',
          Buffer.from(config.secrets.keyEncryptionKey || DEV_KEY_ENCRYPTION_KEY, 'base64'),
          Buffer.alloc(0),
          'latchkey/authorize/reauthentication-marker',
          32,
        ),
      ),
    });
    const login = createLoginService({
      db,
      connections,
      users,
      sessions: sessionService,
      transactions: createLoginTransactions(ephemeral),
      oidc: createOidcUpstream({
        policy: config.outbound,
        redirectUri: (connectionId) => oidcRedirectUri(config.server.issuer, connectionId),
        onRequest: (request, seconds) =>
          metrics.observeUpstreamIdpRequest({ ...request, protocol: 'oidc' }, seconds),
      }),
      saml: createSamlServiceProvider({
        issuer: config.server.issuer,
        keys: createSpKeySource({
          dir: config.keys.dir,
          generateIfMissing: config.keys.generateIfMissing,
          clock,
        }),
      }),
      ephemeral,
      samlClockSkewSeconds: config.saml.clockSkewSeconds,
      audit,
      metrics,
      clock,
    });
    const clearCookie = (res: { clearCookie(name: string, options: object): unknown }) =>
      res.clearCookie(cookie.name, cookie.options);
    const rootRouters = [
      jwksRouter(keyRing),
      sloRouter(slo.reporter),
      oauthRouter(oauth, registry, {
        issuer: config.server.issuer,
        logger,
        signingAlgorithms: () => signingAlgorithms(keyRing, config.keys.algorithm),
        cookieName: cookie.name,
        bodyLimitBytes: config.server.bodyLimitBytes,
        async endBrowserSession(token, hint, then, context) {
          const current = token ? await sessionService.validate(token) : null;
          // SAML Single Logout: the IdP hears of the browser's own sign-out.
          const upstream = current ? await login.beginSamlLogout(current, then, context) : null;
          if (current) await sessionService.end(current.orgId, current.id, 'logout', context);
          if (hint && hint.sessionId !== current?.id)
            await sessionService.end(hint.orgId, hint.sessionId, 'logout', context);
          return upstream;
        },
        clearSessionCookie: clearCookie,
        renderSignedOut: signedOutPage,
        renderForward: continueSignOutPage,
        renderConfirmLogout: confirmLogoutPage,
      }),
      loginRouter({
        login,
        issuer: config.server.issuer,
        bodyLimitBytes: config.server.bodyLimitBytes,
        session: cookie,
        async isRegisteredRedirectUri(uri) {
          const { rows } = await db.query(
            `SELECT 1 FROM oauth_clients WHERE status = 'active' AND $1 = ANY(redirect_uris) LIMIT 1`,
            [uri],
          );
          return rows.length > 0;
        },
        async signedInEmail(token) {
          const current = await sessionService.validate(token);
          if (!current) return null;
          return (await users.getUser(current.userId))?.email ?? null;
        },
      }),
      accountRouter({
        cookieName: cookie.name,
        bodyLimitBytes: config.server.bodyLimitBytes,
        currentSession: (token) => sessionService.validate(token),
        async profile(orgId, userId) {
          const user = await users.getUser(userId);
          const org = await orgStore(db).get(orgId);
          if (!user || user.orgId !== orgId || user.status !== 'active') return null;
          if (org?.status !== 'active') return null;
          return { email: user.email, name: user.name, orgName: org.name };
        },
        listSessions: (orgId, userId) => sessionService.listForUser(orgId, userId),
        async endSession(orgId, sessionId, context) {
          await sessionService.end(orgId, sessionId, 'user_ended', context);
        },
        async upstreamLogout(orgId, sessionId, context) {
          const session = await sessionService.get(orgId, sessionId);
          return session ? login.beginSamlLogout(session, null, context) : null;
        },
        clearCookie,
      }),
    ];
    const formEndpoints = oauthFormEndpoints(oauth, registry, metrics);
    const http = createHttpApp({
      config,
      logger,
      metrics,
      checks: [
        { name: 'postgres', check: () => db.ping() },
        { name: 'redis', check: () => ephemeral.ping() },
      ],
      authenticate: (presented) => apiKeys.authenticate(presented),
      apiRouters,
      rootRouters,
      formEndpoints,
      largeBodies: [CONNECTION_LARGE_BODY],
    });

    return {
      config,
      logger,
      clock,
      db,
      redis,
      ephemeral,
      eventStream,
      keyManager,
      keyRing,
      metrics,
      audit,
      auditRelay,
      webhooks,
      webhookSender,
      auditQuery,
      orgs,
      apiKeys,
      users,
      clients,
      domains,
      connections,
      samlMetadataRefresh,
      auditRetention,
      sessions: sessionService,
      oauth,
      backchannel,
      cookie,
      http,
      routes: [
        ...OPERATIONAL_ROUTES,
        ...listRoutes(apiRouters, '/api/v1'),
        ...listRoutes(rootRouters),
        ...formEndpoints.map((endpoint) => ({ method: 'POST', path: endpoint.path })),
      ],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
