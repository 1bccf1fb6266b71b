import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Field names whose values are secrets wherever they appear in a log line. */
const SECRET_FIELDS = [
  'password',
  'secret',
  'client_secret',
  'clientSecret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'assertion',
  'SAMLResponse',
  'SAMLRequest',
  'apiKey',
  'api_key',
  'privateKey',
  'private_key',
  'd',
];

/**
 * Paths pino removes before a line is written: credentials in headers, cookies both
 * ways, and secret-named fields at the top level and one level down.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
];

/**
 * An error's `code` that names a kind of failure rather than holding a value: a
 * PostgreSQL SQLSTATE (`57P01`), a system error (`ECONNREFUSED`), a library's constant
 * (`OAUTH_RESPONSE_IS_NOT_CONFORM`) or one of Latchkey's reason codes (`invalid_grant`).
 * An authorization code is random base64url, mixed case: it never matches.
 */
const FAILURE_KIND = /^(?:[A-Z0-9_]{2,48}|[a-z0-9_]{2,48})$/;

/**
 * Errors as pino serialises them, without the driver objects some carry: pg attaches the
 * whole client to an idle connection's error (its settings, prepared statements, socket
 * state), which is noise in a log line and not ours to print. `code` is a secret-named
 * field (an OAuth authorization code) and is redacted wherever it appears, so an error's
 * code that names a kind of failure is kept as `error_code`: without it an operator
 * cannot tell a refused connection from a deadlock.
 */
const errorSerializer = (error: unknown) => {
  const serialised = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (serialised && typeof serialised === 'object') {
    delete serialised.client;
    delete serialised.connection;
    const { code } = serialised;
    if (typeof code === 'string' && FAILURE_KIND.test(code)) serialised.error_code = code;
  }
  return serialised;
};

export interface LoggerOptions {
  level: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'latchkey' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: errorSerializer },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
