import type { Database } from '../platform/db/index.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import {
  actorOf,
  assertOrgAccess,
  notFound,
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
   */
  export(
    orgId: string,
    query: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<AuditExport>;
  /**
   * Every event of the org about a user, oldest first: the user acted (actor_id), was
   * acted on (target_id), or is named by it (data.user_id, e.g. session.ended). For the
   * caller to authorise (a user's data export).
   */
  eventsAboutUser(orgId: string, userId: string): Promise<PublicAuditEvent[]>;
}

export function createAuditQuery(deps: { db: Database; audit: AuditLog }): AuditQuery {
  const { db, audit } = deps;

  const assertOrgExists = async (orgId: string) => {
    const { rows } = await db.query('SELECT 1 FROM orgs WHERE id = $1', [orgId]);
    if (!rows.length) throw notFound('org');
  };

  /** One keyset page: the `limit` events after `afterId` in the filters' order. */
  const readPage = async (
    orgId: string,
    filters: AuditFilters,
    afterId: string | null,
    limit: number,
    extra: { upToId?: string; exceptId?: string } = {},
  ) => {
    const { conditions, params } = filterConditions(orgId, filters);
    const bind = (value: unknown) => `$${params.push(value)}`;
    const desc = filters.order === 'desc';
    if (afterId) conditions.push(`id ${desc ? '<' : '>'} ${bind(afterId)}::uuid`);
    if (extra.upToId) conditions.push(`id <= ${bind(extra.upToId)}::uuid`);
    if (extra.exceptId) conditions.push(`id <> ${bind(extra.exceptId)}::uuid`);
    const { rows } = await db.query<AuditEventRow>(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events e WHERE ${conditions.join(' AND ')}
       ORDER BY id ${desc ? 'DESC' : 'ASC'} LIMIT ${bind(limit)}`,
      params,
    );
    return rows;
  };

  async function* batches(
    orgId: string,
    filters: AuditFilters,
    bounds: { upToId: string | undefined; exceptId: string },
  ) {
    if (!bounds.upToId) return;
    let afterId: string | null = null;
    for (;;) {
      const rows = await readPage(orgId, filters, afterId, EXPORT_BATCH_SIZE, {
        upToId: bounds.upToId,
        exceptId: bounds.exceptId,
      });
      if (rows.length) yield rows.map(toPublicEvent);
      if (rows.length < EXPORT_BATCH_SIZE) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  return {
    async list(orgId, query, principal, page) {
      assertOrgAccess(principal, orgId);
      const filters = parseAuditFilters(query);
      await assertOrgExists(orgId);
      const rows = await readPage(orgId, filters, page.afterId, page.limit + 1);
      const result = toPage(rows, page, (row) => row.id);
      return { items: result.items.map(toPublicEvent), nextCursor: result.nextCursor };
    },

    async export(orgId, query, principal, context) {
      assertOrgAccess(principal, orgId);
      const filters = parseAuditFilters(query);
      await assertOrgExists(orgId);
      // The export covers the org's events up to its newest now: events written while
      // it streams are not in it, so the count holds. Its own audit.exported may share
      // that newest event's millisecond (and so sort before it): it is left out by id.
      const newest = await db.query<{ id: string }>(
        'SELECT id FROM audit_events WHERE org_id = $1 ORDER BY id DESC LIMIT 1',
        [orgId],
      );
      const upToId = newest.rows[0]?.id;
      let count = 0;
      if (upToId) {
        const { conditions, params } = filterConditions(orgId, filters);
        conditions.push(`id <= $${params.push(upToId)}::uuid`);
        const { rows } = await db.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM audit_events WHERE ${conditions.join(' AND ')}`,
          params,
        );
        count = Number(rows[0]?.count ?? 0);
      }
      const exceptId = await db.transaction((tx) =>
        audit.record(tx, {
          type: 'audit.exported',
          orgId,
          actor: actorOf(principal),
          target: { type: 'org', id: orgId },
          context,
          data: { filters: describeFilters(filters), count, format: 'ndjson' },
        }),
      );
      return { count, batches: batches(orgId, filters, { upToId, exceptId }) };
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
