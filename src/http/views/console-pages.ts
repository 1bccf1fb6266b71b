import { html, table, type Html } from './html.js';
import { layout } from './layout.js';

export { table };

/** The platform admin console's pages (issue 18): server-rendered, no script. */

export interface ConsoleViewer {
  email: string;
  name: string | null;
}

export const csrfField = (csrf: string) =>
  html`<input type="hidden" name="csrf" value="${csrf}" />`;

export const when = (date: Date | string) => {
  const iso = typeof date === 'string' ? date : date.toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 16)} UTC</time>`;
};

export const notice = (text: string | null | undefined) =>
  text ? html`<p class="notice" role="status">${text}</p>` : '';

/** Every console page: who is signed in, the way back to the orgs, then the page. */
export function consoleLayout(options: {
  title: string;
  viewer: ConsoleViewer;
  body: Html;
}): string {
  return layout({
    title: `${options.title} · Admin console`,
    wide: true,
    body: html`<nav aria-label="Console">
        <a href="/console">All orgs</a> · <a href="/console/platform">Platform keys and SLOs</a> ·
        Signed in as ${options.viewer.name ?? options.viewer.email} (${options.viewer.email}) ·
        <a href="/account">Your account</a>
      </nav>
      ${options.body}`,
  });
}

export interface ConsoleOrgRow {
  id: string;
  slug: string;
  name: string;
  status: string;
  createdAt: Date;
}

export interface ConsoleClientRow {
  id: string;
  name: string;
  type: string;
  status: string;
}

/** The console's home: every org (a page at a time) and the platform's OAuth clients. */
export function consoleHomePage(options: {
  viewer: ConsoleViewer;
  orgs: ConsoleOrgRow[];
  nextCursor: string | null;
  clients: ConsoleClientRow[];
  moreClients: boolean;
}): string {
  const orgRows = options.orgs.map(
    (o) =>
      html`<tr>
        <td><a href="/console/orgs/${o.id}">${o.name}</a></td>
        <td><code>${o.slug}</code></td>
        <td>${o.status}</td>
        <td>${when(o.createdAt)}</td>
      </tr>`,
  );
  const clientRows = options.clients.map(
    (c) =>
      html`<tr>
        <td>${c.name}</td>
        <td><code>${c.id}</code></td>
        <td>${c.type}</td>
        <td>${c.status}</td>
      </tr>`,
  );
  return consoleLayout({
    title: 'Orgs',
    viewer: options.viewer,
    body: html`<h1>Admin console</h1>
      <h2>Orgs</h2>
      ${table(['Name', 'Slug', 'Status', 'Created'], orgRows, 'No orgs yet.')}
      ${
        options.nextCursor
          ? html`<p><a href="/console?cursor=${options.nextCursor}">More orgs →</a></p>`
          : ''
      }
      <h2>OAuth clients</h2>
      <p class="hint">The platform's first-party apps (clients belong to no one org).</p>
      ${table(['Name', 'Client id', 'Type', 'Status'], clientRows, 'No clients yet.')}
      ${options.moreClients ? html`<p class="hint">Only the first clients are shown.</p>` : ''}`,
  });
}

/** The new setup link, shown this once: only its digest is kept. */
export function consoleLinkCreatedPage(options: {
  viewer: ConsoleViewer;
  org: { id: string; name: string };
  url: string;
  linkId: string;
  intents: string[];
  expiresAt: Date;
}): string {
  return consoleLayout({
    title: 'Setup link',
    viewer: options.viewer,
    body: html`<p><a href="/console/orgs/${options.org.id}">← ${options.org.name}</a></p>
      <h1>Setup link for ${options.org.name}</h1>
      <p class="notice" role="status">
        Copy this link now and send it to the org's IT admin: it is shown only once.
      </p>
      <label for="setup-link">Setup link</label>
      <textarea id="setup-link" readonly rows="3" cols="60">${options.url}</textarea>
      <dl class="meta">
        <dt>Allows</dt>
        <dd>${options.intents.join(', ')}</dd>
        <dt>Expires</dt>
        <dd>${when(options.expiresAt)}</dd>
      </dl>
      <p class="hint">
        It works once, in the browser that opens it. Withdraw it with the admin API (DELETE
        /api/v1/orgs/${options.org.id}/portal-links/${options.linkId}) if it went astray.
      </p>`,
  });
}
