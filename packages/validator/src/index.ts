export { createTokenValidator, type TokenValidator } from './token-validator.js';
export {
  TokenValidationError,
  type AccessTokenClaims,
  type Revocation,
  type RevocationFeedOptions,
  type RevocationNotice,
  type TokenValidatorOptions,
  type ValidationErrorCode,
  type ValidatorLogger,
  type ValidatorStatus,
} from './validator-types.js';
export type { RevocationListener } from './revocation-feed.js';
export type { BearerRequest, BearerRequirements, BearerResponse } from './bearer-middleware.js';
export { EVENT_TYPES } from './security-event-token.js';
export { createSseParser, type ServerSentEvent } from './sse-parser.js';
