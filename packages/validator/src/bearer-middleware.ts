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

/** What a route requires of a token: scopes (RFC 6750), and how its user signed in (RFC 9470). */
export interface BearerRequirements {
  scopes?: string[];
  /** The token's `acr` must be one of these (RFC 9470 `acr_values`). */
  acrValues?: string[];
  /** The user signed in at most this many seconds ago (`auth_time`; RFC 9470 `max_age`). */
  maxAgeSeconds?: number;
}

/** A quoted auth-param value (RFC 9110 §11.2): backslash and quote escaped. */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`;

/**
 * RFC 9470 §3: the challenge that tells the client to send the user back to sign in with
 * the `acr_values` and `max_age` the route needs; null when the token meets them. A token
 * without `acr` (or `auth_time`) does not meet a requirement on it: fail closed.
 */
function stepUpChallenge(
  claims: AccessTokenClaims,
  required: BearerRequirements,
  nowSeconds: number,
) {
  const { acrValues, maxAgeSeconds } = required;
  const acrMet =
    !acrValues?.length || (typeof claims.acr === 'string' && acrValues.includes(claims.acr));
  const ageMet =
    maxAgeSeconds === undefined ||
    (typeof claims.auth_time === 'number' && nowSeconds - claims.auth_time <= maxAgeSeconds);
  if (acrMet && ageMet) return null;
  const description = !acrMet
    ? 'A different authentication level is required'
    : 'More recent authentication is required';
  const params = [
    'error="insufficient_user_authentication"',
    `error_description=${quoted(description)}`,
    ...(acrValues?.length ? [`acr_values=${quoted(acrValues.join(' '))}`] : []),
    ...(maxAgeSeconds !== undefined ? [`max_age=${quoted(String(maxAgeSeconds))}`] : []),
  ];
  return { header: `Bearer ${params.join(', ')}`, description };
}

/**
 * Express middleware: `req.auth` holds the claims; failures answer per RFC 6750 §3 — 401
 * with `WWW-Authenticate: Bearer` (and `error="invalid_token"` unless no token came), 403
 * `insufficient_scope`, 401 `insufficient_user_authentication` with `acr_values` /
 * `max_age` when the user's sign-in does not meet the route's (RFC 9470 step-up), and 503
 * while revocations cannot be checked (fail closed).
 */
export function bearerMiddleware(
  verify: (token: string | null | undefined) => Promise<AccessTokenClaims>,
  required: BearerRequirements = {},
  now: () => number = () => Date.now() / 1000,
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
      const stepUp = stepUpChallenge(claims, required, now());
      if (stepUp) {
        res
          .status(401)
          .set({ 'WWW-Authenticate': stepUp.header, 'Cache-Control': 'no-store' })
          .json({
            error: 'insufficient_user_authentication',
            error_description: stepUp.description,
            code: 'insufficient_user_authentication',
          });
        return;
      }
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
