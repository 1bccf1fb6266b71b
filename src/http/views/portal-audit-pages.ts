import type { PublicAuditEvent } from '../../audit/index.js';
import type { PageText } from '../i18n/page-text.js';
import { html } from './html.js';
import { layout, type OrgLook } from './layout.js';

/** The Audit log step's filter form, as typed (dates are whole UTC days, YYYY-MM-DD). */
export interface AuditForm {
  type: string;
  from: string;
  to: string;
  outcome: string;
}

/** A refused filter: the form's field, and what to do, in the page's language. */
export interface FieldError {
  field: string;
  message: string;
}

const who = (party: { type: string; id: string | null } | null) =>
  party ? `${party.type}${party.id ? ` ${party.id}` : ''}` : '—';

/** The form's fields as a query string (for "older" and the export links). */
const queryOf = (form: AuditForm, extra: Record<string, string>) =>
  new URLSearchParams(
    Object.entries({ ...form, ...extra }).filter(([, value]) => value !== ''),
  ).toString();

const fieldError = (errors: FieldError[], field: string) => {
  const found = errors.filter((e) => e.field === field);
  return found.length
    ? html`<p id="${field}-error" class="notice error" role="alert">
        ${found.map((e) => e.message).join(' ')}
      </p>`
    : '';
};

const invalid = (errors: FieldError[], field: string) =>
  errors.some((e) => e.field === field)
    ? html`aria-invalid="true" aria-describedby="${field}-error"`
    : null;

const eventRow = (text: PageText, event: PublicAuditEvent) =>
  html`<tr>
    <td>
      <time datetime="${event.occurred_at}">${text.dateTime(new Date(event.occurred_at))}</time>
    </td>
    <td><code>${event.type}</code></td>
    <td><code>${who(event.actor)}</code></td>
    <td><code>${who(event.target)}</code></td>
    <td>
      ${event.outcome === 'success' ? text.t('portal.audit.success') : text.t('portal.audit.failure')}${
        event.reason ? html` (${event.reason})` : ''
      }
    </td>
  </tr>`;

/** The Audit log step: the filter form (GET), the events newest first, "older", exports. */
export function portalAuditPage(
  text: PageText,
  options: {
    form: AuditForm;
    events: PublicAuditEvent[];
    /** The cursor of the next (older) page, or null on the last. */
    older: string | null;
    errors?: FieldError[];
    maxExport: number;
    look: OrgLook | null;
  },
): string {
  const { form, events } = options;
  const { t } = text;
  const errors = options.errors ?? [];
  const other = errors.filter((e) => !['type', 'from', 'to', 'outcome'].includes(e.field));
  const outcomes = {
    '': t('portal.audit.any'),
    success: t('portal.audit.success'),
    failure: t('portal.audit.failure'),
  };
  return layout({
    text,
    title: t('portal.audit.title'),
    wide: true,
    look: options.look,
    body: html`<p><a href="/portal">${t('portal.ops.allSteps')}</a></p>
      <h1>${t('portal.audit.title')}</h1>
      <p class="lead">${t('portal.audit.lead')}</p>
      ${other.map((e) => html`<p class="notice error" role="alert">${e.message}</p>`)}
      <form method="get" action="/portal/audit" class="stack">
        <label for="type">${t('portal.audit.typeLabel')}</label>
        ${fieldError(errors, 'type')}
        <input
          id="type"
          name="type"
          type="text"
          value="${form.type}"
          placeholder="${t('portal.audit.typeExample')}"
          ${invalid(errors, 'type')}
        />
        <label for="from">${t('portal.audit.fromLabel')}</label>
        ${fieldError(errors, 'from')}
        <input id="from" name="from" type="date" value="${form.from}" ${invalid(errors, 'from')} />
        <label for="to">${t('portal.audit.toLabel')}</label>
        ${fieldError(errors, 'to')}
        <input id="to" name="to" type="date" value="${form.to}" ${invalid(errors, 'to')} />
        <label for="outcome">${t('portal.audit.outcomeLabel')}</label>
        ${fieldError(errors, 'outcome')}
        <select id="outcome" name="outcome" ${invalid(errors, 'outcome')}>
          ${(['', 'success', 'failure'] as const).map(
            (value) =>
              html`<option value="${value}" ${form.outcome === value ? 'selected' : null}>
                ${outcomes[value]}
              </option>`,
          )}
        </select>
        <button type="submit">${t('portal.audit.filter')}</button>
      </form>
      ${
        errors.length
          ? ''
          : html`<p>
              ${t('portal.audit.export', { count: options.maxExport })}
              <a href="/portal/audit/export?${queryOf(form, { format: 'csv' })}" download>CSV</a>
              ·
              <a href="/portal/audit/export?${queryOf(form, { format: 'jsonl' })}" download
                >JSON Lines</a
              >
            </p>`
      }
      ${
        events.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${t('portal.audit.time')}</th>
                  <th scope="col">${t('portal.audit.event')}</th>
                  <th scope="col">${t('portal.audit.actor')}</th>
                  <th scope="col">${t('portal.audit.target')}</th>
                  <th scope="col">${t('portal.audit.outcomeLabel')}</th>
                </tr>
              </thead>
              <tbody>
                ${events.map((event) => eventRow(text, event))}
              </tbody>
            </table>`
          : errors.length
            ? ''
            : html`<p>${t('portal.audit.none')}</p>`
      }
      ${
        options.older
          ? html`<p>
              <a href="/portal/audit?${queryOf(form, { cursor: options.older })}"
                >${t('portal.audit.older')}</a
              >
            </p>`
          : ''
      }`,
  });
}
