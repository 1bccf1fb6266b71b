export {
  createMetrics,
  ENDPOINT_LATENCY_BUCKETS_SECONDS,
  SLO_HISTOGRAM_BUCKETS,
  type Metrics,
  type MetricsOptions,
  type DbErrorType,
  type DbSystem,
} from './registry.js';
export { OTHER_LABEL } from './bounded-label.js';
export { instrumentDatabase, postgresErrorType, watchRedisErrors } from './store-errors.js';
export {
  registerActiveSessionsGauge,
  tellLedgerOfOpens,
  type ActiveSessionLedger,
} from './active-sessions.js';
export { createMemoryActiveSessionLedger } from './active-sessions.memory.js';
export { createRedisActiveSessionLedger } from './active-sessions.redis.js';
export {
  loadSloFile,
  parseSloFile,
  SloFileError,
  longestWindowMs,
  minEventsIn,
  type SloFile,
  type SloDefinition,
  type BurnRateAlert,
} from './slo-definitions.js';
export type { EventCounts, SloRecorder, SloRecorderOptions } from './slo-recorder.js';
export { createMemorySloRecorder } from './slo-recorder.memory.js';
export { createRedisSloRecorder } from './slo-recorder.redis.js';
export { createSloSampler, type SloSampler } from './slo-sampler.js';
export {
  createSloReporter,
  type SloReporter,
  type SloReport,
  type SloStatus,
} from './slo-report.js';
export { sloRouter } from './slo.routes.js';
export {
  renderSloRules,
  sloRuleGroups,
  errorRatioExpr,
  SLO_RULES_FILE,
  SLO_ALERT_NAME,
} from './prometheus-rules.js';
export { startSloService, type SloService } from './slo-service.js';
export {
  registerSamlCertificateMetrics,
  type SamlCertificateMetrics,
} from './saml-certificates.js';
export {
  registerAuditDeliveryMetrics,
  type AuditDeliveryMetrics,
  type RelayBacklog,
} from './audit-delivery.js';
export { registerRateLimitMetrics } from './rate-limits.js';
