export {
  createAuditLog,
  changeSet,
  AUDIT_SCHEMA_VERSION,
  type AuditLog,
  type AuditActor,
  type ActorType,
  type AuditEventInput,
  type RequestContext,
} from './audit-log.js';
export {
  createAuditQuery,
  EXPORT_BATCH_SIZE,
  MAX_AUDIT_PAGE_SIZE,
  type AuditExport,
  type AuditQuery,
} from './audit-query.js';
export { auditRouter } from './audit.routes.js';
export {
  toPublicEvent,
  AUDIT_EVENT_COLUMNS,
  type AuditEventRow,
  type PublicAuditEvent,
} from './public-event.js';
export { parseAuditFilters, type AuditFilters } from './audit-filters.js';
