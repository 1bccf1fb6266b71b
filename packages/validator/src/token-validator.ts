import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { bearerMiddleware, type BearerRequirements } from './bearer-middleware.js';
import { createIntrospection } from './introspection.js';
import { createKeyResolver } from './key-resolver.js';
import { createRevocationFeed, type RevocationListener } from './revocation-feed.js';
import { createRevocationView } from './revocation-view.js';
import {
  TokenValidationError,
  type AccessTokenClaims,
  type TokenValidatorOptions,
  type ValidatorStatus,
} from './validator-types.js';

/** A failure to get the JWKS (timeout, network, an answer not 200 or not JSON). */
const keysUnavailable = (error: unknown) =>
  error instanceof joseErrors.JWKSTimeout ||
  (error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC') ||
  !(error instanceof joseErrors.JOSEError);

const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'];

const consoleLogger = {
  warn: (message: string, details?: Record<string, unknown>) => console.warn(message, details),
};

/**
 * Latchkey's access-token validator. It checks tokens locally — signature against
 * Latchkey's cached JWKS, `typ: at+jwt` (RFC 9068), algorithm, issuer, audience, expiry
 * and required claims — and rejects any token a revocation cuts off, which it learns from
 * Latchkey's Shared Signals transmitter (docs/revocation-events.md). Fail closed: while
 * the revocation view is not current, a token it cannot decide is refused
 * (`validator_unavailable`) or, if configured, introspected.
 */
export function createTokenValidator(options: TokenValidatorOptions) {
  if (!options.issuer) throw new TypeError('createTokenValidator: issuer is required.');
  if (!options.audience || (Array.isArray(options.audience) && !options.audience.length))
    throw new TypeError('createTokenValidator: audience is required.');
  const baseUrl = options.issuer.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const tolerance = options.clockToleranceSeconds ?? 5;
  const maxLifetime = options.maxTokenLifetimeSeconds ?? 3600;
  const algorithms = options.algorithms ?? ['ES256'];
  const logger = options.logger ?? consoleLogger;
  const onError =
    options.onError ??
    ((error: unknown) => logger.warn('Revocation feed error (it retries by itself)', { error }));
  const keyFor = createKeyResolver({
    issuer: baseUrl,
    jwksUri: options.jwksUri,
    fetch: options.fetch,
  });
  const view = createRevocationView({
    maxTokenLifetimeSeconds: maxLifetime,
    clockToleranceSeconds: tolerance,
  });
  const listeners = new Set<RevocationListener>();
  const feed = options.revocations
    ? createRevocationFeed({
        issuer: options.issuer,
        baseUrl,
        feed: options.revocations,
        keyFor,
        algorithms,
        view,
        fetch: fetchImpl,
        logger,
        onError,
        listeners,
      })
    : null;
  const introspect = options.introspection
    ? createIntrospection({ baseUrl, ...options.introspection, fetch: fetchImpl })
    : null;

  // Tokens whose signature and claims checked out, by exact text: a service sees the same
  // token on many requests within its few minutes of life. A hit re-checks expiry, and
  // revocation is checked on every call. Each entry lives until its token expires (least
  // recently used go first past 20,000): memory follows the live tokens.
  const verified = new LRUCache<string, AccessTokenClaims>({ max: 20_000 });
  let verifiedWrites = 0;

  const revoked = () => new TokenValidationError('token_revoked', 'The token has been revoked.');

  /** Revocation, then whether the view can vouch for the rest (fail closed if not). */
  async function decide(token: string, claims: AccessTokenClaims): Promise<AccessTokenClaims> {
    if (view.revokes(claims)) throw revoked();
    if (!feed || feed.isCurrent()) return claims;
    if (!introspect)
      throw new TokenValidationError(
        'validator_unavailable',
        'Revocations are not current; try again shortly.',
      );
    if (!(await introspect(token))) throw revoked();
    return claims;
  }

  async function verify(token: string | null | undefined): Promise<AccessTokenClaims> {
    if (!token) throw new TokenValidationError('token_missing', 'No access token.');
    const hit = verified.get(token);
    if (hit) {
      if (hit.exp + tolerance <= Date.now() / 1000) {
        verified.delete(token);
        throw new TokenValidationError('token_expired', 'The token has expired.');
      }
      return decide(token, hit);
    }
    if (token.split('.').length !== 3)
      throw new TokenValidationError('token_malformed', 'Not a JWT.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms,
        clockTolerance: tolerance,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new TokenValidationError('token_expired', 'The token has expired.');
      // The JWKS could not be fetched: that says nothing of the token (503, not 401).
      if (keysUnavailable(error))
        throw new TokenValidationError('validator_unavailable', 'Signing keys are unavailable.');
      throw new TokenValidationError('token_invalid', 'The token is not valid.');
    }
    const claims = payload as AccessTokenClaims;
    // Revocations are forgotten once the tokens they cut off have expired, which holds only
    // for tokens that live no longer than maxTokenLifetimeSeconds.
    if (typeof claims.client_id !== 'string' || claims.exp - claims.iat > maxLifetime + tolerance)
      throw new TokenValidationError('token_invalid', 'The token is not valid.');
    if ((verifiedWrites += 1) % 1000 === 0) verified.purgeStale();
    verified.set(token, claims, { ttl: Math.max(1, (claims.exp + tolerance) * 1000 - Date.now()) });
    return decide(token, claims);
  }

  return {
    /**
     * Starts receiving revocations; resolves once the view is current (or after the
     * staleness bound, receiving going on). Without `revocations`, resolves at once.
     */
    start: (): Promise<void> => feed?.start() ?? Promise.resolve(),
    /** The claims of a good token; throws TokenValidationError otherwise. */
    verify,
    /** Express middleware: `req.auth` holds the claims; 401/403/503 per RFC 6750, 401 step-up per RFC 9470. */
    middleware: (required: BearerRequirements = {}) => bearerMiddleware(verify, required),
    /** Whether the revocation view is current. Without `revocations`, always current. */
    status: (): ValidatorStatus =>
      feed?.status() ?? { current: true, position: null, lastHeardMs: null },
    /** Told of every revocation applied; returns the function that stops telling. */
    onRevocation(listener: RevocationListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close(): Promise<void> {
      await feed?.close();
    },
  };
}

export type TokenValidator = ReturnType<typeof createTokenValidator>;
