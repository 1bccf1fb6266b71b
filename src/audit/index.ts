export {
  createAuditLog,
  changeSet,
  AUDIT_SCHEMA_VERSION,
  APPEND_MAX_BATCH,
  APPEND_WINDOW_MS,
  type AuditLog,
  type AuditActor,
  type ActorType,
  type AuditEventInput,
  type AuditPolicySource,
  type PseudonymiseInput,
  type RequestContext,
} from './audit-log.js';
export {
  AUDIT_EVENT_TYPES,
  isAuditEventType,
  isAuditEventTypePrefix,
  type AuditEventType,
} from './event-types.js';
export { applyIpPolicy, AUDIT_IP_POLICIES, type AuditIpPolicy } from './ip-policy.js';
export {
  createAuditRetention,
  type AuditRetention,
  type RetentionSource,
} from './audit-retention.js';
export {
  verifyAuditChains,
  verifyAuditSnapshot,
  verifyChain,
  type ChainReport,
  type ChainFailure,
} from './audit-verify.js';
export { PLATFORM_CHAIN_ID, chainIdOf } from './chain.js';
export { createAuditRelay, readRelayBacklog, AUDIT_STREAM, type AuditRelay } from './relay.js';
export { createWebhookService, REPLAY_MAX_EVENTS, type WebhookService } from './webhook-service.js';
export {
  createWebhookSender,
  backoffMs,
  type DeliveryOutcome,
  type WebhookSender,
} from './webhook-sender.js';
export {
  signStandardWebhook,
  signWebhook,
  standardWebhookHeaders,
  STANDARD_WEBHOOK_HEADERS,
  verifyWebhookSignature,
  SIGNATURE_HEADER,
  webhookSigningKey,
} from './webhook-signature.js';
export { webhooksRouter } from './webhooks.routes.js';
export {
  createAuditQuery,
  EXPORT_BATCH_SIZE,
  MAX_AUDIT_PAGE_SIZE,
  type AuditExport,
  type AuditQuery,
  type ExportOptions,
} from './audit-query.js';
export { auditRouter, CHAIN_SEQ_CURSOR, ndjsonLines, streamBatches } from './audit.routes.js';
export {
  toPublicEvent,
  AUDIT_EVENT_COLUMNS,
  type AuditEventRow,
  type PublicAuditEvent,
} from './public-event.js';
export {
  parseAuditFilters,
  MAX_TYPES as AUDIT_FILTER_MAX_TYPES,
  TYPE_PATTERN as AUDIT_FILTER_TYPE_PATTERN,
  type AuditFilters,
} from './audit-filters.js';
