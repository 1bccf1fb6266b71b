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
 * Errors as pino serialises them, without the driver objects some carry: pg attaches the
 * whole client to an idle connection's error (its settings, prepared statements, socket
 * state), which is noise in a log line and not ours to print.
 */
const errorSerializer = (error: unknown) => {
  const serialised = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (serialised && typeof serialised === 'object') {
    delete serialised.client;
    delete serialised.connection;
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
