import { AppError } from '../platform/errors.js';

/**
 * The one list of OAuth error codes Latchkey answers with (RFC 6749 §4.1.2.1, §5.2; RFC 6750
 * §3.1; RFC 7009 §2.2.1; RFC 8707 §2; OIDC Core §3.1.2.6), each with the generic
 * `error_description` a client is shown. What exactly went wrong is the error's `detail`:
 * it goes to the log line with the request id, never to the client (node-oidc-provider's
 * error_description / error_detail split). The error renderer reads this list too.
 */
export const OAUTH_ERRORS = {
  invalid_request:
    'The request is missing a required parameter, repeats one, or is otherwise malformed.',
  invalid_client: 'Client authentication failed.',
  invalid_grant: 'The grant is invalid, expired, revoked, or was issued to another client.',
  unauthorized_client: 'This client is not authorized to make this request.',
  unsupported_grant_type: 'The grant type is not supported.',
  unsupported_response_type: 'The response type is not supported.',
  invalid_scope: 'The requested scope is invalid, or more than this client may have.',
  invalid_target: 'The requested resource is invalid, or not one this client may use.',
  insufficient_scope: 'The access token lacks the scope this request requires.',
  access_denied: 'The request was denied.',
  login_required: 'The user must sign in.',
  unmet_authentication_requirements:
    'The authentication requirements of the request cannot be met (an essential acr).',
  request_not_supported: 'Request objects are not supported.',
  request_uri_not_supported: 'The request_uri parameter is not supported.',
  invalid_token: 'The access token is invalid, expired or revoked.',
  unsupported_token_type: 'This token type cannot be revoked here.',
  temporarily_unavailable: 'The service is temporarily unavailable; try again shortly.',
  server_error: 'An unexpected error occurred.',
} as const satisfies Record<string, string>;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

export const isOAuthErrorCode = (code: string): code is OAuthErrorCode =>
  Object.hasOwn(OAUTH_ERRORS, code);

export interface OAuthErrorOptions {
  /** What exactly was refused, for the log line; never shown to the client. */
  detail?: string;
  status?: number;
  headers?: Record<string, string>;
}

/** An OAuth error: its message is the code's generic description, its detail is logged. */
export class OAuthError extends AppError {
  constructor(
    readonly oauthCode: OAuthErrorCode,
    options: OAuthErrorOptions = {},
  ) {
    super(oauthCode, OAUTH_ERRORS[oauthCode], {
      status: options.status ?? 400,
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.detail !== undefined ? { detail: options.detail } : {}),
    });
    this.name = 'OAuthError';
  }
}

/** An OAuth error with the specific reason as its (logged, unshown) detail. */
export const oauthError = (code: OAuthErrorCode, detail: string, status = 400) =>
  new OAuthError(code, { detail, status });

/** RFC 6749 §5.2: 401 with WWW-Authenticate when the client tried HTTP Basic. */
export const invalidClient = (usedBasic: boolean, detail = 'Client authentication failed.') =>
  new OAuthError('invalid_client', {
    status: 401,
    detail,
    ...(usedBasic
      ? { headers: { 'WWW-Authenticate': 'Basic realm="latchkey", charset="UTF-8"' } }
      : {}),
  });

/**
 * RFC 6750 §3: a request to a resource server (userinfo, the Shared Signals transmitter)
 * refused for its bearer token: none (401, a bare challenge, §3.1), not a live one (401
 * invalid_token), or without the scope it needs (403 insufficient_scope, naming it).
 */
export function bearerRefusal(
  refusal: 'missing' | 'invalid_token' | 'insufficient_scope',
  detail: string,
  scope?: string,
): OAuthError {
  const challenge = 'Bearer realm="latchkey"';
  if (refusal === 'missing')
    return new OAuthError('invalid_request', {
      detail,
      status: 401,
      headers: { 'WWW-Authenticate': challenge },
    });
  if (refusal === 'invalid_token')
    return new OAuthError('invalid_token', {
      detail,
      status: 401,
      headers: { 'WWW-Authenticate': `${challenge}, error="invalid_token"` },
    });
  return new OAuthError('insufficient_scope', {
    detail,
    status: 403,
    headers: {
      'WWW-Authenticate': `${challenge}, error="insufficient_scope", scope="${scope ?? ''}"`,
    },
  });
}
