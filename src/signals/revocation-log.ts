import type { Database, Queryable } from '../platform/db/index.js';
import type { RecordedRevocation, Revocation, RevocationKind } from './revocation.js';

/** NOTIFY channel that tells every process a revocation was committed. */
export const REVOCATIONS_CHANNEL = 'latchkey_revocations';
/** pg_advisory_xact_lock key that orders the log's writers (any constant of our own). */
const WRITERS_LOCK = 7_210_453_114;

/**
 * The durable, positioned revocation log (PostgreSQL table `revocations`). Every method
 * names what it reads; nothing here is per org, because a revocation's subject (a session
 * id, a jti, a family id) is unique across orgs.
 *
 * Positions commit in order: a writer takes a transaction-level advisory lock before it
 * draws its positions and keeps it until its COMMIT, so a reader that sees position p
 * sees every position below it that will ever exist. Readers can therefore resume from
 * a position without ever skipping a revocation that committed late.
 */
export interface RevocationLog {
  /**
   * Inside the caller's transaction: records those of the entries not revoked before
   * (same kind and subject) and returns them with their positions, in order.
   */
  record(q: Queryable, entries: Revocation[]): Promise<RecordedRevocation[]>;
  /** The recorded revocations among these (kind, subject) pairs. */
  find(entries: Array<Pick<Revocation, 'kind' | 'subject'>>): Promise<RecordedRevocation[]>;
  /** The highest position recorded (0 when none): everything at or below it is committed. */
  head(): Promise<number>;
  /** Revocations still in force at nowMs, after a position, oldest first. */
  inForce(nowMs: number, afterPosition: number, limit: number): Promise<RecordedRevocation[]>;
  /** Revocations not yet applied to the fast copy, recorded before beforeMs. */
  unmirrored(beforeMs: number, limit: number): Promise<RecordedRevocation[]>;
  markMirrored(positions: number[]): Promise<void>;
  /** Forgets revocations whose every target has expired; returns how many. */
  purgeExpired(nowMs: number, limit: number): Promise<number>;
}

interface Row {
  position: number;
  kind: RevocationKind;
  subject: string;
  org_id: string | null;
  user_id: string | null;
  client_id: string | null;
  reason: string;
  revoked_at: Date;
  expires_at: Date;
}

const COLUMNS =
  'position, kind, subject, org_id, user_id, client_id, reason, revoked_at, expires_at';

const fromRow = (row: Row): RecordedRevocation => ({
  position: Number(row.position),
  kind: row.kind,
  subject: row.subject,
  orgId: row.org_id,
  userId: row.user_id,
  clientId: row.client_id,
  reason: row.reason,
  revokedAtMs: new Date(row.revoked_at).getTime(),
  expiresAtMs: new Date(row.expires_at).getTime(),
});

export function createSqlRevocationLog(db: Database): RevocationLog {
  return {
    async record(q, entries) {
      if (!entries.length) return [];
      const column = <T>(pick: (r: Revocation) => T) => entries.map(pick);
      await q.query('SELECT pg_advisory_xact_lock($1)', [WRITERS_LOCK]);
      const { rows } = await q.query<Row>(
        `INSERT INTO revocations (kind, subject, org_id, user_id, client_id, reason, revoked_at, expires_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                              $6::text[], $7::timestamptz[], $8::timestamptz[])
         ON CONFLICT ON CONSTRAINT revocations_once DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          column((r) => r.kind),
          column((r) => r.subject),
          column((r) => r.orgId),
          column((r) => r.userId),
          column((r) => r.clientId),
          column((r) => r.reason),
          column((r) => new Date(r.revokedAtMs)),
          column((r) => new Date(r.expiresAtMs)),
        ],
      );
      if (rows.length) await q.query('SELECT pg_notify($1, $2)', [REVOCATIONS_CHANNEL, '']);
      return rows.map(fromRow).sort((a, b) => a.position - b.position);
    },

    async head() {
      const { rows } = await db.query<{ head: string | null }>(
        'SELECT max(position) AS head FROM revocations',
      );
      return Number(rows[0]?.head ?? 0);
    },

    async find(entries) {
      if (!entries.length) return [];
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM revocations
         WHERE (kind, subject) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         ORDER BY position`,
        [entries.map((e) => e.kind), entries.map((e) => e.subject)],
      );
      return rows.map(fromRow);
    },

    async inForce(nowMs, afterPosition, limit) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM revocations WHERE expires_at > $1 AND position > $2
         ORDER BY position LIMIT $3`,
        [new Date(nowMs), afterPosition, limit],
      );
      return rows.map(fromRow);
    },

    async unmirrored(beforeMs, limit) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM revocations WHERE NOT mirrored AND revoked_at < $1
         ORDER BY position LIMIT $2`,
        [new Date(beforeMs), limit],
      );
      return rows.map(fromRow);
    },

    async markMirrored(positions) {
      if (!positions.length) return;
      await db.query(
        'UPDATE revocations SET mirrored = true WHERE position = ANY($1::bigint[]) AND NOT mirrored',
        [positions],
      );
    },

    async purgeExpired(nowMs, limit) {
      const { rowCount } = await db.query(
        `DELETE FROM revocations WHERE position IN (
           SELECT position FROM revocations WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)`,
        [new Date(nowMs), limit],
      );
      return rowCount;
    },
  };
}
