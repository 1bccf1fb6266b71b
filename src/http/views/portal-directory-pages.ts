import type { DirectoryGuide } from '../../portal/index.js';
import type { presentSyncStatus } from '../../directories/index.js';
import { html, type Html } from './html.js';
import { layout, type OrgLook } from './layout.js';
import { csrfField, PORTAL_COPY_SCRIPT_PATH } from './portal-pages.js';

/** A directory's status as the admin API's GET …/status answers it. */
export type PortalSyncStatus = ReturnType<typeof presentSyncStatus>;

/** One of the org's SCIM directories as the Directory sync step shows it. */
export interface PortalDirectoryRow {
  id: string;
  name: string;
  status: 'active' | 'disabled';
  /** The issuer followed by the admin API's scim_base_path. */
  baseUrl: string;
  /** Its live tokens (never the tokens themselves). */
  tokens: { id: string; createdAt: Date; endsAt: Date | null }[];
  sync: PortalSyncStatus;
}

/** A token just issued: shown on this one answer, never again. */
export interface IssuedToken {
  directoryId: string;
  secret: string;
}

const when = (at: string | Date | null) => {
  if (!at) return html`never`;
  const iso = typeof at === 'string' ? at : at.toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 16)} UTC</time>`;
};

const guideBlock = (guide: DirectoryGuide, baseUrl: string, secret: string | null) =>
  html`<section>
    <h3>${guide.idp}</h3>
    ${guide.caveat ? html`<p class="notice">${guide.caveat}</p>` : ''}
    <ol>
      ${guide.steps.map((s) => html`<li>${s}</li>`)}
    </ol>
    <dl class="meta">
      <dt>${guide.labels.baseUrl}</dt>
      <dd><code>${baseUrl}</code></dd>
      <dt>${guide.labels.token}</dt>
      <dd>${secret ? html`the token shown above` : html`a token issued on this page`}</dd>
    </dl>
    <p>${guide.attributes}</p>
  </section>`;

const errorsBlock = (sync: PortalSyncStatus) =>
  sync.errors.length === 0
    ? html`<p class="hint">No refused requests.</p>`
    : html`<table>
        <thead>
          <tr>
            <th>When</th>
            <th>Request</th>
            <th>Status</th>
            <th>scimType</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          ${sync.errors.map(
            (e) =>
              html`<tr>
                <td>${when(e.occurred_at)}</td>
                <td><code>${e.method} ${e.path}</code></td>
                <td>${String(e.status)}</td>
                <td>${e.scim_type ?? '—'}</td>
                <td>${e.detail ?? '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;

const statusBlock = (sync: PortalSyncStatus) =>
  html`<h3>Sync status</h3>
    <dl class="meta">
      <dt>Last request</dt>
      <dd>${when(sync.last_request_at)}</dd>
      <dt>Last change</dt>
      <dd>${when(sync.last_write_at)}</dd>
      <dt>Users</dt>
      <dd data-count="users">${String(sync.counts.users)}</dd>
      <dt>Active users</dt>
      <dd data-count="active_users">${String(sync.counts.active_users)}</dd>
      <dt>Groups</dt>
      <dd data-count="groups">${String(sync.counts.groups)}</dd>
    </dl>
    <p class="hint">Times may be up to ${String(sync.times_precision_seconds)} s behind.</p>
    <h4>Recent errors</h4>
    ${errorsBlock(sync)}
    ${
      sync.errors_dropped > 0
        ? html`<p class="hint">${String(sync.errors_dropped)} more were counted, not kept.</p>`
        : ''
    }`;

const tokensBlock = (d: PortalDirectoryRow, csrf: string) =>
  html`<h3>Tokens</h3>
    ${
      d.tokens.length === 0
        ? html`<p class="hint">No token yet: your identity provider cannot connect.</p>`
        : html`<ul>
            ${d.tokens.map(
              (t) =>
                html`<li>
                  Issued ${when(t.createdAt)}${t.endsAt ? html`, ends ${when(t.endsAt)}` : ''}
                  <form method="post" action="/portal/directory/${d.id}/tokens/${t.id}/revoke">
                    ${csrfField(csrf)}<button type="submit" class="secondary">Revoke</button>
                  </form>
                </li>`,
            )}
          </ul>`
    }
    ${
      d.status === 'active'
        ? html`<form method="post" action="/portal/directory/${d.id}/tokens">
              ${csrfField(csrf)}
              <button type="submit">${d.tokens.length ? 'Rotate token' : 'Issue token'}</button>
            </form>
            <p class="hint">
              A new token is shown once. Tokens issued before keep working for a while, so you can
              update your identity provider, then stop.
            </p>`
        : html`<p class="hint">This directory is disabled: its tokens do not work.</p>`
    }`;

const issuedBlock = (d: PortalDirectoryRow, issued: IssuedToken) =>
  html`<section class="notice" role="status">
    <h3>Your new SCIM token</h3>
    <p>Copy it now: it is shown this once and cannot be shown again.</p>
    <dl class="meta">
      <dt>SCIM base URL</dt>
      <dd><code data-copy="SCIM base URL">${d.baseUrl}</code></dd>
      <dt>Bearer token</dt>
      <dd><code data-copy="SCIM token">${issued.secret}</code></dd>
    </dl>
  </section>`;

const directoryBlock = (
  d: PortalDirectoryRow,
  csrf: string,
  guides: readonly DirectoryGuide[],
  issued: IssuedToken | null,
): Html => {
  const secret = issued?.directoryId === d.id ? issued.secret : null;
  return html`<section aria-labelledby="directory-${d.id}">
    <h2 id="directory-${d.id}">
      ${d.name} <span class="badge">${d.status === 'active' ? 'Active' : 'Disabled'}</span>
    </h2>
    ${secret ? issuedBlock(d, { directoryId: d.id, secret }) : ''}
    <dl class="meta">
      <dt>SCIM base URL</dt>
      <dd><code data-copy="SCIM base URL">${d.baseUrl}</code></dd>
    </dl>
    ${tokensBlock(d, csrf)} ${statusBlock(d.sync)}
    <h3>Set up your identity provider</h3>
    ${guides.map((g) => guideBlock(g, d.baseUrl, secret))}
  </section>`;
};

const createForm = (csrf: string, error: { value: string; message: string } | null) =>
  html`<h2>Set up directory sync</h2>
    <form method="post" action="/portal/directory" class="stack">
      ${csrfField(csrf)}
      <label for="name">Name (for example, the identity provider)</label>
      ${error ? html`<p id="name-error" class="notice error" role="alert">${error.message}</p>` : ''}
      <input
        id="name"
        name="name"
        type="text"
        required
        maxlength="200"
        value="${error?.value ?? 'Directory sync'}"
        ${error ? html`aria-invalid="true" aria-describedby="name-error"` : null}
      />
      <button type="submit">Set up directory sync</button>
    </form>`;

/** The Directory sync step: the org's SCIM directories, their tokens, status and IdP guides. */
export function portalDirectoryPage(options: {
  directories: PortalDirectoryRow[];
  guides: readonly DirectoryGuide[];
  csrf: string;
  /** A token just issued (the answer to its POST only). */
  issued?: IssuedToken | null;
  createError?: { value: string; message: string } | null;
  notice?: string | null;
  look: OrgLook | null;
}): string {
  const { csrf } = options;
  return layout({
    title: 'Directory sync',
    wide: true,
    look: options.look,
    head: html`<script src="${PORTAL_COPY_SCRIPT_PATH}" defer></script>`,
    body: html`<p><a href="/portal">← All steps</a></p>
      <h1>Directory sync</h1>
      <p class="lead">
        Your identity provider creates, updates and removes your people here with SCIM 2.0.
      </p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      ${options.directories.map((d) =>
        directoryBlock(d, csrf, options.guides, options.issued ?? null),
      )}
      ${
        options.directories.length === 0 || options.createError
          ? createForm(csrf, options.createError ?? null)
          : ''
      }`,
  });
}
