/**
 * Latchkey's SQL access, the same for PostgreSQL (pg) and embedded PGlite: one SQL
 * dialect, `$1` parameters, the same migrations. Stores take a `Queryable` so they run
 * alike on the pool and inside a transaction.
 */
export interface QueryResult<Row> {
  rows: Row[];
  /** Rows returned by a SELECT or changed by INSERT/UPDATE/DELETE. */
  rowCount: number;
}

export interface QueryOptions {
  /**
   * A fixed text run often (the audit trail's append): PostgreSQL parses and plans it once
   * per connection and reuses the prepared statement. Never for a text built from varying
   * parts: each distinct text stays prepared on every connection that ran it.
   */
  prepared?: boolean;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Calls onNotify with the payload of each NOTIFY on channel (sent by committed
   * transactions); resolves once listening (or once the first attempt failed). Best
   * effort: notifications sent while the listening connection was down are lost, so
   * callers also poll; onReconnect says when to look again.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The first row a query returns, as `toValue` makes it, or null when it returns none. */
export async function selectOne<Row, T>(
  q: Queryable,
  sql: string,
  params: unknown[],
  toValue: (row: Row) => T,
): Promise<T | null> {
  const { rows } = await q.query<Row>(sql, params);
  return rows[0] ? toValue(rows[0]) : null;
}
