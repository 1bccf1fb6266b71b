import Bowser from 'bowser';
import type { Translator } from '../i18n/translator.js';
import { withHere, type PageText } from '../i18n/page-text.js';
import { html, type Html } from './html.js';
import { layout, type OrgLook } from './layout.js';

export interface AccountSessionRow {
  id: string;
  device: string;
  /** The connection it signed in through, by name (null: not known). */
  connection: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

const when = (text: PageText, date: Date) =>
  html`<time datetime="${date.toISOString()}">${text.dateTime(date)}</time>`;

const sessionRow = (text: PageText, s: AccountSessionRow, hidden: Html) => {
  const { t } = text;
  return html`<tr>
    <td>
      ${s.device}${s.current ? html` <span class="badge">${t('account.thisDevice')}</span>` : ''}
    </td>
    <td>${s.connection ?? t('account.unknown')}</td>
    <td>${s.ip ?? t('account.unknown')}</td>
    <td>${when(text, s.createdAt)}</td>
    <td>${when(text, s.lastSeenAt)}</td>
    <td>
      <form method="post" action="/account/sessions/${s.id}/end">
        ${hidden}<button
          type="submit"
          class="secondary"
          aria-label="${s.current ? t('account.signOutThisDevice') : t('account.signOutSessionOn', { device: s.device })}"
        >
          ${s.current ? t('account.signOutThisDevice') : t('common.signOut')}
        </button>
      </form>
    </td>
  </tr>`;
};

export function accountPage(
  text: PageText,
  options: {
    name: string | null;
    email: string;
    orgName: string;
    sessions: AccountSessionRow[];
    csrf: string;
    notice: string | null;
    /** The look of the user's org, or null for the default. */
    look?: OrgLook | null;
  },
): string {
  const { t } = text;
  const hidden = html`<input type="hidden" name="csrf" value="${options.csrf}" />`;
  return layout({
    text,
    title: t('account.title'),
    wide: true,
    look: options.look,
    body: html`<h1>${t('account.heading', { name: options.name ?? options.email })}</h1>
      <p class="lead">${options.email} · ${options.orgName}</p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <h2>${t('account.sessions')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${t('account.device')}</th>
            <th scope="col">${t('account.connection')}</th>
            <th scope="col">${t('account.ip')}</th>
            <th scope="col">${t('account.signedIn')}</th>
            <th scope="col">${t('account.lastActive')}</th>
            <th scope="col"><span class="visually-hidden">${t('account.action')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${options.sessions.map((s) => sessionRow(text, s, hidden))}
        </tbody>
      </table>
      <div class="actions">
        <form method="post" action="/account/sessions/end-others">
          ${hidden}<button type="submit" class="secondary">${t('account.signOutOthers')}</button>
        </form>
        <form method="post" action="/account/sessions/end-all">
          ${hidden}<button type="submit">${t('account.signOutEverywhere')}</button>
        </form>
      </div>`,
  });
}

/**
 * After a sign-out. Its URL may have ended the session (a logout request), so the
 * language switcher returns to the sign-in page rather than to it.
 */
export function signedOutPage(text: PageText): string {
  const { t } = text;
  return layout({
    text: withHere(text),
    title: t('signedOut.title'),
    body: html`<h1>${t('signedOut.heading')}</h1>
      <p class="lead">${t('signedOut.lead')}</p>
      <p><a class="button" href="/login">${t('signedOut.signInAgain')}</a></p>`,
  });
}

export function confirmLogoutPage(
  text: PageText,
  action: string,
  fields: Record<string, string>,
): string {
  const { t } = text;
  return layout({
    text,
    title: t('confirmLogout.title'),
    body: html`<h1>${t('confirmLogout.title')}</h1>
      <p class="lead">${t('confirmLogout.lead')}</p>
      <form method="post" action="${action}">
        ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <button type="submit">${t('common.signOut')}</button>
      </form>`,
  });
}

/**
 * A short, human name for a user agent string ("Chrome on macOS", "Safari on iPhone"),
 * never the raw string. Parsed by bowser (MIT, no dependencies): hand-written matching
 * took an iPhone for a Mac (its user agent says "like Mac OS X").
 */
export function describeDevice(text: Translator, userAgent: string | null): string {
  const { t } = text;
  if (!userAgent) return t('device.unknown');
  const { browser, os, platform } = Bowser.parse(userAgent);
  const name =
    browser.name === 'Microsoft Edge' ? 'Edge' : browser.name || t('device.unknownBrowser');
  const device =
    platform.model === 'iPhone' || platform.model === 'iPad' ? platform.model : os.name;
  return t('device.name', { browser: name, system: device || t('device.unknownSystem') });
}
