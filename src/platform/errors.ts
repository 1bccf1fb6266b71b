/**
 * Every error Latchkey means to show carries a stable `code` (tests and clients branch on
 * it, never on message text) and an HTTP status. The one error renderer (http/) turns it
 * into problem+json, OAuth error JSON or an HTML page. Anything that is not an AppError is
 * a bug: it is logged and answered as a bare 500.
 */
export interface FieldIssue {
  /** JSON pointer-ish path of the offending field, e.g. "redirect_uris.0". */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  status?: number;
  /** Field-level details for validation errors. */
  fields?: FieldIssue[];
  /** Extra response headers (e.g. WWW-Authenticate, Allow). */
  headers?: Record<string, string>;
  /** What exactly was refused, for the log line with the request id; never rendered. */
  detail?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly fields: FieldIssue[] | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly detail: string | undefined;

  constructor(
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status ?? 400;
    this.fields = options.fields;
    this.headers = options.headers;
    this.detail = options.detail;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** A dependency (Postgres, Redis, an upstream IdP) is unavailable: 503, retry later. */
export class UnavailableError extends AppError {
  constructor(
    readonly dependency: string,
    cause?: unknown,
  ) {
    super('dependency_unavailable', `${dependency} is unavailable; try again shortly`, {
      status: 503,
      headers: { 'Retry-After': '1' },
      cause,
    });
  }
}
