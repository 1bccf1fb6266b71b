import type { Queryable } from '../../platform/db/index.js';
import type {
  ConnectionTest,
  ConnectionTestOutcome,
  ConnectionTestReport,
} from './connection-test.js';

interface TestRow {
  id: string;
  org_id: string;
  connection_id: string;
  connection_version: number;
  started_by_type: string;
  started_by_id: string | null;
  started_at: Date;
  finished_at: Date | null;
  outcome: ConnectionTestOutcome;
  reason: string | null;
  report: ConnectionTestReport | null;
}

const toTest = (row: TestRow): ConnectionTest => ({
  id: row.id,
  orgId: row.org_id,
  connectionId: row.connection_id,
  connectionVersion: row.connection_version,
  startedBy: { type: row.started_by_type, id: row.started_by_id },
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  outcome: row.outcome,
  reason: row.reason,
  report: row.report,
});

/** The newest tests kept per connection; older ones go when a new one starts. */
export const TESTS_KEPT_PER_CONNECTION = 20;

/** Test sign-ins in SQL. Every read that takes an org is scoped to it. */
export function connectionTestStore(q: Queryable) {
  return {
    /** Records a new pending test and drops the connection's oldest beyond those kept. */
    async insert(test: ConnectionTest): Promise<void> {
      await q.query(
        `INSERT INTO connection_tests (id, org_id, connection_id, connection_version,
           started_by_type, started_by_id, started_at, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')`,
        [
          test.id,
          test.orgId,
          test.connectionId,
          test.connectionVersion,
          test.startedBy.type,
          test.startedBy.id,
          test.startedAt,
        ],
      );
      await q.query(
        `DELETE FROM connection_tests WHERE connection_id = $1 AND id NOT IN (
           SELECT id FROM connection_tests WHERE connection_id = $1
           ORDER BY started_at DESC, id DESC LIMIT $2)`,
        [test.connectionId, TESTS_KEPT_PER_CONNECTION],
      );
    },

    async get(orgId: string, id: string): Promise<ConnectionTest | null> {
      const { rows } = await q.query<TestRow>(
        'SELECT * FROM connection_tests WHERE id = $1 AND org_id = $2',
        [id, orgId],
      );
      return rows[0] ? toTest(rows[0]) : null;
    },

    /** The connection's tests, newest first. */
    async list(orgId: string, connectionId: string, limit: number): Promise<ConnectionTest[]> {
      const { rows } = await q.query<TestRow>(
        `SELECT * FROM connection_tests WHERE org_id = $1 AND connection_id = $2
         ORDER BY started_at DESC, id DESC LIMIT $3`,
        [orgId, connectionId, limit],
      );
      return rows.map(toTest);
    },

    /**
     * Ends a pending test, once: a test's outcome is written by its one login, and a
     * replayed or late callback finds it already ended (null).
     */
    async finish(
      id: string,
      outcome: {
        outcome: 'passed' | 'failed';
        reason: string | null;
        report: ConnectionTestReport | null;
      },
      at: Date,
    ): Promise<ConnectionTest | null> {
      const { rows } = await q.query<TestRow>(
        `UPDATE connection_tests SET outcome = $2, reason = $3, report = $4, finished_at = $5
         WHERE id = $1 AND outcome = 'pending' RETURNING *`,
        [id, outcome.outcome, outcome.reason, outcome.report, at],
      );
      return rows[0] ? toTest(rows[0]) : null;
    },
  };
}
