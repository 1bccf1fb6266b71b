export {
  createLoginService,
  LoginFailure,
  type CompletedLogin,
  type LoginService,
  type Discovery,
  type ConnectionChoice,
} from './login-service.js';
export { createBrowserSignOut, type BrowserSignOut } from './browser-sign-out.js';
export {
  createLoginTransactions,
  LOGIN_TRANSACTION_TTL_MS,
  type LoginTransactions,
} from './login-transaction.js';
export { createOidcUpstream, UpstreamError } from './oidc/oidc-upstream.js';
export { createOidcConnectionCheck } from './oidc/oidc-connection-check.js';
export {
  createSamlServiceProvider,
  type SamlServiceProvider,
} from './saml/saml-service-provider.js';
export {
  createSpKeySource,
  SP_KEY_FILE,
  SP_CERTIFICATE_FILE,
  writeNewSpKeyPair,
} from './saml/sp-keys.js';
export { loadSamlEngine } from './saml/load-saml-engine.js';
export { MAX_SAML_MESSAGE_BYTES } from './saml/saml-refusals.js';
export { safeReturnTarget, DEFAULT_RETURN_TARGET } from './return-target.js';
export { identityChecks, mapOidcClaims, type MappedIdentity } from './identity-checks.js';
export {
  createConnectionTestService,
  passedAtCurrentVersion,
  type ConnectionTestService,
} from './connection-tests/connection-test-service.js';
export type { ConnectionTest, ConnectionTestReport } from './connection-tests/connection-test.js';
