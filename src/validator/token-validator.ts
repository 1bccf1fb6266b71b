import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { bearerMiddleware } from './bearer-middleware.js';
import { createKeyResolver } from './jwks-keys.js';
import { createRevocations } from './revocations.js';
import {
  TokenValidationError,
  type AccessTokenClaims,
  type TokenValidatorOptions,
} from './validator-types.js';

// The validator's parts: validator-types (options, claims, errors), jwks-keys (the key
// lookup), revocations (the channel and tombstones), bearer-middleware (Express).
export {
  TokenValidationError,
  type AccessTokenClaims,
  type TokenValidatorOptions,
  type ValidationErrorCode,
} from './validator-types.js';

const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'];

export function createTokenValidator(options: TokenValidatorOptions) {
  const keyFor = createKeyResolver(options);
  const revocations = createRevocations(options);
  const isRevoked = revocations.isRevoked;
  const listeners = revocations.listeners;

  // Tokens whose signature and claims checked out, by exact text: a service sees the same
  // token on many requests within its few minutes of life. A hit re-checks expiry, and
  // revocation is checked on every call.
  // Each entry lives until its token expires (least recently used go first past 20,000),
  // and stale ones are swept as new ones come: memory follows the live tokens.
  const verified = new LRUCache<string, AccessTokenClaims>({ max: 20_000 });
  let verifiedWrites = 0;
  const tolerance = options.clockToleranceSeconds ?? 5;

  async function verify(token: string | null | undefined): Promise<AccessTokenClaims> {
    if (!token) throw new TokenValidationError('token_missing', 'No access token.');
    const hit = verified.get(token);
    if (hit) {
      if (hit.exp + tolerance <= Date.now() / 1000) {
        verified.delete(token);
        throw new TokenValidationError('token_expired', 'The token has expired.');
      }
      if (typeof hit.sid === 'string' && (await isRevoked(hit.sid))) {
        throw new TokenValidationError('token_revoked', 'The session of this token has ended.');
      }
      return hit;
    }
    if (token.split('.').length !== 3)
      throw new TokenValidationError('token_malformed', 'Not a JWT.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms: options.algorithms ?? ['ES256'],
        clockTolerance: tolerance,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new TokenValidationError('token_expired', 'The token has expired.');
      throw new TokenValidationError('token_invalid', 'The token is not valid.');
    }
    const claims = payload as AccessTokenClaims;
    if (typeof claims.sid === 'string' && (await isRevoked(claims.sid))) {
      throw new TokenValidationError('token_revoked', 'The session of this token has ended.');
    }
    if ((verifiedWrites += 1) % 1000 === 0) verified.purgeStale();
    verified.set(token, claims, { ttl: Math.max(1, (claims.exp + tolerance) * 1000 - Date.now()) });
    return claims;
  }

  /** Express middleware: `req.auth` holds the claims; failures answer 401/403 per RFC 6750. */
  const middleware = (required: { scopes?: string[] } = {}) => bearerMiddleware(verify, required);

  return {
    start: () => revocations.start(),
    verify,
    middleware,
    /** Notified of every revocation heard, with its propagation delay in ms. */
    onRevocation(listener: (sid: string, delayMs: number) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(): Promise<void> {
      revocations.close();
      return Promise.resolve();
    },
  };
}

export type TokenValidator = ReturnType<typeof createTokenValidator>;
