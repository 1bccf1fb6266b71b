import { translatorFor } from '../i18n/translator.js';
import { html, table, type Html } from './html.js';
import { layout, type OrgLook } from './layout.js';
import { csrfField } from './portal-pages.js';

/** One live session of the org as the Sessions step lists it. */
export interface PortalSessionRow {
  id: string;
  userId: string;
  /** Null: the user is gone since (the session ends with them). */
  email: string | null;
  name: string | null;
  connection: string | null;
  device: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

const ENGLISH = translatorFor('en');
const when = (date: Date) =>
  html`<time datetime="${date.toISOString()}">${ENGLISH.dateTime(date)}</time>`;

const sessionRow = (s: PortalSessionRow, hidden: Html) => {
  const who = s.email ?? 'Unknown user';
  return html`<tr>
    <td>${who}${s.name ? html`<br /><span class="hint">${s.name}</span>` : ''}</td>
    <td>${s.connection ?? 'Unknown'}</td>
    <td>${s.device}</td>
    <td>${s.ip ?? 'Unknown'}</td>
    <td>${when(s.createdAt)}</td>
    <td>${when(s.lastSeenAt)}</td>
    <td>
      <form method="post" action="/portal/sessions/${s.id}/end">
        ${hidden}<button
          type="submit"
          class="secondary"
          aria-label="End the session of ${who} on ${s.device}"
        >
          End
        </button>
      </form>
      <form method="post" action="/portal/users/${s.userId}/sessions/end">
        ${hidden}<button type="submit" class="secondary" aria-label="End all sessions of ${who}">
          End all of this user's
        </button>
      </form>
    </td>
  </tr>`;
};

/** The Sessions step: the org's live sessions (a page of them), filterable by email, endable. */
export function portalSessionsPage(options: {
  sessions: PortalSessionRow[];
  /** The email filter as typed (exact address or its beginning). */
  email: string;
  filterError: string | null;
  nextHref: string | null;
  notice: string | null;
  csrf: string;
  look: OrgLook | null;
}): string {
  const hidden = csrfField(options.csrf);
  const { filterError } = options;
  return layout({
    title: 'Sessions',
    wide: true,
    look: options.look,
    body: html`<p><a href="/portal">← All steps</a></p>
      <h1>Sessions</h1>
      <p class="lead">
        Who is signed in to your organization now. Ending a session signs that device out at once,
        in every application.
      </p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <form method="get" action="/portal/sessions" class="stack">
        <label for="email">User email (the address or its beginning)</label>
        ${
          filterError
            ? html`<p id="email-error" class="notice error" role="alert">${filterError}</p>`
            : ''
        }
        <input
          id="email"
          name="email"
          type="text"
          value="${options.email}"
          ${filterError ? html`aria-invalid="true" aria-describedby="email-error"` : null}
        />
        <button type="submit" class="secondary">Filter</button>
      </form>
      ${table(
        ['User', 'Connection', 'Device', 'IP address', 'Signed in', 'Last active', 'Actions'],
        options.sessions.map((s) => sessionRow(s, hidden)),
        options.email ? 'No live sessions for this email.' : 'No live sessions.',
      )}
      ${options.nextHref ? html`<p><a href="${options.nextHref}">Next page →</a></p>` : ''}`,
  });
}
