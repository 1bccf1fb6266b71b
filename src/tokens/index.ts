export { createKeyFiles, type KeyFiles } from './key-files.js';
export {
  createKeyManager,
  isPublished,
  type KeyManager,
  type KeyLifecycleSettings,
  type SigningAlgorithm,
} from './key-manager.js';
export {
  createKeyRing,
  signingAlgorithms,
  type KeyRing,
  type ActiveSigningKey,
} from './key-ring.js';
export {
  createSqlSigningKeyStore,
  type SigningKeyStore,
  type SigningKeyRecord,
  type SigningKeyState,
} from './signing-key-store.js';
export { jwksRouter } from './jwks.routes.js';
export type {
  ClientRegistry,
  OAuthClient,
  SessionGateway,
  SessionView,
  UserDirectory,
  UserProfile,
  TokenAudit,
  TokenAuditEvent,
  TokenRevocation,
  TokenRevocations,
} from './ports.js';
export { createOwnJwtVerifier, signJwt, SIGNING_ALGORITHMS, type OwnJwtVerifier } from './jwt.js';
export { createGrantStore, type GrantStore } from './grant-store.js';
export { deriveRefreshTokenKey } from './refresh-token-format.js';
export { createOAuthService, type OAuthService, type TokenSettings } from './oauth-service.js';
export { GRANT_TYPES, isGrantType, type GrantType } from './grants/index.js';
export { OAUTH_ERRORS, isOAuthErrorCode, type OAuthErrorCode } from './oauth-errors.js';
export { oauthRouter, oauthFormEndpoints, discoveryDocument, ENDPOINTS } from './oauth.routes.js';
export {
  createBackchannelLogout,
  BACKCHANNEL_LOGOUT_EVENT,
  type BackchannelLogout,
  type LogoutPoster,
} from './backchannel-logout.js';
