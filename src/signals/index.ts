export {
  CUTOFF_KINDS,
  cutoffSubject,
  tombstoneKey,
  type Revocation,
  type RecordedRevocation,
  type RevocationKind,
} from './revocation.js';
export {
  createSqlRevocationLog,
  REVOCATIONS_CHANNEL,
  type RevocationLog,
} from './revocation-log.js';
export {
  createRevocationMirror,
  REVOCATIONS_LOADED_KEY,
  type RevocationApplier,
  type RevocationMirror,
} from './revocation-mirror.js';
export { createRevocations, type Revocations } from './revocations.js';
export { startRevocationFeed, type RevocationFeed } from './revocation-feed.js';
export {
  EVENT_TYPES,
  revocationEvent,
  SUPPORTED_EVENT_TYPES,
  type SetSigner,
} from './security-events.js';
export { createStreamStore, DELIVERY, type StreamStore } from './ssf-stream-store.js';
export { createSsfService, type SsfService, type StreamAuditEvent } from './ssf-service.js';
export { ssfAudience, ssfConfiguration, SSF_PATHS } from './ssf-view.js';
export { createPoller, createSetRenderer, type Poller, type SetRenderer } from './ssf-delivery.js';
export { createPushJob, pushBackoffMs, type PushJob } from './ssf-push.js';
export { ssfAdminRouter, ssfRouter, type ReceiverAuthenticator } from './ssf.routes.js';
