export { createKeyFiles, type KeyFiles } from './key-files.js';
export {
  createKeyManager,
  isPublished,
  type KeyManager,
  type KeyLifecycleSettings,
  type SigningAlgorithm,
} from './key-manager.js';
export { createKeyRing, type KeyRing, type ActiveSigningKey } from './key-ring.js';
export {
  createSqlSigningKeyStore,
  type SigningKeyStore,
  type SigningKeyRecord,
  type SigningKeyState,
} from './signing-key-store.js';
export { jwksRouter } from './jwks.routes.js';
