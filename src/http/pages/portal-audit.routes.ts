import type { Response, Router } from 'express';
import {
  AUDIT_FILTER_MAX_TYPES,
  AUDIT_FILTER_TYPE_PATTERN,
  CHAIN_SEQ_CURSOR,
  isAuditEventType,
  isAuditEventTypePrefix,
  ndjsonLines,
  streamBatches,
  type PublicAuditEvent,
} from '../../audit/index.js';
import { AppError } from '../../platform/errors.js';
import { pageRequest } from '../../platform/pagination.js';
import { contextOf } from '../../platform/request-context.js';
import { pageText, type PageText } from '../i18n/page-text.js';
import { portalAuditPage, type AuditForm, type FieldError } from '../views/portal-audit-pages.js';
import type { OrgLook } from '../views/layout.js';
import { principalOf, withIntent, type Gate, type PortalDeps } from './portal-kit.js';

/** Events per page of the Audit log step. */
const PAGE_SIZE = 50;
/** The most events one portal export holds; more → 400, narrow the filters. */
export const PORTAL_EXPORT_MAX_EVENTS = 50_000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

const formOf = (query: Record<string, unknown>): AuditForm => ({
  type: text(query.type),
  from: text(query.from),
  to: text(query.to),
  outcome: text(query.outcome),
});

/** Midnight UTC starting `day` (YYYY-MM-DD), shifted by `plusDays`; null if not a real date. */
const midnight = (day: string, plusDays: number) => {
  if (!DAY.test(day)) return null;
  const at = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== day) return null;
  return new Date(at.getTime() + plusDays * 86_400_000).toISOString();
};

/**
 * The form as the admin API's audit query (validated there, by its rules): "to" is
 * inclusive, so it ends at the next midnight. A date that is not a date is refused here.
 */
function apiQuery(form: AuditForm, order: 'asc' | 'desc') {
  const query: Record<string, string> = { order };
  const errors: FieldError[] = [];
  if (form.type) query.type = form.type;
  if (form.outcome) query.outcome = form.outcome;
  for (const [field, plus, name] of [
    ['from', 0, 'since'],
    ['to', 1, 'until'],
  ] as const) {
    if (!form[field]) continue;
    const at = midnight(form[field], plus);
    if (at) query[name] = at;
    // In the form's own field name (the admin API's rules name since/until).
    else errors.push({ field, message: 'must be a date such as 2026-03-01' });
  }
  if (errors.length)
    throw new AppError('validation_failed', 'The filters are invalid.', {
      status: 400,
      fields: errors,
    });
  return query;
}

/**
 * The names (or prefixes) of a well-formed type filter that no event type has, to name them
 * back as the admin API does; none when the filter itself is malformed (then that is said).
 */
const unknownTypes = (typed: string) => {
  const items = typed.split(',');
  if (
    items.length > AUDIT_FILTER_MAX_TYPES ||
    !items.every((i) => AUDIT_FILTER_TYPE_PATTERN.test(i))
  )
    return [];
  return items.filter((item) =>
    item.endsWith('.*') ? !isAuditEventTypePrefix(item.slice(0, -1)) : !isAuditEventType(item),
  );
};

/**
 * A refusal in the form's own field names, said in the page's language by what was
 * refused (the admin API's messages are English, for developers). A date that is not a
 * date is refused here as from/to; the API's until is then only ever refused for coming
 * before since.
 */
function fieldErrorsOf(text: PageText, error: AppError, form: AuditForm): FieldError[] {
  const { t } = text;
  if (error.code === 'export_too_large')
    return [
      {
        field: 'export',
        message: t('portal.audit.error.tooLarge', { count: PORTAL_EXPORT_MAX_EVENTS }),
      },
    ];
  const said = (field: string): FieldError => {
    switch (field) {
      case 'type': {
        const unknown = unknownTypes(form.type);
        return {
          field,
          message: unknown.length
            ? t('portal.audit.error.unknownType', { name: unknown.join(', ') })
            : t('portal.audit.error.type', { count: AUDIT_FILTER_MAX_TYPES }),
        };
      }
      case 'from':
      case 'to':
        return { field, message: t('portal.audit.error.date') };
      case 'since':
        return { field: 'from', message: t('portal.audit.error.date') };
      case 'until':
        return { field: 'to', message: t('portal.audit.error.order') };
      case 'outcome':
        return { field, message: t('portal.audit.error.outcome') };
      case 'cursor':
        return { field, message: t('portal.audit.error.cursor') };
      case 'format':
        return { field, message: t('portal.audit.error.format') };
      default:
        return { field, message: t('portal.audit.error.other') };
    }
  };
  const fields = error.fields?.length ? error.fields.map((issue) => issue.field) : ['filters'];
  return fields.map(said);
}

const CSV_COLUMNS = [
  'occurred_at',
  'type',
  'actor_type',
  'actor_id',
  'target_type',
  'target_id',
  'outcome',
  'reason',
  'request_id',
  'ip',
  'user_agent',
  'data',
  'id',
] as const;

/**
 * One CSV cell: a value a spreadsheet would run as a formula (= + - @, or a tab or
 * carriage return first) gets a leading ', then RFC 4180 quoting.
 */
export const csvCell = (value: string | null) => {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const csvRow = (event: PublicAuditEvent) => {
  const cells: Record<(typeof CSV_COLUMNS)[number], string | null> = {
    occurred_at: event.occurred_at,
    type: event.type,
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    outcome: event.outcome,
    reason: event.reason,
    request_id: event.request_id,
    ip: event.ip,
    user_agent: event.user_agent,
    data: JSON.stringify(event.data),
    id: event.id,
  };
  return `${CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',')}\r\n`;
};

const FORMATS = {
  jsonl: { type: 'application/x-ndjson', recorded: 'ndjson', encode: ndjsonLines },
  csv: {
    type: 'text/csv; charset=utf-8',
    recorded: 'csv',
    encode: (batch: PublicAuditEvent[]) => batch.map(csvRow).join(''),
  },
} as const;

/** The Audit log step: the org's events (the admin API's view), filtered, paged, exported. */
export function auditStep(router: Router, deps: PortalDeps, gate: Gate) {
  const sendPage = (
    res: Response,
    status: number,
    look: OrgLook | null,
    form: AuditForm,
    state: Partial<Parameters<typeof portalAuditPage>[1]>,
  ) =>
    res
      .status(status)
      .type('html')
      .send(
        portalAuditPage(pageText(res), {
          form,
          events: [],
          older: null,
          maxExport: PORTAL_EXPORT_MAX_EVENTS,
          look,
          ...state,
        }),
      );

  router.get('/portal/audit', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    const session = withIntent(found.session, 'audit_logs');
    const form = formOf(req.query);
    try {
      const query = apiQuery(form, 'desc');
      const page = await deps.auditQuery.list(
        session.orgId,
        query,
        principalOf(session),
        pageRequest({ cursor: req.query.cursor, limit: String(PAGE_SIZE) }, CHAIN_SEQ_CURSOR),
      );
      sendPage(res, 200, found.look, form, { events: page.items, older: page.nextCursor });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      sendPage(res, 400, found.look, form, { errors: fieldErrorsOf(pageText(res), error, form) });
    }
  });

  router.get('/portal/audit/export', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    const session = withIntent(found.session, 'audit_logs');
    const form = formOf(req.query);
    const asked = text(req.query.format);
    const format = Object.hasOwn(FORMATS, asked) ? FORMATS[asked as keyof typeof FORMATS] : null;
    try {
      if (!format)
        throw new AppError('validation_failed', 'The export format is invalid.', {
          status: 400,
          fields: [{ field: 'format', message: 'must be jsonl or csv' }],
        });
      const exported = await deps.auditQuery.export(
        session.orgId,
        apiQuery(form, 'asc'),
        principalOf(session),
        contextOf(req, res.locals),
        { format: format.recorded, maxEvents: PORTAL_EXPORT_MAX_EVENTS },
      );
      const name = `audit-events-${session.orgId}.${asked}`;
      res.status(200).set({
        'Content-Type': format.type,
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      });
      if (format === FORMATS.csv) res.write(`${CSV_COLUMNS.join(',')}\r\n`);
      await streamBatches(res, exported.batches, format.encode);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400 || res.headersSent) throw error;
      sendPage(res, 400, found.look, form, { errors: fieldErrorsOf(pageText(res), error, form) });
    }
  });
}
