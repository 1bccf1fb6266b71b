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
