import { createLocalJWKSet, errors, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { KeyRing } from './key-ring.js';

/** The only algorithms Latchkey signs with, hence the only ones it accepts from itself. */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];

export type JwtType = 'at+jwt' | 'JWT' | 'logout+jwt';

export async function signJwt(
  keyRing: KeyRing,
  typ: JwtType,
  payload: JWTPayload,
): Promise<string> {
  const key = keyRing.signingKey();
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
    .sign(key.privateKey);
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
  return async (token: string, options: VerifyOptions): Promise<JWTPayload | null> => {
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
      return payload;
    } catch (error) {
      if (options.allowExpired && error instanceof errors.JWTExpired) return error.payload;
      return null;
    }
  };
}

export type OwnJwtVerifier = ReturnType<typeof createOwnJwtVerifier>;
