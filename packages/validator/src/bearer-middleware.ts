import { TokenValidationError, type AccessTokenClaims } from './validator-types.js';

declare global {
  // Express's Request (4 and 5) gets `auth`, set by the middleware once a token checked out.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      auth?: AccessTokenClaims;
    }
  }
}

/** The parts of an Express (4 or 5) request the middleware reads and writes. */
export interface BearerRequest {
  headers: Record<string, string | string[] | undefined>;
  auth?: AccessTokenClaims;
}

/** The parts of an Express response the middleware answers with. */
export interface BearerResponse {
  status(code: number): { set(headers: Record<string, string>): { json(body: unknown): void } };
}

const STATUS: Record<string, number> = { insufficient_scope: 403, validator_unavailable: 503 };

/**
 * Express middleware: `req.auth` holds the claims; failures answer per RFC 6750 §3 — 401
 * with `WWW-Authenticate: Bearer` (and `error="invalid_token"` unless no token came), 403
 * `insufficient_scope`, and 503 while revocations cannot be checked (fail closed).
 */
export function bearerMiddleware(
  verify: (token: string | null | undefined) => Promise<AccessTokenClaims>,
  required: { scopes?: string[] } = {},
) {
  return async (req: BearerRequest, res: BearerResponse, next: (error?: unknown) => void) => {
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
      const oauthCode =
        error.code === 'insufficient_scope'
          ? 'insufficient_scope'
          : error.code === 'token_missing'
            ? undefined
            : 'invalid_token';
      const headers: Record<string, string> = {
        'WWW-Authenticate': oauthCode
          ? `Bearer error="${oauthCode}", error_description="${error.message}"`
          : 'Bearer',
        'Cache-Control': 'no-store',
      };
      if (error.code === 'validator_unavailable') headers['Retry-After'] = '1';
      res
        .status(STATUS[error.code] ?? 401)
        .set(headers)
        .json({
          error: oauthCode ?? 'invalid_request',
          error_description: error.message,
          code: error.code,
        });
    }
  };
}
