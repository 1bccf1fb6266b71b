import { createHash } from 'node:crypto';
import pg from 'pg';
import { AppError, UnavailableError } from '../errors.js';
import type { Database, Queryable, QueryOptions, QueryResult } from './database.js';
import { isDatabaseUnavailable } from './db-errors.js';
import { listenPostgres } from './notifications.js';
import { createOutageBreaker, type OutageBreaker } from './outage-breaker.js';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  /** Server side: a statement running longer is cancelled by PostgreSQL (57014). */
  statementTimeoutMs: number;
  /**
   * Client side: a query with no answer after this long fails, and its connection is
   * dropped. Catches what the server cannot: a stalled network or a frozen server.
   */
  queryTimeoutMs: number;
  /** Waiting for a pooled connection, or opening a new one, gives up after this long. */
  connectTimeoutMs: number;
  /** Called with errors of idle pooled connections (they must not crash the process). */
  onError?: (error: Error) => void;
  /**
   * Told when a COMMIT, or a write outside a transaction, was sent but its answer was lost
   * (the connection broke or stalled): it may or may not have been applied, and its caller
   * was answered 503.
   */
  onCommitOutcomeUnknown?: (error: unknown) => void;
  /** Told when PostgreSQL becomes unavailable (with why) and available again. */
  onAvailability?: (available: boolean, error?: unknown) => void;
}

// int8 (COUNT(*), bigint columns) as a JS number, as PGlite returns it; Latchkey keeps
// no integer beyond 2^53.
const INT8_OID = 20;
const parseInt8 = (value: string): number => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

/** Statements that change nothing: their lost answer leaves no doubt behind. */
const READ_ONLY = /^\s*(SELECT|SHOW|EXPLAIN|VALUES)\b/i;

/** However long the wait for a connection was, a statement may take this long. */
const MIN_STATEMENT_WAIT_MS = 250;

// Migrations and other scripts may legitimately run long: no client-side read timeout.
const SCRIPT_QUERY_TIMEOUT_MS = 24 * 3600_000;

/** A pooled connection, unless the breaker opens while waiting for one. */
async function checkout(pool: pg.Pool, breaker: OutageBreaker): Promise<pg.PoolClient> {
  const pending = pool.connect();
  const opened = breaker.whenOpened();
  try {
    const winner = await Promise.race([pending, opened.promise]);
    if (winner === 'opened') {
      // Whoever arrives later goes straight back: nothing is sent on it.
      pending.then(
        (client) => client.release(),
        () => undefined,
      );
      throw new UnavailableError('database');
    }
    return winner;
  } finally {
    opened.cancel();
  }
}

/** A broken connection is destroyed, never handed to the next caller. */
function release(client: pg.PoolClient, error?: unknown) {
  client.release(
    error !== undefined && isDatabaseUnavailable(error) ? (error as Error) : undefined,
  );
}

/** Each prepared text's statement name (pg prepares a named statement once per connection). */
const statementNames = new Map<string, string>();
const statementName = (sql: string) => {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `lk_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
};

async function run<Row>(
  client: pg.PoolClient,
  sql: string,
  params?: unknown[],
  queryTimeoutMs?: number,
  options?: QueryOptions,
): Promise<QueryResult<Row>> {
  const config: pg.QueryConfig & { query_timeout?: number } = { text: sql, values: params };
  if (queryTimeoutMs !== undefined) config.query_timeout = queryTimeoutMs;
  if (options?.prepared) config.name = statementName(sql);
  const result = await client.query(config);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

/**
 * A transaction on one connection: BEGIN (within what is left of the call's
 * queryTimeoutMs), the work, COMMIT; ROLLBACK after a failure on a working connection.
 */
async function runTransaction<T>(
  options: PostgresOptions,
  client: pg.PoolClient,
  beginTimeoutMs: number,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const tx: Queryable = {
    query: (sql, params, options) => run(client, sql, params, undefined, options),
    exec: async (sql) => {
      await run(client, sql, undefined, SCRIPT_QUERY_TIMEOUT_MS);
    },
  };
  await run(client, 'BEGIN', undefined, beginTimeoutMs);
  let committing = false;
  try {
    const result = await fn(tx);
    committing = true;
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // Nobody can tell from here whether the server committed: idempotent retries
    // (a session end, a refresh in its grace window) converge; the count is kept.
    if (committing && isDatabaseUnavailable(error)) options.onCommitOutcomeUnknown?.(error);
    // On a broken connection there is nothing to roll back: the server does it.
    if (!isDatabaseUnavailable(error)) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * PostgreSQL through a pg pool, failing fast when the server is away. Every failure that
 * means "unavailable" (refused, reset, stalled past queryTimeoutMs, shutting down, out of
 * connections; db-errors.ts) becomes UnavailableError('database'), a 503. After one, an
 * outage breaker answers every other call at once while a single probe call finds out
 * whether the server is back (outage-breaker.ts), and calls still waiting for a pooled
 * connection give up at once: none of them has sent anything, so none changed anything.
 */
export function createPostgresDatabase(options: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    // A peer that vanished without a word is noticed on idle connections too.
    keepAlive: true,
    keepAliveInitialDelayMillis: 1000,
    idleTimeoutMillis: 30_000,
    types,
  });
  pool.on('error', (error) => options.onError?.(error));
  const breaker: OutageBreaker = createOutageBreaker({
    onChange: (available, error) => options.onAvailability?.(available, error),
  });

  /**
   * What is left of a call's queryTimeoutMs once it has a connection: the wait for a
   * pooled connection counts against it, so one call (a query, or a transaction's BEGIN)
   * never waits past queryTimeoutMs in all, however busy the pool was.
   */
  const remainingMs = (startedAt: number) =>
    Math.max(MIN_STATEMENT_WAIT_MS, options.queryTimeoutMs - (performance.now() - startedAt));

  /** Runs work on one connection, through the breaker; outages become 503s. */
  const guarded = <T>(work: (client: pg.PoolClient, startedAt: number) => Promise<T>): Promise<T> =>
    breaker.call(async () => {
      const startedAt = performance.now();
      const client = await checkout(pool, breaker);
      // A connection that breaks while in use emits 'error' besides failing its query;
      // unheard, that event would end the process.
      let failure: unknown;
      const onError = (error: Error) => {
        failure ??= error;
      };
      client.on('error', onError);
      try {
        return await work(client, startedAt);
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        client.off('error', onError);
        release(client, failure);
      }
    }, toUnavailable);

  return {
    kind: 'postgres',
    query: (sql, params, queryOptions) =>
      guarded(async (client, startedAt) => {
        try {
          return await run(client, sql, params, remainingMs(startedAt), queryOptions);
        } catch (error) {
          // A write outside a transaction commits on its own: its answer lost is a COMMIT's.
          if (!READ_ONLY.test(sql) && isDatabaseUnavailable(error))
            options.onCommitOutcomeUnknown?.(error);
          throw error;
        }
      }),
    exec: (sql) =>
      guarded(async (client) => {
        await run(client, sql, undefined, SCRIPT_QUERY_TIMEOUT_MS);
      }),
    transaction: (fn) =>
      guarded((client, startedAt) => runTransaction(options, client, remainingMs(startedAt), fn)),
    ping: () =>
      guarded(async (client, startedAt) => {
        await run(client, 'SELECT 1', undefined, remainingMs(startedAt));
      }),
    async listen(channel, onNotify, onReconnect) {
      const { stop, ready } = listenPostgres({
        url: options.url,
        channel,
        onNotify,
        onReconnect,
        onError: (error) => options.onError?.(error as Error),
      });
      // Listening once this resolves (or its first attempt failed: it keeps trying).
      await ready;
      return stop;
    },
    async close() {
      breaker.close();
      await pool.end();
    },
  };
}

/** An outage as the 503 every audience understands; anything else goes through as is. */
function toUnavailable(error: unknown): unknown {
  if (error instanceof AppError) return error;
  return isDatabaseUnavailable(error) ? new UnavailableError('database', error) : error;
}
