export {
  createVerifier,
  createSecretChecker,
  DEFAULT_SECRET_CHECK_LIMITS,
  type SecretChecker,
  type SecretCheckLimits,
} from './verifier.js';
export { sha256Hex, constantTimeEqual } from './digest.js';
export { createSecretBox, type SecretBox } from './secret-box.js';
export { createSelfSignedCertificate } from './self-signed-certificate.js';
export { deriveKey } from './derive-key.js';
