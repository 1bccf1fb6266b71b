import type { JwtType, OwnJwtVerifier } from './jwt.js';

/**
 * A JWT Latchkey itself issued, of this typ, verified against our issuer and the clock
 * (with the configured tolerance): its claims, or null for anything else. The one way the
 * provider reads back its own access tokens (introspection, revocation, userinfo) and ID
 * tokens (an id_token_hint, which may have expired: RP-Initiated Logout 1.0 §2).
 */
export type VerifyOwnToken = (
  token: string,
  typ: JwtType,
  options?: { allowExpired?: boolean },
) => ReturnType<OwnJwtVerifier>;

export function createVerifyOwnToken(
  settings: { issuer: string; clockToleranceSeconds: number },
  verifyJwt: OwnJwtVerifier,
  nowSeconds: () => number,
): VerifyOwnToken {
  return (token, typ, options = {}) =>
    verifyJwt(token, {
      issuer: settings.issuer,
      typ,
      nowSeconds: nowSeconds(),
      ...(options.allowExpired ? { allowExpired: true } : {}),
      clockToleranceSeconds: settings.clockToleranceSeconds,
    });
}
