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
export { enqueueForDelivery } from './outbox.js';
export { toPublicEvent, type AuditEventRow, type PublicAuditEvent } from './public-event.js';
export { createAuditRelay, AUDIT_STREAM, type AuditRelay } from './relay.js';
export { createWebhookService, REPLAY_MAX_EVENTS, type WebhookService } from './webhook-service.js';
export {
  createWebhookSender,
  backoffMs,
  type DeliveryOutcome,
  type WebhookSender,
} from './webhook-sender.js';
export { signWebhook, verifyWebhookSignature, SIGNATURE_HEADER } from './webhook-signature.js';
export { webhooksRouter } from './webhooks.routes.js';
