import { html, type Html } from './html.js';
import {
  consoleLayout,
  csrfField,
  notice,
  table,
  when,
  type ConsoleViewer,
} from './console-pages.js';

/** One org in the platform admin console: what it has, and the actions on it. */

export interface ConsoleConnectionRow {
  id: string;
  name: string;
  type: 'oidc' | 'saml';
  status: 'draft' | 'active' | 'disabled';
}

export interface ConsoleOrgView {
  viewer: ConsoleViewer;
  csrf: string;
  org: { id: string; slug: string; name: string; status: string };
  domains: Array<{ domain: string; status: string; method: string | null }>;
  connections: ConsoleConnectionRow[];
  users: Array<{ email: string; name: string | null; roles: string[]; status: string }>;
  sessions: Array<{
    id: string;
    user: string;
    connection: string | null;
    ip: string | null;
    createdAt: Date;
    lastSeenAt: Date;
  }>;
  events: Array<{
    occurredAt: string;
    type: string;
    actor: string;
    target: string | null;
    outcome: string;
  }>;
  apiKeys: Array<{ id: string; name: string; createdAt: Date; revokedAt: Date | null }>;
  webhooks: Array<{ url: string; eventTypes: string[] | null; status: string }>;
  /** What was just done (after a redirect), or null. */
  notice: string | null;
  /** The setup link form as sent and why it was refused, or null. */
  linkForm: { intents: string[]; lifetimeSeconds: number | null; error: string } | null;
  intents: readonly string[];
  lifetimes: Array<{ seconds: number; label: string }>;
  defaultLifetimeSeconds: number;
  /** More rows than shown, per list. */
  truncated: { users: boolean; sessions: boolean; apiKeys: boolean; webhooks: boolean };
}

/** A connection's test sign-in (a new tab; its report, never a session), beside Disable. */
const testSignIn = (c: ConsoleConnectionRow, view: ConsoleOrgView): Html | '' =>
  c.status === 'disabled'
    ? ''
    : html`<form
        method="post"
        action="/console/orgs/${view.org.id}/connections/${c.id}/test"
        target="_blank"
      >
        ${csrfField(view.csrf)}
        <button type="submit" class="secondary" aria-label="Test sign-in through ${c.name}">
          Test sign-in
        </button>
      </form>`;

function connectionRow(c: ConsoleConnectionRow, view: ConsoleOrgView): Html {
  const disable =
    c.status === 'disabled'
      ? ''
      : html`<form method="post" action="/console/orgs/${view.org.id}/connections/${c.id}/disable">
          ${csrfField(view.csrf)}
          <button type="submit" class="secondary" aria-label="Disable ${c.name}">Disable</button>
        </form>`;
  return html`<tr>
    <td>${c.name}</td>
    <td>${c.type.toUpperCase()}</td>
    <td>${c.status}</td>
    <td>${testSignIn(c, view)} ${disable}</td>
  </tr>`;
}

function sessionRow(s: ConsoleOrgView['sessions'][number], view: ConsoleOrgView): Html {
  return html`<tr>
    <td>${s.user}</td>
    <td>${s.connection ?? 'none'}</td>
    <td>${s.ip ?? 'unknown'}</td>
    <td>${when(s.createdAt)}</td>
    <td>${when(s.lastSeenAt)}</td>
    <td>
      <form method="post" action="/console/orgs/${view.org.id}/sessions/${s.id}/end">
        ${csrfField(view.csrf)}
        <button type="submit" class="secondary" aria-label="End the session of ${s.user}">
          End
        </button>
      </form>
    </td>
  </tr>`;
}

function linkForm(view: ConsoleOrgView): Html {
  const sent = view.linkForm;
  const chosen = new Set(sent?.intents ?? ['sso', 'domain_verification']);
  const lifetime = sent?.lifetimeSeconds ?? view.defaultLifetimeSeconds;
  return html`<h2 id="setup-link">Create setup link</h2>
    <p class="hint">
      A one-time link to the self-serve setup portal for this org's IT admin. It is shown once.
    </p>
    ${sent ? html`<p class="notice error" role="alert">${sent.error}</p>` : ''}
    <form method="post" action="/console/orgs/${view.org.id}/portal-links" class="stack">
      ${csrfField(view.csrf)}
      <fieldset>
        <legend>What the link allows</legend>
        ${view.intents.map(
          (intent) =>
            html`<label
              ><input
                type="checkbox"
                name="intents"
                value="${intent}"
                ${chosen.has(intent) ? html`checked` : ''}
              />
              ${intent}</label
            >`,
        )}
      </fieldset>
      <label for="lifetime">Lifetime</label>
      <select id="lifetime" name="lifetime_seconds">
        ${view.lifetimes.map(
          (l) =>
            html`<option value="${l.seconds}" ${l.seconds === lifetime ? html`selected` : ''}>
              ${l.label}
            </option>`,
        )}
      </select>
      <button type="submit">Create setup link</button>
    </form>`;
}

export function consoleOrgPage(view: ConsoleOrgView): string {
  const { org } = view;
  const more = (shown: boolean) =>
    shown ? html`<p class="hint">Only the first are shown.</p>` : '';
  return consoleLayout({
    title: org.name,
    viewer: view.viewer,
    body: html`<h1>${org.name}</h1>
      <p class="lead"><code>${org.slug}</code> · ${org.status}</p>
      ${notice(view.notice)}
      <h2>Domains</h2>
      ${table(
        ['Domain', 'Status', 'Verified by'],
        view.domains.map(
          (d) =>
            html`<tr>
              <td>${d.domain}</td>
              <td>${d.status}</td>
              <td>${d.method ?? '—'}</td>
            </tr>`,
        ),
        'No domains.',
      )}
      <h2>Connections</h2>
      ${table(
        ['Name', 'Protocol', 'Status', 'Actions'],
        view.connections.map((c) => connectionRow(c, view)),
        'No connections.',
      )}
      <h2>Users</h2>
      ${table(
        ['Email', 'Name', 'Roles', 'Status'],
        view.users.map(
          (u) =>
            html`<tr>
              <td>${u.email}</td>
              <td>${u.name ?? ''}</td>
              <td>${u.roles.join(', ') || '—'}</td>
              <td>${u.status}</td>
            </tr>`,
        ),
        'No users.',
      )}
      ${more(view.truncated.users)}
      <h2>Live sessions</h2>
      ${table(
        ['User', 'Connection', 'IP', 'Started', 'Last seen', ''],
        view.sessions.map((s) => sessionRow(s, view)),
        'No live sessions.',
      )}
      ${more(view.truncated.sessions)}
      <h2>Admin API keys</h2>
      ${table(
        ['Name', 'Key id', 'Created', 'Revoked'],
        view.apiKeys.map(
          (k) =>
            html`<tr>
              <td>${k.name}</td>
              <td><code>${k.id}</code></td>
              <td>${when(k.createdAt)}</td>
              <td>${k.revokedAt ? when(k.revokedAt) : '—'}</td>
            </tr>`,
        ),
        'No org admin keys.',
      )}
      ${more(view.truncated.apiKeys)}
      <h2>Webhooks</h2>
      ${table(
        ['URL', 'Events', 'Status'],
        view.webhooks.map(
          (w) =>
            html`<tr>
              <td><code>${w.url}</code></td>
              <td>${w.eventTypes ? w.eventTypes.join(', ') : 'every event'}</td>
              <td>${w.status}</td>
            </tr>`,
        ),
        'No webhooks.',
      )}
      ${more(view.truncated.webhooks)} ${linkForm(view)}
      <h2>Recent audit events</h2>
      ${table(
        ['When', 'Event', 'Actor', 'Target', 'Outcome'],
        view.events.map(
          (e) =>
            html`<tr>
              <td>${when(e.occurredAt)}</td>
              <td><code>${e.type}</code></td>
              <td>${e.actor}</td>
              <td>${e.target ?? '—'}</td>
              <td>${e.outcome}</td>
            </tr>`,
        ),
        'No events.',
      )}`,
  });
}
