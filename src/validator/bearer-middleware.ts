import { TokenValidationError, type AccessTokenClaims } from './validator-types.js';

/** Express middleware: `req.auth` holds the claims; failures answer 401/403 per RFC 6750. */
export function bearerMiddleware(
  verify: (token: string | null | undefined) => Promise<AccessTokenClaims>,
  required: { scopes?: string[] } = {},
) {
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
        throw new TokenValidationError('insufficient_scope', `Missing scope: ${missing.join(' ')}`);
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
