import type { PageText } from '../i18n/page-text.js';
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

const when = (text: PageText, date: Date) =>
  html`<time datetime="${date.toISOString()}">${text.dateTime(date)}</time>`;

const sessionRow = (text: PageText, s: PortalSessionRow, hidden: Html) => {
  const { t } = text;
  const who = s.email ?? t('portal.sessions.unknownUser');
  return html`<tr>
    <td>${who}${s.name ? html`<br /><span class="hint">${s.name}</span>` : ''}</td>
    <td>${s.connection ?? t('portal.sessions.unknown')}</td>
    <td>${s.device}</td>
    <td>${s.ip ?? t('portal.sessions.unknown')}</td>
    <td>${when(text, s.createdAt)}</td>
    <td>${when(text, s.lastSeenAt)}</td>
    <td>
      <form method="post" action="/portal/sessions/${s.id}/end">
        ${hidden}<button
          type="submit"
          class="secondary"
          aria-label="${t('portal.sessions.endLabel', { email: who, device: s.device })}"
        >
          ${t('portal.sessions.end')}
        </button>
      </form>
      <form method="post" action="/portal/users/${s.userId}/sessions/end">
        ${hidden}<button
          type="submit"
          class="secondary"
          aria-label="${t('portal.sessions.endAllLabel', { email: who })}"
        >
          ${t('portal.sessions.endAll')}
        </button>
      </form>
    </td>
  </tr>`;
};

/** The Sessions step: the org's live sessions (a page of them), filterable by email, endable. */
export function portalSessionsPage(
  text: PageText,
  options: {
    sessions: PortalSessionRow[];
    /** The email filter as typed (exact address or its beginning). */
    email: string;
    filterError: string | null;
    nextHref: string | null;
    notice: string | null;
    csrf: string;
    look: OrgLook | null;
  },
): string {
  const hidden = csrfField(options.csrf);
  const { filterError } = options;
  const { t } = text;
  return layout({
    text,
    title: t('portal.sessions.title'),
    wide: true,
    look: options.look,
    body: html`<p><a href="/portal">${t('portal.ops.allSteps')}</a></p>
      <h1>${t('portal.sessions.title')}</h1>
      <p class="lead">${t('portal.sessions.lead')}</p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <form method="get" action="/portal/sessions" class="stack">
        <label for="email">${t('portal.sessions.emailLabel')}</label>
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
        <button type="submit" class="secondary">${t('portal.sessions.filter')}</button>
      </form>
      ${table(
        [
          t('portal.sessions.user'),
          t('portal.sessions.connection'),
          t('portal.sessions.device'),
          t('portal.sessions.ip'),
          t('portal.sessions.signedIn'),
          t('portal.sessions.lastActive'),
          t('portal.sessions.actions'),
        ],
        options.sessions.map((s) => sessionRow(text, s, hidden)),
        options.email ? t('portal.sessions.noneForEmail') : t('portal.sessions.none'),
      )}
      ${
        options.nextHref
          ? html`<p><a href="${options.nextHref}">${t('portal.sessions.next')}</a></p>`
          : ''
      }`,
  });
}
