import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type JWTPayload,
} from 'jose';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * Latchkey's access-token validator for Express services (and anything else). It checks
 * tokens locally — signature against Latchkey's cached JWKS, `typ: at+jwt` (RFC 9068),
 * algorithm, issuer, audience, expiry and required claims — and rejects any token whose
 * session was revoked, which it learns within a second from Latchkey's revocation
 * channel on Redis. Self-contained: it shares no code with the server, so a service can
 * depend on it alone.
 */
export interface TokenValidatorOptions {
  /** Latchkey's issuer URL, exactly as in its discovery document. */
  issuer: string;
  /** This service's audience identifier: tokens must name it in `aud`. */
  audience: string | string[];
  /** JWKS location; default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Accepted signing algorithms (never `none`, never HMAC). Default ES256. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /**
   * Latchkey's Redis and key prefix: revocations arrive on `<keyPrefix>revocations`, and
   * revocations from before this validator started are found in tombstones.
   */
  redis?: { url: string; keyPrefix: string };
  /** Called with errors of the revocation channel (it reconnects by itself). */
  onError?: (error: unknown) => void;
}

export type ValidationErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_invalid'
  | 'token_expired'
  | 'token_revoked'
  | 'insufficient_scope'
  | 'validator_unavailable';

export class TokenValidationError extends Error {
  constructor(
    readonly code: ValidationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenValidationError';
  }
}

export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  client_id: string;
  jti: string;
  iat: number;
  exp: number;
  scope?: string;
  sid?: string;
  org_id?: string;
  roles?: string[];
}

const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'];
/**
 * Set by Latchkey once Redis holds every revocation in force, to the run_id of the Redis
 * it loaded them into. Missing (Redis lost its data) or naming another run (Redis
 * restarted, perhaps from an older snapshot): a missing tombstone proves nothing.
 */
const LOADED_MARKER = 'eph:revocations:loaded';
const RUN_ID = /^[0-9a-f]{40}$/;
/** How long a sid's tombstone lookup result is trusted; the channel covers the rest. */
const TOMBSTONE_CHECK_TTL_MS = 60_000;
/** How long a key the JWKS gave is used before the (cached) set is asked again. */
const KEY_CACHE_MS = 30_000;

export function createTokenValidator(options: TokenValidatorOptions) {
  const jwks = createRemoteJWKSet(
    new URL(options.jwksUri ?? `${options.issuer}/.well-known/jwks.json`),
    {
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    },
  );
  // The keys the remote set resolved, by kid and alg, trusted for KEY_CACHE_MS before the
  // set is asked again (it caches the JWKS itself and refetches on an unknown kid): the
  // set's own lookup is a sizeable share of a first verification. jose still checks the
  // algorithm against `algorithms` before asking for a key, and the key against the alg.
  const resolvedKeys = new Map<string, { key: Awaited<ReturnType<typeof jwks>>; atMs: number }>();
  const keyFor = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const id = header.kid === undefined ? null : `${header.alg ?? ''} ${header.kid}`;
    const hit = id === null ? undefined : resolvedKeys.get(id);
    if (hit && Date.now() - hit.atMs < KEY_CACHE_MS) return hit.key;
    const key = await jwks(header, token);
    if (id !== null) {
      if (resolvedKeys.size >= 100) resolvedKeys.clear();
      resolvedKeys.set(id, { key, atMs: Date.now() });
    }
    return key;
  };
  const revoked = new Map<string, number>();
  // Sessions whose tombstone was looked up lately (sid → when): entries age out after
  // TOMBSTONE_CHECK_TTL_MS, so the map holds the sessions of the last minute, no more.
  const checked = new LRUCache<string, number>({ max: 100_000, ttl: TOMBSTONE_CHECK_TTL_MS });
  let client: Redis | null = null;
  let subscriber: Redis | null = null;
  /** The run_id of the Redis the lookup connection is on (read at every connect). */
  let runId: string | null = null;
  /** The loaded marker last seen: when it changes, earlier lookups are not trusted. */
  let lastMarker: string | null = null;
  let channelUp = options.redis === undefined;
  const listeners = new Set<(sid: string, delayMs: number) => void>();

  const remember = (sid: string) => {
    revoked.set(sid, Date.now());
    // Bounded: a revoked sid only matters while its tokens can live (at most an hour).
    if (revoked.size > 100_000) {
      const cutoff = Date.now() - 2 * 3600_000;
      for (const [key, at] of revoked) if (at < cutoff) revoked.delete(key);
    }
  };

  async function start(): Promise<void> {
    if (!options.redis) return;
    const { url, keyPrefix } = options.redis;
    client = new Redis(url, {
      keyPrefix,
      enableOfflineQueue: false,
      commandTimeout: 1000,
      maxRetriesPerRequest: 0,
      // Concurrent first verifications of tokens from many sessions look their
      // tombstones up in one round trip.
      enableAutoPipelining: true,
    });
    client.on('error', (error) => options.onError?.(error));
    const lookups = client;
    // The run id is read again, on first need, after every reconnect (Redis may have restarted).
    lookups.on('ready', () => {
      runId = null;
    });
    lookups.on('close', () => {
      runId = null;
      checked.clear();
    });
    subscriber = new Redis(url, { enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', (error) => {
      channelUp = false;
      options.onError?.(error);
    });
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const event = JSON.parse(message) as { sid?: unknown; atMs?: unknown };
        if (typeof event.sid !== 'string') return;
        remember(event.sid);
        const delay = typeof event.atMs === 'number' ? Date.now() - event.atMs : 0;
        for (const listener of listeners) listener(event.sid, delay);
      } catch (error) {
        options.onError?.(error);
      }
    });
    // After a reconnect, revocations may have been missed: look tombstones up again.
    subscriber.on('ready', () => {
      checked.clear();
      channelUp = true;
    });
    await subscriber.subscribe(`${keyPrefix}revocations`);
    channelUp = true;
  }

  /** Whether the session was revoked: channel first, then (once per sid) its tombstone. */
  async function isRevoked(sid: string): Promise<boolean> {
    if (revoked.has(sid)) return true;
    if (!client) return false;
    const last = checked.get(sid);
    if (last !== undefined && channelUp && Date.now() - last < TOMBSTONE_CHECK_TTL_MS) return false;
    let tombstone: string | null;
    let marker: string | null;
    try {
      [tombstone, marker] = await Promise.all([
        client.get(`eph:revoked:${sid}`),
        client.get(LOADED_MARKER),
      ]);
      if (runId === null && marker !== null && RUN_ID.test(marker)) {
        runId = /^run_id:(\w+)/m.exec(await client.info('server'))?.[1] ?? null;
      }
    } catch {
      // Fail closed: without the channel or tombstones, a revoked session could pass.
      throw new TokenValidationError('validator_unavailable', 'Revocation state is unavailable.');
    }
    if (tombstone !== null) {
      remember(sid);
      return true;
    }
    // Redis lost its data or restarted since Latchkey last loaded the revocations into it:
    // until Latchkey has loaded them again, no tombstone is no proof (fail closed).
    if (marker === null || (RUN_ID.test(marker) && marker !== runId)) {
      throw new TokenValidationError(
        'validator_unavailable',
        'Revocation state is being restored; try again shortly.',
      );
    }
    if (marker !== lastMarker) {
      checked.clear();
      lastMarker = marker;
    }
    checked.set(sid, Date.now());
    return false;
  }

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
  function middleware(required: { scopes?: string[] } = {}) {
    return async (
      req: { headers: Record<string, string | string[] | undefined>; auth?: AccessTokenClaims },
      res: {
        status(code: number): { set(h: Record<string, string>): { json(body: unknown): void } };
      },
      next: (error?: unknown) => void,
    ): Promise<void> => {
      const header = req.headers.authorization;
      const bearer =
        typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
      try {
        const claims = await verify(bearer);
        const granted = (claims.scope ?? '').split(' ');
        const missing = (required.scopes ?? []).filter((s) => !granted.includes(s));
        if (missing.length)
          throw new TokenValidationError(
            'insufficient_scope',
            `Missing scope: ${missing.join(' ')}`,
          );
        req.auth = claims;
        next();
      } catch (error) {
        if (!(error instanceof TokenValidationError)) {
          next(error);
          return;
        }
        const status =
          error.code === 'insufficient_scope'
            ? 403
            : error.code === 'validator_unavailable'
              ? 503
              : 401;
        const oauthCode =
          error.code === 'insufficient_scope'
            ? 'insufficient_scope'
            : error.code === 'token_missing'
              ? undefined
              : 'invalid_token';
        res
          .status(status)
          .set({
            'WWW-Authenticate': oauthCode
              ? `Bearer error="${oauthCode}", error_description="${error.message}"`
              : 'Bearer',
            'Cache-Control': 'no-store',
          })
          .json({
            error: oauthCode ?? 'invalid_request',
            error_description: error.message,
            code: error.code,
          });
      }
    };
  }

  return {
    start,
    verify,
    middleware,
    /** Notified of every revocation heard, with its propagation delay in ms. */
    onRevocation(listener: (sid: string, delayMs: number) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(): Promise<void> {
      subscriber?.disconnect();
      client?.disconnect();
      subscriber = null;
      client = null;
      return Promise.resolve();
    },
  };
}

export type TokenValidator = ReturnType<typeof createTokenValidator>;
