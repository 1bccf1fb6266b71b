export {
  tombstoneKey,
  type Revocation,
  type RecordedRevocation,
  type RevocationKind,
} from './revocation.js';
export { createSqlRevocationLog, type RevocationLog } from './revocation-log.js';
export {
  createRevocationMirror,
  REVOCATIONS_LOADED_KEY,
  type RevocationApplier,
  type RevocationMirror,
} from './revocation-mirror.js';
export { createRevocations, type Revocations } from './revocations.js';
