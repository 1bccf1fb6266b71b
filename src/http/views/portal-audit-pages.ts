import type { PublicAuditEvent } from '../../audit/index.js';
import { html } from './html.js';
import { layout, type OrgLook } from './layout.js';

/** The Audit log step's filter form, as typed (dates are whole UTC days, YYYY-MM-DD). */
export interface AuditForm {
  type: string;
  from: string;
  to: string;
  outcome: string;
}

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
        The ${field === 'type' ? 'event type' : field} ${found.map((e) => e.message).join('; ')}.
      </p>`
    : '';
};

const invalid = (errors: FieldError[], field: string) =>
  errors.some((e) => e.field === field)
    ? html`aria-invalid="true" aria-describedby="${field}-error"`
    : null;

const eventRow = (event: PublicAuditEvent) =>
  html`<tr>
    <td><time datetime="${event.occurred_at}">${event.occurred_at}</time></td>
    <td><code>${event.type}</code></td>
    <td>${who(event.actor)}</td>
    <td>${who(event.target)}</td>
    <td>${event.outcome}${event.reason ? html` (${event.reason})` : ''}</td>
  </tr>`;

/** The Audit log step: the filter form (GET), the events newest first, "older", exports. */
export function portalAuditPage(options: {
  form: AuditForm;
  events: PublicAuditEvent[];
  /** The cursor of the next (older) page, or null on the last. */
  older: string | null;
  errors?: FieldError[];
  maxExport: number;
  look: OrgLook | null;
}): string {
  const { form, events } = options;
  const errors = options.errors ?? [];
  const other = errors.filter((e) => !['type', 'from', 'to', 'outcome'].includes(e.field));
  return layout({
    title: 'Audit log',
    wide: true,
    look: options.look,
    body: html`<p><a href="/portal">← All steps</a></p>
      <h1>Audit log</h1>
      <p class="lead">Your organization's events, newest first. Times are UTC.</p>
      ${other.map((e) => html`<p class="notice error" role="alert">${e.field}: ${e.message}</p>`)}
      <form method="get" action="/portal/audit" class="stack">
        <label for="type">Event type</label>
        ${fieldError(errors, 'type')}
        <input
          id="type"
          name="type"
          type="text"
          value="${form.type}"
          placeholder="sso.connection.* or user.login.succeeded"
          ${invalid(errors, 'type')}
        />
        <label for="from">From (UTC day)</label>
        ${fieldError(errors, 'from')}
        <input id="from" name="from" type="date" value="${form.from}" ${invalid(errors, 'from')} />
        <label for="to">To (UTC day, included)</label>
        ${fieldError(errors, 'to')}
        <input id="to" name="to" type="date" value="${form.to}" ${invalid(errors, 'to')} />
        <label for="outcome">Outcome</label>
        ${fieldError(errors, 'outcome')}
        <select id="outcome" name="outcome" ${invalid(errors, 'outcome')}>
          ${['', 'success', 'failure'].map(
            (value) =>
              html`<option value="${value}" ${form.outcome === value ? 'selected' : null}>
                ${value || 'Any'}
              </option>`,
          )}
        </select>
        <button type="submit">Filter</button>
      </form>
      ${
        errors.length
          ? ''
          : html`<p>
              Export these events (oldest first, at most ${options.maxExport.toLocaleString('en')}):
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
                  <th>Time</th>
                  <th>Event</th>
                  <th>Actor</th>
                  <th>Target</th>
                  <th>Outcome</th>
                </tr>
              </thead>
              <tbody>
                ${events.map(eventRow)}
              </tbody>
            </table>`
          : errors.length
            ? ''
            : html`<p>No events match.</p>`
      }
      ${
        options.older
          ? html`<p>
              <a href="/portal/audit?${queryOf(form, { cursor: options.older })}">Older events →</a>
            </p>`
          : ''
      }`,
  });
}
