export {
  createLoginService,
  LoginFailure,
  type LoginService,
  type Discovery,
  type ConnectionChoice,
} from './login-service.js';
export {
  createLoginTransactions,
  LOGIN_TRANSACTION_TTL_MS,
  type LoginTransactions,
} from './login-transaction.js';
export { createOidcUpstream, UpstreamError } from './oidc/oidc-upstream.js';
export { safeReturnTarget, DEFAULT_RETURN_TARGET } from './return-target.js';
export { identityChecks, mapOidcClaims, type MappedIdentity } from './identity-checks.js';
