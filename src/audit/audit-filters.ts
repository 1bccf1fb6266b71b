import { z } from 'zod';
import { parseInput } from '../platform/validation.js';
import { isAuditEventType, isAuditEventTypePrefix } from './event-types.js';

/** A type name ("admin.user.deleted") or a prefix of whole segments ("admin.user.*"). */
export const TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/;
/** The most event types (or prefixes) one `type` filter names. */
export const MAX_TYPES = 20;
const ACTOR_TYPES = [
  'api_key',
  'user',
  'client',
  'system',
  'cli',
  'scim_directory',
  'portal_session',
] as const;

/**
 * Every filter is given at most once: `type=a&type=b` is refused rather than half
 * honoured; several types go in one comma-separated value.
 */
const once = (message?: string) => ({
  error: (issue: { input?: unknown }) =>
    Array.isArray(issue.input)
      ? 'must be given once (several types: one comma-separated value)'
      : message,
});
const text = (max: number) => z.string(once()).min(1).max(max);
const timestamp = z.iso.datetime({
  offset: true,
  ...once('must be an RFC 3339 date-time with a time zone, e.g. 2026-03-01T00:00:00Z'),
});

const FilterQuery = z
  .strictObject({
    type: z
      .string(once())
      .min(1)
      .max(1000)
      .superRefine((value, ctx) => {
        if (value.length > 1000) return; // refused by max, not echoed back
        const items = value.split(',');
        if (items.length > MAX_TYPES || !items.every((item) => TYPE_PATTERN.test(item))) {
          ctx.addIssue({
            code: 'custom',
            message: `must be up to ${MAX_TYPES} comma-separated event types, each exact ("admin.user.deleted") or a prefix ending in ".*" ("admin.user.*")`,
          });
          return;
        }
        // A name no event carries, or a prefix that selects none, is a typo that would
        // quietly select nothing: refused, named.
        const unknown = items.filter((item) =>
          item.endsWith('.*')
            ? !isAuditEventTypePrefix(item.slice(0, -1))
            : !isAuditEventType(item),
        );
        if (unknown.length)
          ctx.addIssue({
            code: 'custom',
            message: `unknown audit event type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (docs/audit-events.md lists them)`,
          });
      })
      .optional(),
    actor_type: z.enum(ACTOR_TYPES, once(`must be one of ${ACTOR_TYPES.join(', ')}`)).optional(),
    actor_id: text(200).optional(),
    target_type: z
      .string(once())
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a target type such as user or session')
      .optional(),
    target_id: text(200).optional(),
    outcome: z.enum(['success', 'failure'], once('must be success or failure')).optional(),
    since: timestamp.optional(),
    until: timestamp.optional(),
    order: z.enum(['asc', 'desc'], once('must be asc or desc')).optional(),
    // Read by pageRequest; listed so they are not unknown fields.
    limit: z.unknown().optional(),
    cursor: z.unknown().optional(),
  })
  .superRefine((query, ctx) => {
    if (query.since && query.until && Date.parse(query.until) <= Date.parse(query.since)) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be later than since' });
    }
  });

export interface AuditFilters {
  /** Exact type names. */
  types: string[];
  /** Type prefixes, each ending in "." ("admin.user.*" → "admin.user."). */
  typePrefixes: string[];
  actorType?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'success' | 'failure';
  /** RFC 3339 as given (Postgres keeps microseconds; a Date would round to milliseconds). */
  since?: string;
  until?: string;
  order: 'asc' | 'desc';
}

type OptionalFilters = Omit<AuditFilters, 'types' | 'typePrefixes' | 'order'>;

/** The optional filters: query string name and AuditFilters field, in the order described. */
const OPTIONAL_FILTERS: readonly (readonly [string, keyof OptionalFilters])[] = [
  ['actor_type', 'actorType'],
  ['actor_id', 'actorId'],
  ['target_type', 'targetType'],
  ['target_id', 'targetId'],
  ['outcome', 'outcome'],
  ['since', 'since'],
  ['until', 'until'],
];

/** The set ones of `from`'s fields, renamed from one side of OPTIONAL_FILTERS to the other. */
const renamedFilters = (from: object, toField: boolean) =>
  Object.fromEntries(
    OPTIONAL_FILTERS.flatMap(([name, field]) => {
      const value = (from as Record<string, unknown>)[toField ? name : field];
      return value ? [[toField ? field : name, value]] : [];
    }),
  );

/** The filters of an audit query string; 400 `validation_failed` naming each bad field. */
export function parseAuditFilters(query: unknown): AuditFilters {
  const input = parseInput(FilterQuery, query, 'query');
  const items = input.type ? input.type.split(',') : [];
  return {
    types: items.filter((item) => !item.endsWith('.*')),
    typePrefixes: items.filter((item) => item.endsWith('.*')).map((item) => item.slice(0, -1)),
    ...(renamedFilters(input, true) as OptionalFilters),
    order: input.order ?? 'asc',
  };
}

/** The filters as the query string spelled them, for the audit event of an export. */
export function describeFilters(filters: AuditFilters): Record<string, unknown> {
  const type = [...filters.types, ...filters.typePrefixes.map((p) => `${p}*`)];
  return {
    ...(type.length ? { type } : {}),
    ...renamedFilters(filters, false),
    order: filters.order,
  };
}

/** The smallest UUIDv7 of a millisecond: ids sort by time, so a time bound is an id bound. */
const firstIdOfMs = (ms: number) => {
  const hex = Math.max(0, ms).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
};

/**
 * SQL conditions (joined by AND) and their parameters for one org's events. Parameters
 * are numbered from `params.length + 1`, so callers can append more.
 */
export function filterConditions(
  orgId: string,
  filters: AuditFilters,
): { conditions: string[]; params: unknown[] } {
  const params: unknown[] = [orgId];
  const conditions = ['org_id = $1'];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const typeMatches = [
    ...(filters.types.length ? [`type = ANY(${bind(filters.types)}::text[])`] : []),
    // starts_with, not LIKE: "_" in a type name is a letter, not a wildcard.
    ...filters.typePrefixes.map((prefix) => `starts_with(type, ${bind(prefix)})`),
  ];
  if (typeMatches.length) conditions.push(`(${typeMatches.join(' OR ')})`);
  if (filters.actorType) conditions.push(`actor_type = ${bind(filters.actorType)}`);
  if (filters.actorId) conditions.push(`actor_id = ${bind(filters.actorId)}`);
  if (filters.targetType) conditions.push(`target_type = ${bind(filters.targetType)}`);
  if (filters.targetId) conditions.push(`target_id = ${bind(filters.targetId)}`);
  if (filters.outcome) conditions.push(`outcome = ${bind(filters.outcome)}`);
  // occurred_at decides (the (chain_id, occurred_at) index serves it, with the callers'
  // chain_id = $1); the id bound (the same millisecond, widened by one) lets the primary
  // key narrow the scan to the time range as well.
  if (filters.since) {
    conditions.push(`occurred_at >= ${bind(filters.since)}::timestamptz`);
    conditions.push(`id >= ${bind(firstIdOfMs(Date.parse(filters.since)))}::uuid`);
  }
  if (filters.until) {
    conditions.push(`occurred_at < ${bind(filters.until)}::timestamptz`);
    conditions.push(`id < ${bind(firstIdOfMs(Date.parse(filters.until) + 1))}::uuid`);
  }
  return { conditions, params };
}
