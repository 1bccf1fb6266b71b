import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from '../platform/logger.js';
import { AppError, isAppError } from '../platform/errors.js';
import { errorPage } from './views/error-page.js';
import { pageText } from './i18n/page-text.js';
import type { MessageKey } from './i18n/translator.js';
import type { OrgLook } from './views/layout.js';
import type { ErrorStyle } from '../platform/error-style.js';
import { isOAuthErrorCode } from '../tokens/index.js';

/**
 * The one error renderer (rule of the house 8). Routes throw; this turns what they throw
 * into the shape their audience understands:
 *   problem  admin API          RFC 9457 application/problem+json with a stable `code`
 *   oauth    protocol endpoints RFC 6749 §5.2 {error, error_description}
 *   html     browser pages      an error page with the correlation id
 *   scim     SCIM endpoints     RFC 7644 §3.12 application/scim+json; a code `scim_<type>`
 *                               is the body's scimType
 * Anything that is not an AppError is a bug: logged in full, answered as a bare 500.
 */
export { errorStyle, type ErrorStyle } from '../platform/error-style.js';

/** Errors of Express's body parsers, as AppErrors with our codes. */
function fromBodyParser(error: unknown): AppError | null {
  const type = (error as { type?: unknown }).type;
  if (typeof type !== 'string') return null;
  switch (type) {
    case 'entity.parse.failed':
      return new AppError('malformed_body', 'The request body is not valid JSON.', { status: 400 });
    case 'entity.too.large':
      return new AppError(
        'payload_too_large',
        'The request body is larger than this endpoint accepts.',
        {
          status: 413,
        },
      );
    // A urlencoded body with more fields than the parser's parameterLimit: refused like an
    // oversized body (413), in every audience's style (OAuth: invalid_request, status 413).
    case 'parameters.too.many':
      return new AppError(
        'payload_too_large',
        'The request has more fields than this endpoint accepts.',
        { status: 413 },
      );
    case 'querystring.parse.rangeError':
      return new AppError('malformed_body', 'The request body is nested too deeply.', {
        status: 400,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        'unsupported_media_type',
        'The request body encoding or charset is not supported.',
        {
          status: 415,
        },
      );
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('malformed_body', 'The request body could not be read.', { status: 400 });
    default:
      return null;
  }
}

function oauthCode(error: AppError): string {
  if (isOAuthErrorCode(error.code)) return error.code;
  // No RFC 6749 code says "too many requests"; this one is Auth0's and others' too.
  if (error.status === 429) return 'too_many_requests';
  if (error.status === 503) return 'temporarily_unavailable';
  if (error.status >= 500) return 'server_error';
  if (error.status === 401) return 'invalid_client';
  return 'invalid_request';
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Request too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

/** The error page's heading by status, in the person's language (problem+json keeps TITLES). */
const PAGE_TITLES: Record<number, MessageKey> = {
  400: 'error.badRequest',
  401: 'error.signInRequired',
  403: 'error.notAllowed',
  404: 'error.notFound',
  405: 'error.methodNotAllowed',
  409: 'error.conflict',
  412: 'error.preconditionFailed',
  413: 'error.tooLarge',
  415: 'error.unsupportedMediaType',
  429: 'error.tooMany',
  500: 'error.somethingWrong',
  503: 'error.unavailable',
};

function styleFor(req: Request, res: Response): ErrorStyle {
  const marked = res.locals.errorStyle as ErrorStyle | undefined;
  if (marked) return marked;
  if (req.path.startsWith('/api/')) return 'problem';
  // A browser navigating to an unknown page gets a page; API clients get problem+json.
  return req.accepts(['application/json', 'application/problem+json', 'text/html']) === 'text/html'
    ? 'html'
    : 'problem';
}

/**
 * A refusal's detail (what exactly was wrong), which its response leaves out, in the log
 * line with the request id: node-oidc-provider's error_description / error_detail split.
 * The field is `error`, as in the OAuth response: `code` is a redacted name (logger.ts).
 */
export function logRefusal(logger: Pick<Logger, 'info'>, error: AppError, requestId: string) {
  logger.info({ error: error.code, requestId, detail: error.detail }, 'request refused');
}

/**
 * What was thrown, as an AppError: a bug (anything else) is logged in full and becomes a
 * bare 500; an outage (5xx AppError) is logged as a warning.
 */
export function toAppError(
  error: unknown,
  logger: Logger,
  where: { requestId: string; method: string; route: unknown },
): AppError {
  const appError = isAppError(error) ? error : fromBodyParser(error);
  if (!appError) {
    logger.error({ err: error, ...where }, 'unhandled error');
    return new AppError('internal_error', 'An unexpected error occurred.', { status: 500 });
  }
  if (appError.status >= 500)
    logger.warn(
      // `error`, not `code` (redacted as a secret-named field); the cause under `err`, whose
      // serializer keeps a driver's code (a SQLSTATE, an errno) as err.error_code.
      { error: appError.code, requestId: where.requestId, err: appError.cause },
      appError.message,
    );
  else if (appError.detail !== undefined) logRefusal(logger, appError, where.requestId);
  return appError;
}

/** RFC 7644 §3.12: the SCIM error body; `status` is a string there. */
export const scimErrorBody = (error: AppError) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: String(error.status),
  ...(error.code.startsWith('scim_') && error.code !== 'scim_error'
    ? { scimType: error.code.slice('scim_'.length) }
    : {}),
  detail: error.message,
});

/** RFC 6749 §5.2 error response body. */
export const oauthErrorBody = (error: AppError) => ({
  error: oauthCode(error),
  error_description: error.message,
});

/**
 * Where a page route has learned whose page it is (the signed-in user's org), it puts the
 * org's id in res.locals under this name: its error page then has the org's look.
 */
export const BRANDING_ORG_LOCAL = 'brandingOrgId';

/**
 * The org an error page concerns: the one a login failure names (the org is known once
 * discovery or the callback found its connection), else the one the route noted.
 */
function orgOfError(error: unknown, res: Response): string | null {
  const fromError = (error as { orgId?: unknown } | null)?.orgId;
  if (typeof fromError === 'string') return fromError;
  const noted: unknown = res.locals[BRANDING_ORG_LOCAL];
  return typeof noted === 'string' ? noted : null;
}

/** The html error page, with the look of the org it concerns where there is one. */
async function sendErrorPage(
  req: Request,
  res: Response,
  error: { appError: AppError; raw: unknown; requestId: string },
  pageBranding: ErrorRendererOptions['pageBranding'],
) {
  const { appError, requestId } = error;
  const status = appError.status;
  const orgId = pageBranding ? orgOfError(error.raw, res) : null;
  // Branding decorates the page; an error while looking it up leaves the default look.
  const look = orgId && pageBranding ? await pageBranding(orgId).catch(() => null) : null;
  const signIn = req.path.startsWith('/login') || req.path.startsWith('/saml/');
  const retryAfter = Number(appError.headers?.['Retry-After']);
  res
    .status(status)
    .type('html')
    .send(
      errorPage(pageText(res), {
        title:
          status === 429
            ? 'error.tooMany'
            : signIn
              ? 'error.signInFailed'
              : (PAGE_TITLES[status] ?? 'error.somethingWrong'),
        message: appError.message,
        code: appError.code,
        requestId,
        throttled:
          status === 429 && Number.isInteger(retryAfter) && retryAfter > 0
            ? { retryAfterSeconds: retryAfter, signIn }
            : null,
        look,
      }),
    );
}

export interface ErrorRendererOptions {
  /** An org's look on its employees' error pages, or null (none: the default look). */
  pageBranding?: (orgId: string) => Promise<OrgLook | null>;
}

export function createErrorRenderer(
  logger: Logger,
  options: ErrorRendererOptions = {},
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const requestId = String(res.locals.requestId ?? '');
    const appError = toAppError(error, logger, {
      requestId,
      method: req.method,
      route: (req.route as { path?: unknown } | undefined)?.path,
    });
    const status = appError.status;
    for (const [name, value] of Object.entries(appError.headers ?? {})) res.set(name, value);
    res.set('Cache-Control', 'no-store');

    switch (styleFor(req, res)) {
      case 'oauth':
        // RFC 6749 §5.2: 401 with WWW-Authenticate when client authentication failed.
        res.status(status).json(oauthErrorBody(appError));
        return;
      case 'html':
        sendErrorPage(req, res, { appError, raw: error, requestId }, options.pageBranding).catch(
          next,
        );
        return;
      case 'scim':
        res
          .status(status)
          .type('application/scim+json')
          .send(JSON.stringify(scimErrorBody(appError)));
        return;
      case 'problem':
        res
          .status(status)
          .type('application/problem+json')
          .send(
            JSON.stringify({
              type: `urn:latchkey:problem:${appError.code}`,
              title: TITLES[status] ?? 'Error',
              status,
              detail: appError.message,
              code: appError.code,
              request_id: requestId,
              ...(appError.fields ? { errors: appError.fields } : {}),
            }),
          );
        return;
    }
  };
}
