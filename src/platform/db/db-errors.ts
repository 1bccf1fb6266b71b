import { AppError } from '../errors.js';

/**
 * What kind of failure a database error is, from its SQLSTATE (PostgreSQL manual,
 * appendix A) or, for errors the driver raises itself, from its Node error code or
 * message. One classification serves the metrics (error_type) and the availability
 * guard (which failures are an outage, answered 503, rather than a bug).
 */
export type DbErrorKind =
  'connection' | 'timeout' | 'constraint' | 'transaction' | 'resources' | 'query';

const SQLSTATE = /^[0-9A-Z]{5}$/;
// What pg and pg-pool say when the server cannot be reached or the connection broke.
const DRIVER_CONNECTION_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|connection.*(refused|closed|ended)|Query read timeout|not queryable|ECONN|ENOTFOUND|EPIPE|ETIMEDOUT|EHOSTUNREACH/i;

export function dbErrorKind(error: unknown): DbErrorKind | null {
  // Latchkey's own errors are never the database's, whatever their message says.
  if (error instanceof AppError) return null;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SQLSTATE.test(code)) {
    // Class 08: connection exception; 57P01-57P05: the server is shutting down, crashed,
    // cannot take connections now, or dropped an idle session.
    if (code.startsWith('08') || code.startsWith('57P')) return 'connection';
    if (code === '57014') return 'timeout';
    if (code.startsWith('23')) return 'constraint';
    if (code.startsWith('40')) return 'transaction';
    if (code.startsWith('53')) return 'resources';
    return 'query';
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return 'connection';
  const message = error instanceof Error ? error.message : '';
  if (DRIVER_CONNECTION_MESSAGE.test(message)) return 'connection';
  return null;
}

/** PostgreSQL's (and PGlite's) 23505: a unique index saw a second row with the same key. */
export const isUniqueViolation = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === '23505';

/** 23503: a row names one that is not there (or a delete leaves rows naming it). */
export const isForeignKeyViolation = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === '23503';

/**
 * Whether an error means the database is (for now) unavailable: unreachable, a lost or
 * stalled connection, a server shutting down, no connection slots, or a statement the
 * server cancelled at its timeout. Such failures are answered 503, never 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const kind = dbErrorKind(error);
  return kind === 'connection' || kind === 'timeout' || kind === 'resources';
}
