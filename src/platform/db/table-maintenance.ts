import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { backgroundJob, type BackgroundJob } from '../background-job.js';

/**
 * Keeps the tables Latchkey churns vacuumed and analysed, whatever autovacuum's setting.
 *
 * Some tables churn like queues: every revocation is updated once it is mirrored to Redis,
 * every batch of audit events moves its chain's head and then the relay's position in it
 * (and until migration 0011 every event passed through an outbox table). Each such change leaves a dead row that only VACUUM reclaims; a
 * server whose autovacuum is off (or tuned for larger tables) lets them pile up, and
 * every scan of those tables then reads all of them: in a soak on such a server the
 * PostgreSQL time per request grew 2.5× in five minutes and kept growing. Never having
 * been analysed, the same tables are also planned on guesses.
 *
 * Each pass asks pg_stat_user_tables which of Latchkey's tables hold more dead rows than
 * `deadRows` and than a tenth of their live rows, and runs VACUUM (ANALYZE, SKIP_LOCKED)
 * on them, one at a time: SKIP_LOCKED lets the processes of a deployment share the work
 * without waiting on each other. It uses a connection of its own, never one of the
 * request pool's, with its own statement timeout: a slow VACUUM never holds a request,
 * never counts as an outage, and a failed pass is retried on the next one.
 */
export interface TableMaintenance {
  /** One pass; resolves with what it vacuumed (tests, logs). */
  runOnce(): Promise<Array<{ table: string; deadRows: number }>>;
  start: BackgroundJob['start'];
  /**
   * Stops the schedule and ends a pass under way (its connection is closed, the VACUUM
   * cancelled by the server): shutting down never waits on maintenance, not even while
   * PostgreSQL is stalled.
   */
  stop(): Promise<void>;
}

export interface TableMaintenanceOptions {
  /** The same PostgreSQL URL as the pool's. */
  url: string;
  /** A table is vacuumed once it holds at least this many dead rows (and a tenth of its live ones). */
  deadRows: number;
  /** The longest one VACUUM may take (server side); a longer one is cancelled, retried next pass. */
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  onVacuumed?: (table: string, deadRows: number, ms: number) => void;
  onError?: (error: unknown) => void;
}

/** How long stop() waits for a pass under way to end. */
const STOP_WAIT_MS = 1000;

/** A table's name as an SQL identifier (names come from the catalogue, quoted all the same). */
const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function createTableMaintenance(options: TableMaintenanceOptions): TableMaintenance {
  let current: pg.Client | null = null;
  const runOnce = async () => {
    const client = new pg.Client({
      connectionString: options.url,
      statement_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs + options.connectTimeoutMs,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: 'latchkey-maintenance',
    });
    // An error on an idle client would otherwise end the process.
    client.on('error', () => undefined);
    current = client;
    await client.connect();
    try {
      const { rows } = await client.query<{ relname: string; n_dead_tup: string }>(
        `SELECT relname, n_dead_tup FROM pg_stat_user_tables
         WHERE schemaname = current_schema() AND n_dead_tup >= $1 AND n_dead_tup >= n_live_tup / 10
         ORDER BY n_dead_tup DESC`,
        [options.deadRows],
      );
      const done: Array<{ table: string; deadRows: number }> = [];
      for (const row of rows) {
        const startedAt = performance.now();
        await client.query(`VACUUM (ANALYZE, SKIP_LOCKED) ${identifier(row.relname)}`);
        const deadRows = Number(row.n_dead_tup);
        options.onVacuumed?.(row.relname, deadRows, performance.now() - startedAt);
        done.push({ table: row.relname, deadRows });
      }
      return done;
    } finally {
      if (current === client) current = null;
      await client.end().catch(() => undefined);
    }
  };
  const job = backgroundJob(runOnce, options.onError);
  return {
    runOnce,
    start: job.start,
    stop: async () => {
      // The pass under way fails once its connection is gone; on a stalled network that
      // may take a while, so shutting down waits for it one second at the most.
      void current?.end().catch(() => undefined);
      await Promise.race([job.stop(), delay(STOP_WAIT_MS, undefined, { ref: false })]);
    },
  };
}
