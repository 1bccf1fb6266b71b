import { AppError } from '../platform/errors.js';

/**
 * RFC 6749 §5.2 / OIDC Core §3.1.2.6 error codes, as AppErrors the one renderer turns
 * into `{ error, error_description }` on protocol endpoints.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'insufficient_scope'
  | 'access_denied'
  | 'login_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'invalid_token'
  | 'unsupported_token_type'
  | 'temporarily_unavailable'
  | 'server_error';

export class OAuthError extends AppError {
  constructor(
    readonly oauthCode: OAuthErrorCode,
    description: string,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(oauthCode, description, {
      status: options.status ?? 400,
      ...(options.headers ? { headers: options.headers } : {}),
    });
    this.name = 'OAuthError';
  }
}

export const oauthError = (code: OAuthErrorCode, description: string, status = 400) =>
  new OAuthError(code, description, { status });

/** RFC 6749 §5.2: 401 with WWW-Authenticate when the client tried HTTP Basic. */
export const invalidClient = (usedBasic: boolean) =>
  new OAuthError('invalid_client', 'Client authentication failed.', {
    status: 401,
    ...(usedBasic
      ? { headers: { 'WWW-Authenticate': 'Basic realm="latchkey", charset="UTF-8"' } }
      : {}),
  });
