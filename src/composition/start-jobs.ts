import path from 'node:path';
import {
  createAuditRelay,
  createAuditRetention,
  createWebhookSender,
  readRelayBacklog,
  type AuditRelay,
  type AuditRetention,
  type WebhookSender,
} from '../audit/index.js';
import { createSamlMetadataRefresh, type SamlMetadataRefresh } from '../connections/index.js';
import {
  createMemorySloRecorder,
  createRedisSloRecorder,
  loadSloFile,
  longestWindowMs,
  registerActiveSessionsGauge,
  registerAuditDeliveryMetrics,
  registerSamlCertificateMetrics,
  startSloService,
  type SloService,
} from '../metrics/index.js';
import { backgroundJob } from '../platform/background-job.js';
import { findConfigDir } from '../platform/config/index.js';
import { createTableMaintenance, type TableMaintenance } from '../platform/db/table-maintenance.js';
import { orgStore } from '../orgs/index.js';
import { auditRetentionSource } from '../wiring.js';
import type { Services } from './build-services.js';
import type { Stores } from './open-stores.js';
import type { Runtime } from './runtime.js';
import { startSignalJobs, type SignalJobs } from './signal-services.js';

const KEY_RING_REFRESH_MS = 30_000;
/** How often each process checks that Redis still holds every revocation in force. */
const REVOCATION_SWEEP_MS = 1000;
/** The longest one VACUUM of the table maintenance may run before it is cancelled. */
const VACUUM_TIMEOUT_MS = 5 * 60_000;

/** The background jobs the app exposes (runOnce for tests); each stops when the app closes. */
export interface Jobs extends SignalJobs {
  /** Scheduled re-fetch of SAML metadata and certificate expiry checks. */
  samlMetadataRefresh: SamlMetadataRefresh;
  /** Scheduled deletion of audit events past each org's retention. */
  auditRetention: AuditRetention;
  /** Outbox → event stream and webhook deliveries. */
  auditRelay: AuditRelay;
  /** Sends due webhook deliveries. */
  webhookSender: WebhookSender;
  slo: SloService;
  /** Vacuums the tables Latchkey churns (PostgreSQL; null on PGlite or when turned off). */
  tableMaintenance: TableMaintenance | null;
}

/**
 * Revocations before anything else: the sweep applies what a writer that died left
 * unapplied, and the mirror loads the revocations in force (503 where they are needed
 * until it has).
 */
async function startRevocations(rt: Runtime, { revocationMirror }: Services): Promise<void> {
  const { logger } = rt;
  const sweep = backgroundJob(
    () => revocationMirror.sweep(),
    (error) => logger.warn({ err: error }, 'revocation sweep failed; retried next pass'),
  );
  sweep.start(REVOCATION_SWEEP_MS);
  rt.onClose(() => sweep.stop());
  await revocationMirror
    .ready()
    .catch((error: unknown) =>
      logger.warn(
        { err: error },
        'revocations not loaded at start; 503 where needed until they are',
      ),
    );
}

/** The audit trail's jobs: retention, the relay and webhook deliveries. */
function startAuditJobs(
  rt: Runtime,
  { db, eventStream }: Stores,
  { audit, secretBox }: Services,
): Pick<Jobs, 'auditRetention' | 'auditRelay' | 'webhookSender'> {
  const { config, logger, clock, metrics } = rt;
  const auditRetention = createAuditRetention({
    db,
    audit,
    clock,
    source: auditRetentionSource(() => orgStore(db)),
    onError: (error) => logger.warn({ err: error }, 'audit retention purge failed'),
  });
  auditRetention.start(config.audit.retentionIntervalSeconds * 1000);
  rt.onClose(() => auditRetention.stop());
  const auditDelivery = registerAuditDeliveryMetrics(
    metrics.registry,
    () => readRelayBacklog(db),
    () => clock.nowMs(),
    (error) => logger.warn({ err: error }, 'audit relay backlog unreadable for /metrics'),
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
  rt.onClose(() => auditRelay.stop());
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
  rt.onClose(() => webhookSender.stop());
  return { auditRetention, auditRelay, webhookSender };
}

/** VACUUM (ANALYZE) of the churned tables, whatever autovacuum's setting (PostgreSQL only). */
function startTableMaintenance(rt: Runtime, { db }: Stores): TableMaintenance | null {
  const { config, logger } = rt;
  if (db.kind !== 'postgres' || config.database.vacuumIntervalSeconds === 0) return null;
  const maintenance = createTableMaintenance({
    url: config.database.url,
    deadRows: config.database.vacuumDeadRows,
    statementTimeoutMs: VACUUM_TIMEOUT_MS,
    connectTimeoutMs: config.database.connectTimeoutMs,
    onVacuumed: (table, deadRows, ms) =>
      logger.info({ table, deadRows, ms: Math.round(ms) }, 'table vacuumed'),
    onError: (error) => logger.warn({ err: error }, 'table maintenance failed; retried next pass'),
  });
  maintenance.start(config.database.vacuumIntervalSeconds * 1000);
  rt.onClose(() => maintenance.stop());
  return maintenance;
}

/** SLIs sampled into the recorder (Redis, or memory) for the /slo report. */
function startSlo(rt: Runtime, { redis }: Stores): SloService {
  const { config, logger, clock, metrics } = rt;
  const file = loadSloFile(path.join(findConfigDir(), 'slo.yaml'));
  const retention = { retentionMs: longestWindowMs(file) };
  const slo = startSloService({
    file,
    registry: metrics.registry,
    recorder: redis ? createRedisSloRecorder(redis, retention) : createMemorySloRecorder(retention),
    nowMs: () => clock.nowMs(),
    sampleIntervalMs: config.metrics.sloSampleIntervalSeconds * 1000,
    onError: (error) => logger.warn({ err: error }, 'slo sample not stored; retried next time'),
  });
  rt.onClose(() => slo.stop());
  return slo;
}

/** Step 3: the background jobs, started in the order the app needs them. */
export async function startJobs(rt: Runtime, stores: Stores, services: Services): Promise<Jobs> {
  const { config, logger, clock, metrics } = rt;
  const { keyRing } = services;
  keyRing.start(KEY_RING_REFRESH_MS, (error) =>
    logger.warn({ err: error }, 'key ring refresh failed'),
  );
  rt.onClose(() => Promise.resolve(keyRing.stop()));
  await startRevocations(rt, services);
  const samlMetadataRefresh = createSamlMetadataRefresh({
    db: stores.db,
    audit: services.audit,
    clock,
    ephemeral: stores.ephemeral,
    metrics: registerSamlCertificateMetrics(metrics.registry),
    outbound: config.outbound,
    onError: (error) => logger.warn({ err: error }, 'saml metadata refresh failed'),
  });
  samlMetadataRefresh.start(config.saml.metadataRefreshIntervalSeconds * 1000);
  rt.onClose(() => samlMetadataRefresh.stop());
  const auditJobs = startAuditJobs(rt, stores, services);
  registerActiveSessionsGauge(
    metrics,
    services.activeSessions,
    () => clock.nowMs(),
    services.onLedgerError,
  );
  return {
    samlMetadataRefresh,
    ...auditJobs,
    ...(await startSignalJobs(rt, stores, services)),
    slo: startSlo(rt, stores),
    tableMaintenance: startTableMaintenance(rt, stores),
  };
}
