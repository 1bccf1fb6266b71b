import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.js';

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) for development: the same SQL and migrations
 * as the real server, data kept under `dir` ("memory://" keeps nothing). One process only.
 */
export async function createPgliteDatabase(dir: string): Promise<Database> {
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  // Loaded when used: its WebAssembly costs every process that runs on PostgreSQL (and
  // each test file's) half a second of start-up for nothing.
  const { PGlite } = await import('@electric-sql/pglite');
  return pgliteDatabase(await PGlite.create(dir));
}

/** A started PGlite as a Database (the tests start theirs from a migrated copy). */
export function pgliteDatabase(db: PGlite): Database {
  type Runner = Pick<PGlite, 'query' | 'exec'>;
  const queryable = (runner: Runner): Queryable => ({
    query: (sql, params) => run(runner, sql, params),
    exec: async (sql) => {
      await runner.exec(sql);
    },
  });
  const run = async <Row>(
    runner: Runner,
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<Row>> => {
    const result = await runner.query<Row>(sql, params);
    const rowCount =
      result.rows.length > 0 || result.affectedRows === undefined
        ? result.rows.length
        : result.affectedRows;
    return { rows: result.rows, rowCount };
  };
  return {
    kind: 'pglite',
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    async ping() {
      await db.query('SELECT 1');
    },
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return async () => {
        if (!db.closed) await stop();
      };
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
