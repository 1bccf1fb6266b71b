import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import {
  actorOf,
  assertOrgAccess,
  assertOrgVisible,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import type { AuditLog, RequestContext } from './audit-log.js';
import {
  describeFilters,
  filterConditions,
  parseAuditFilters,
  type AuditFilters,
} from './audit-filters.js';
import {
  AUDIT_EVENT_COLUMNS,
  toPublicEvent,
  type AuditEventRow,
  type PublicAuditEvent,
} from './public-event.js';

/** Rows per keyset page of an export: one page in memory at a time. */
export const EXPORT_BATCH_SIZE = 1000;
export const MAX_AUDIT_PAGE_SIZE = 500;

export interface AuditExport {
  /** Events matching when the export began; exactly the lines `batches` yields. */
  count: number;
  batches: AsyncIterable<PublicAuditEvent[]>;
}

export interface ExportOptions {
  format?: 'ndjson' | 'csv';
  maxEvents?: number;
}

/** The read side of the audit trail: an org's events, filtered, paged or exported. */
export interface AuditQuery {
  list(
    orgId: string,
    query: unknown,
    principal: AdminPrincipal,
    page: PageRequest,
  ): Promise<Page<PublicAuditEvent>>;
  /**
   * Validates, records `audit.exported` (with the count), then returns the batches to
   * stream. Recording first fails closed: no event leaves unless its export is on record.
   * `format` is recorded as given; over `maxEvents` matching events, 400
   * `export_too_large` before anything is recorded or sent.
   */
  export(
    orgId: string,
    query: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
    options?: ExportOptions,
  ): Promise<AuditExport>;
  /**
   * Every event of the org about a user, oldest first: the user acted (actor_id), was
   * acted on (target_id), or is named by it (data.user_id, e.g. session.ended). For the
   * caller to authorise (a user's data export).
   */
  eventsAboutUser(orgId: string, userId: string): Promise<PublicAuditEvent[]>;
}

/**
 * One keyset page: the `limit` events after seq `after` in the filters' order. Pages
 * follow the org's chain (chain_seq), which is commit order: an event committed after a
 * page was read always comes after that page's cursor, never behind it (ids are made
 * before commit, so id order could let a late commit slip behind a cursor).
 */
async function readPage(
  db: Database,
  orgId: string,
  filters: AuditFilters,
  after: number | null,
  limit: number,
  extra: { upToSeq?: number; exceptId?: string } = {},
) {
  const { conditions, params } = filterConditions(orgId, filters);
  const bind = (value: unknown) => `$${params.push(value)}`;
  const desc = filters.order === 'desc';
  // An org's events are its chain (chain_id = org_id); events from before the chain
  // (migration 0003, development databases only) have no place in it and are not listed.
  conditions.push('chain_id = $1', 'chain_seq IS NOT NULL');
  if (after !== null) conditions.push(`chain_seq ${desc ? '<' : '>'} ${bind(after)}`);
  if (extra.upToSeq !== undefined) conditions.push(`chain_seq <= ${bind(extra.upToSeq)}`);
  if (extra.exceptId) conditions.push(`id <> ${bind(extra.exceptId)}::uuid`);
  const { rows } = await db.query<AuditEventRow & { chain_seq: string | number }>(
    `SELECT ${AUDIT_EVENT_COLUMNS}, e.chain_seq FROM audit_events e
     WHERE ${conditions.join(' AND ')}
     ORDER BY chain_seq ${desc ? 'DESC' : 'ASC'} LIMIT ${bind(limit)}`,
    params,
  );
  return rows;
}

export function createAuditQuery(deps: { db: Database; audit: AuditLog }): AuditQuery {
  const { db, audit } = deps;

  async function* batches(
    orgId: string,
    filters: AuditFilters,
    bounds: { upToSeq: number | undefined; exceptId: string },
  ) {
    if (bounds.upToSeq === undefined) return;
    let after: number | null = null;
    for (;;) {
      const rows = await readPage(db, orgId, filters, after, EXPORT_BATCH_SIZE, {
        upToSeq: bounds.upToSeq,
        exceptId: bounds.exceptId,
      });
      if (rows.length) yield rows.map(toPublicEvent);
      if (rows.length < EXPORT_BATCH_SIZE) return;
      after = Number(rows[rows.length - 1]!.chain_seq);
    }
  }

  return {
    async list(orgId, query, principal, page) {
      assertOrgAccess(principal, orgId);
      const filters = parseAuditFilters(query);
      await assertOrgVisible(db, principal, orgId);
      const after = page.afterId === null ? null : Number(page.afterId);
      const rows = await readPage(db, orgId, filters, after, page.limit + 1);
      const result = toPage(rows, page, (row) => String(row.chain_seq));
      return { items: result.items.map(toPublicEvent), nextCursor: result.nextCursor };
    },

    async export(orgId, query, principal, context, options = {}) {
      assertOrgAccess(principal, orgId);
      const filters = parseAuditFilters(query);
      await assertOrgVisible(db, principal, orgId);
      // The export covers the org's chain up to its head now: events written while it
      // streams (its own audit.exported included) come after, so the count holds.
      const head = await db.query<{ seq: string | number }>(
        'SELECT seq FROM audit_chain_heads WHERE chain_id = $1',
        [orgId],
      );
      const upToSeq = head.rows[0] ? Number(head.rows[0].seq) : undefined;
      let count = 0;
      if (upToSeq !== undefined) {
        const { conditions, params } = filterConditions(orgId, filters);
        conditions.push('chain_id = $1', `chain_seq <= $${params.push(upToSeq)}`);
        const { rows } = await db.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM audit_events WHERE ${conditions.join(' AND ')}`,
          params,
        );
        count = Number(rows[0]?.count ?? 0);
      }
      if (options.maxEvents !== undefined && count > options.maxEvents)
        throw new AppError(
          'export_too_large',
          `${count} events match; an export holds at most ${options.maxEvents}. Narrow the filters (a shorter date range, say).`,
          { status: 400 },
        );
      const exceptId = await db.transaction((tx) =>
        audit.record(tx, {
          type: 'audit.exported',
          orgId,
          actor: actorOf(principal),
          target: { type: 'org', id: orgId },
          context,
          data: { filters: describeFilters(filters), count, format: options.format ?? 'ndjson' },
        }),
      );
      return { count, batches: batches(orgId, filters, { upToSeq, exceptId }) };
    },

    async eventsAboutUser(orgId, userId) {
      const events: PublicAuditEvent[] = [];
      let afterId: string | null = null;
      for (;;) {
        const { rows }: { rows: AuditEventRow[] } = await db.query<AuditEventRow>(
          `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events e
           WHERE org_id = $1 AND (actor_id = $2 OR target_id = $2 OR data->>'user_id' = $2)
             AND ($3::uuid IS NULL OR id > $3::uuid)
           ORDER BY id LIMIT $4`,
          [orgId, userId, afterId, EXPORT_BATCH_SIZE],
        );
        // The address and browser of someone else acting on the user (an admin, say) are
        // that person's data, not the user's: left out of the user's export.
        events.push(
          ...rows
            .map(toPublicEvent)
            .map((event) =>
              event.actor.id === userId || (event.actor.type === 'user' && event.actor.id === null)
                ? event
                : { ...event, ip: null, user_agent: null },
            ),
        );
        if (rows.length < EXPORT_BATCH_SIZE) return events;
        afterId = rows[rows.length - 1]!.id;
      }
    },
  };
}
