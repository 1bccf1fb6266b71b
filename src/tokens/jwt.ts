import { sign } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { KeyRing } from './key-ring.js';
import { expiringCache } from '../platform/expiring-cache.js';

/** The only algorithms Latchkey signs with, hence the only ones it accepts from itself. */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];

export type JwtType = 'at+jwt' | 'JWT' | 'logout+jwt' | 'secevent+jwt';

/** node:crypto's digest and signature encoding for each algorithm Latchkey signs with. */
const NODE_SIGNING: Record<string, { digest: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  ES256: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  RS256: { digest: 'sha256' },
  EdDSA: { digest: null },
};

/**
 * Signs a JWT with the active key: a compact JWS (RFC 7515 §7.1) whose signature comes
 * from node:crypto's synchronous signer, which is about three times faster here than
 * WebCrypto (jose's path) and sits on the token endpoint's hot path. ES256 signatures
 * use the raw r‖s encoding JWS requires (RFC 7518 §3.4). Everything Latchkey verifies
 * still goes through jose; test/tokens/jwt.test.ts proves jose accepts what this signs.
 */
export function signJwt(keyRing: KeyRing, typ: JwtType, payload: JWTPayload): Promise<string> {
  const key = keyRing.signingKey();
  const how = NODE_SIGNING[key.alg];
  if (!how)
    return new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
      .sign(key.privateKey);
  const header = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ })).toString(
    'base64url',
  );
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const input = `${header}.${body}`;
  const signature = sign(how.digest, Buffer.from(input), {
    key: key.keyObject,
    ...(how.dsaEncoding ? { dsaEncoding: how.dsaEncoding } : {}),
  });
  return Promise.resolve(`${input}.${signature.toString('base64url')}`);
}

export interface VerifyOptions {
  issuer: string;
  typ: JwtType;
  audience?: string | string[];
  /** Seconds of clock skew tolerated on exp/nbf/iat. */
  clockToleranceSeconds?: number;
  nowSeconds: number;
  /** Skip the exp check (an id_token_hint may be expired: OIDC RP-Initiated Logout §2). */
  allowExpired?: boolean;
}

/**
 * Verifies a JWT Latchkey issued: signature by a published key (looked up by kid; an
 * unknown kid fails), one of our algorithms (never `none`, never HMAC), the exact `typ`,
 * issuer, audience and time claims. Returns the payload, or null for any failure.
 */
const MAX_VERIFIED = 50_000;

export function createOwnJwtVerifier(keyRing: KeyRing) {
  let jwksRef: { keys: JWK[] } | null = null;
  let local: ReturnType<typeof createLocalJWKSet> | null = null;
  const keySet = () => {
    const current = keyRing.jwks();
    if (current !== jwksRef) {
      jwksRef = current;
      local = createLocalJWKSet(current);
    }
    return local!;
  };
  // Tokens that verified once, by exact text: a resource server introspects the same
  // access token many times over its few minutes of life. A hit still checks expiry;
  // revocation is checked by the caller every time. Cleared when the key set changes.
  // An entry lives until its token expires, and expired ones are swept as new ones come,
  // so the cache holds about the tokens of the last few minutes, not a growing pile.
  const verified = expiringCache<{ typ: string; issuer: string; payload: JWTPayload }>(
    MAX_VERIFIED,
  );

  return async (token: string, options: VerifyOptions): Promise<JWTPayload | null> => {
    const cacheable = !options.allowExpired && options.audience === undefined;
    if (jwksRef !== keyRing.jwks()) verified.clear();
    const hit = cacheable ? verified.get(token) : undefined;
    if (hit && hit.typ === options.typ && hit.issuer === options.issuer) {
      const tolerance = options.clockToleranceSeconds ?? 0;
      if (typeof hit.payload.exp === 'number' && hit.payload.exp + tolerance > options.nowSeconds)
        return hit.payload;
      verified.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, keySet(), {
        issuer: options.issuer,
        typ: options.typ,
        algorithms: SIGNING_ALGORITHMS,
        ...(options.audience !== undefined ? { audience: options.audience } : {}),
        clockTolerance: options.clockToleranceSeconds ?? 0,
        currentDate: new Date(options.nowSeconds * 1000),
        requiredClaims: options.allowExpired ? ['iat'] : ['exp', 'iat'],
      });
      if (cacheable && typeof payload.exp === 'number') {
        const ttlMs =
          (payload.exp + (options.clockToleranceSeconds ?? 0) - options.nowSeconds) * 1000;
        if (ttlMs > 0)
          verified.set(token, { typ: options.typ, issuer: options.issuer, payload }, ttlMs);
      }
      return payload;
    } catch (error) {
      if (options.allowExpired && error instanceof errors.JWTExpired) return error.payload;
      return null;
    }
  };
}

export type OwnJwtVerifier = ReturnType<typeof createOwnJwtVerifier>;
