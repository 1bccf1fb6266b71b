export {
  createTokenValidator,
  TokenValidationError,
  type TokenValidator,
  type TokenValidatorOptions,
  type AccessTokenClaims,
  type ValidationErrorCode,
} from './token-validator.js';
