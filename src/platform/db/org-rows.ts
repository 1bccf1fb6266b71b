// The SQL every org-owned admin resource table shares (webhooks, connections): rows read
// by org and id, pages by id, and writes under optimistic concurrency (a `version` column).
import type { PageRequest } from '../pagination.js';
import type { Queryable } from './database.js';

export type WriteResult<T> = { ok: true; value: T } | { ok: false; reason: 'not_found' | 'stale' };

/**
 * How a table's partial update is written: `set` is the SET list of the changed columns,
 * with parameters from $4 on ($1 id, $2 org, $3 time), bound to `values(changes)` in order.
 */
export interface ChangeColumns<Changes> {
  set: string;
  values: (changes: Changes) => unknown[];
}

/** The reads every org-owned table shares. */
export interface OrgReads<Stored> {
  /** The org's row with this id, or null (another org's row is null too); `forUpdate` locks it. */
  get: (orgId: string, id: string, options?: { forUpdate?: boolean }) => Promise<Stored | null>;
  /** Oldest first: a page of `page.limit + 1` rows after the cursor (toPage trims it). */
  page: (orgId: string, page: PageRequest) => Promise<Stored[]>;
}

export interface OrgRows<Stored, Changes> extends OrgReads<Stored> {
  /**
   * Applies the changes (unset fields unchanged), sets updated_at and bumps the version,
   * only if the row is still at the expected version; otherwise says why not.
   */
  update: (
    orgId: string,
    id: string,
    changes: Changes,
    at: Date,
    expectedVersion: number,
  ) => Promise<WriteResult<Stored>>;
  /** With an expected version, only that version is deleted. */
  deleteVersioned: (orgId: string, id: string, expectedVersion: number | null) => Promise<boolean>;
}

/** Reads of an org-owned table by org and id, and pages by id; `table` a constant, never input. */
export function orgReads<Row, Stored>(
  q: Queryable,
  table: string,
  toStored: (row: Row) => Stored,
): OrgReads<Stored> {
  return {
    async get(orgId, id, options = {}) {
      const { rows } = await q.query<Row>(
        `SELECT * FROM ${table} WHERE id = $1 AND org_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id, orgId],
      );
      return rows[0] ? toStored(rows[0]) : null;
    },
    async page(orgId, page) {
      const { rows } = await q.query<Row>(
        `SELECT * FROM ${table}
         WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
         ORDER BY id LIMIT $3`,
        [orgId, page.afterId, page.limit + 1],
      );
      return rows.map(toStored);
    },
  };
}

/** `table` is a constant of the calling store, never input. */
export function orgRows<Row, Stored, Changes>(
  q: Queryable,
  table: string,
  toStored: (row: Row) => Stored,
  columns: ChangeColumns<Changes>,
): OrgRows<Stored, Changes> {
  const reads = orgReads(q, table, toStored);
  const { get } = reads;

  return {
    ...reads,

    async update(orgId, id, changes, at, expectedVersion) {
      const values = columns.values(changes);
      const { rows } = await q.query<Row>(
        `UPDATE ${table} SET
           ${columns.set},
           updated_at = $3,
           version = version + 1
         WHERE id = $1 AND org_id = $2 AND version = $${4 + values.length}
         RETURNING *`,
        [id, orgId, at, ...values, expectedVersion],
      );
      if (rows[0]) return { ok: true, value: toStored(rows[0]) };
      return { ok: false, reason: (await get(orgId, id)) ? 'stale' : 'not_found' };
    },

    async deleteVersioned(orgId, id, expectedVersion) {
      const { rows } = await q.query<{ id: string }>(
        `DELETE FROM ${table}
         WHERE id = $1 AND org_id = $2 AND ($3::int IS NULL OR version = $3::int) RETURNING id`,
        [id, orgId, expectedVersion],
      );
      return rows.length > 0;
    },
  };
}
