import Bowser from 'bowser';
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

const when = (date: Date) =>
  html`<time datetime="${date.toISOString()}"
    >${date.toISOString().replace('T', ' ').slice(0, 16)} UTC</time
  >`;

export function accountPage(options: {
  name: string | null;
  email: string;
  orgName: string;
  sessions: AccountSessionRow[];
  csrf: string;
  notice: string | null;
  /** The look of the user's org, or null for the default. */
  look?: OrgLook | null;
}): string {
  const hidden = html`<input type="hidden" name="csrf" value="${options.csrf}" />`;
  const signOut = (s: AccountSessionRow) =>
    html`<form method="post" action="/account/sessions/${s.id}/end">
      ${hidden}<button
        type="submit"
        class="secondary"
        aria-label="${s.current ? 'Sign out of this device' : `Sign out the session on ${s.device}`}"
      >
        ${s.current ? 'Sign out of this device' : 'Sign out'}
      </button>
    </form>`;
  const rows: Html[] = options.sessions.map(
    (s) =>
      html`<tr>
        <td>${s.device}${s.current ? html` <span class="badge">This device</span>` : ''}</td>
        <td>${s.connection ?? 'unknown'}</td>
        <td>${s.ip ?? 'unknown'}</td>
        <td>${when(s.createdAt)}</td>
        <td>${when(s.lastSeenAt)}</td>
        <td>${signOut(s)}</td>
      </tr>`,
  );
  return layout({
    title: 'Your account',
    wide: true,
    look: options.look,
    body: html`<h1>Signed in as ${options.name ?? options.email}</h1>
      <p class="lead">${options.email} · ${options.orgName}</p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <h2>Where you're signed in</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Signed in through</th>
            <th scope="col">IP address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last active</th>
            <th scope="col"><span class="visually-hidden">Action</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      <div class="actions">
        <form method="post" action="/account/sessions/end-others">
          ${hidden}<button type="submit" class="secondary">Sign out all other sessions</button>
        </form>
        <form method="post" action="/account/sessions/end-all">
          ${hidden}<button type="submit">Sign out everywhere</button>
        </form>
      </div>`,
  });
}

export function signedOutPage(): string {
  return layout({
    title: 'Signed out',
    body: html`<h1>You're signed out</h1>
      <p class="lead">You have been signed out of Latchkey. You can close this window.</p>
      <p><a class="button" href="/login">Sign in again</a></p>`,
  });
}

export function confirmLogoutPage(action: string, fields: Record<string, string>): string {
  return layout({
    title: 'Sign out?',
    body: html`<h1>Sign out?</h1>
      <p class="lead">An application asked to sign you out of Latchkey.</p>
      <form method="post" action="${action}">
        ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <button type="submit">Sign out</button>
      </form>`,
  });
}

/**
 * A short, human name for a user agent string ("Chrome on macOS", "Safari on iPhone"),
 * never the raw string. Parsed by bowser (MIT, no dependencies): hand-written matching
 * took an iPhone for a Mac (its user agent says "like Mac OS X").
 */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const { browser, os, platform } = Bowser.parse(userAgent);
  const name = browser.name === 'Microsoft Edge' ? 'Edge' : browser.name || 'Browser';
  const device =
    platform.model === 'iPhone' || platform.model === 'iPad' ? platform.model : os.name;
  return `${name} on ${device || 'unknown system'}`;
}
