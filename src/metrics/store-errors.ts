import { dbErrorKind, type Database, type Queryable } from '../platform/db/index.js';
import { UnavailableError } from '../platform/errors.js';
import type { RedisClient } from '../platform/redis/index.js';
import type { DbErrorType, Metrics } from './registry.js';

/**
 * The error_type of a failed PostgreSQL (or PGlite) operation (platform/db dbErrorKind:
 * class 08 and 57P0x are lost connections, 57014 a statement timeout, 23 a constraint
 * (often an expected conflict: dashboards may leave it out), 40 a rolled-back transaction,
 * 53 exhausted resources; anything else is "query"). An error of a query with no
 * recognisable kind came from the driver: the server could not be reached. Returns null
 * for errors that are not the database's (thrown by code inside a transaction).
 */
export function postgresErrorType(error: unknown, fromQuery: boolean): DbErrorType | null {
  // An outage as the database layer reports it: counted by its cause; with no cause the
  // outage breaker answered without asking the server, which is no client error.
  if (error instanceof UnavailableError)
    return error.cause === undefined ? null : postgresErrorType(error.cause, true);
  return dbErrorKind(error) ?? (fromQuery ? 'connection' : null);
}

/**
 * The same Database, counting each failed query once into latchkey_db_client_errors_total
 * {db_system_name="postgresql"}. Inside a transaction the failing query is counted, and
 * not counted again when the transaction rethrows it; a failed BEGIN or COMMIT is counted
 * at the transaction; errors of the caller's own code are not the database's and are not.
 */
export function instrumentDatabase(db: Database, metrics: Pick<Metrics, 'countDbError'>): Database {
  const counted = new WeakSet<object>();
  const count = (error: unknown, fromQuery: boolean) => {
    if (typeof error === 'object' && error !== null) {
      if (counted.has(error)) return;
      counted.add(error);
    }
    const type = postgresErrorType(error, fromQuery);
    if (type) metrics.countDbError('postgresql', type);
  };
  const watch = (target: Queryable): Queryable => ({
    async query(sql, params, options) {
      try {
        return await target.query(sql, params, options);
      } catch (error) {
        count(error, true);
        throw error;
      }
    },
    async exec(sql) {
      try {
        await target.exec(sql);
      } catch (error) {
        count(error, true);
        throw error;
      }
    },
  });
  const watched = watch(db);
  return {
    kind: db.kind,
    query: (sql, params, options) => watched.query(sql, params, options),
    exec: (sql) => watched.exec(sql),
    listen: (channel, onNotify, onReconnect) => db.listen(channel, onNotify, onReconnect),
    async transaction(fn) {
      try {
        return await db.transaction((tx) => fn(watch(tx)));
      } catch (error) {
        count(error, false);
        throw error;
      }
    },
    async ping() {
      try {
        await db.ping();
      } catch (error) {
        count(error, true);
        throw error;
      }
    },
    close: () => db.close(),
  };
}

/**
 * Counts the Redis client's error events (every failed connection attempt while Redis is
 * down, a reset connection, a protocol error) as latchkey_db_client_errors_total
 * {db_system_name="redis",error_type="connection"}. Commands that fail (a timeout, no
 * connection) reject in their callers, which answer 503; they are not counted here.
 */
export function watchRedisErrors(client: RedisClient, metrics: Pick<Metrics, 'countDbError'>) {
  const listener = () => metrics.countDbError('redis', 'connection');
  client.on('error', listener);
  return () => void client.off('error', listener);
}
