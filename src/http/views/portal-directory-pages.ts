import type { DirectoryGuide, GuideLabel } from '../../portal/index.js';
import type { presentSyncStatus } from '../../directories/index.js';
import type { PageText } from '../i18n/page-text.js';
import type { MessageKey } from '../i18n/translator.js';
import { html, type Html } from './html.js';
import { layout, type OrgLook } from './layout.js';
import { copyable, copyScript, csrfField } from './portal-pages.js';

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

/** The guides as the page shows them: their sentences are message keys. */
export type PortalDirectoryGuide = DirectoryGuide<MessageKey>;

const when = (text: PageText, at: string | Date | null) => {
  if (!at) return html`${text.t('portal.directory.never')}`;
  const date = typeof at === 'string' ? new Date(at) : at;
  return html`<time datetime="${date.toISOString()}">${text.dateTime(date)}</time>`;
};

const labelOf = (text: PageText, label: GuideLabel<MessageKey>) =>
  'key' in label ? text.t(label.key) : html`<span lang="en">${label.product}</span>`;

const guideBlock = (
  text: PageText,
  guide: PortalDirectoryGuide,
  baseUrl: string,
  secret: string | null,
) =>
  html`<section>
    <h3>${guide.idp}</h3>
    ${guide.caveat ? html`<p class="notice">${text.t(guide.caveat)}</p>` : ''}
    <ol>
      ${guide.steps.map((s) => html`<li>${text.t(s)}</li>`)}
    </ol>
    <dl class="meta">
      <dt>${labelOf(text, guide.labels.baseUrl)}</dt>
      <dd><code>${baseUrl}</code></dd>
      <dt>${labelOf(text, guide.labels.token)}</dt>
      <dd>
        ${secret ? text.t('portal.directory.tokenShownAbove') : text.t('portal.directory.tokenIssuedHere')}
      </dd>
    </dl>
    <p>${text.t(guide.attributes)}</p>
  </section>`;

const errorsBlock = (text: PageText, sync: PortalSyncStatus) =>
  sync.errors.length === 0
    ? html`<p class="hint">${text.t('portal.directory.noErrors')}</p>`
    : html`<table>
        <thead>
          <tr>
            <th scope="col">${text.t('portal.directory.errorWhen')}</th>
            <th scope="col">${text.t('portal.directory.errorRequest')}</th>
            <th scope="col">${text.t('portal.directory.errorStatus')}</th>
            <th scope="col"><span lang="en">scimType</span></th>
            <th scope="col">${text.t('portal.directory.errorDetail')}</th>
          </tr>
        </thead>
        <tbody>
          ${sync.errors.map(
            (e) =>
              html`<tr>
                <td>${when(text, e.occurred_at)}</td>
                <td><code>${e.method} ${e.path}</code></td>
                <td>${String(e.status)}</td>
                <td>${e.scim_type ?? '—'}</td>
                <td lang="en">${e.detail ?? '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;

const statusBlock = (text: PageText, sync: PortalSyncStatus) => {
  const { t } = text;
  return html`<h3>${t('portal.directory.syncStatus')}</h3>
    <dl class="meta">
      <dt>${t('portal.directory.lastRequest')}</dt>
      <dd>${when(text, sync.last_request_at)}</dd>
      <dt>${t('portal.directory.lastChange')}</dt>
      <dd>${when(text, sync.last_write_at)}</dd>
      <dt>${t('portal.directory.users')}</dt>
      <dd data-count="users">${String(sync.counts.users)}</dd>
      <dt>${t('portal.directory.activeUsers')}</dt>
      <dd data-count="active_users">${String(sync.counts.active_users)}</dd>
      <dt>${t('portal.directory.groups')}</dt>
      <dd data-count="groups">${String(sync.counts.groups)}</dd>
    </dl>
    <p class="hint">${t('portal.directory.precision', { count: sync.times_precision_seconds })}</p>
    <h4>${t('portal.directory.recentErrors')}</h4>
    ${errorsBlock(text, sync)}
    ${
      sync.errors_dropped > 0
        ? html`<p class="hint">
            ${t('portal.directory.errorsDropped', { count: sync.errors_dropped })}
          </p>`
        : ''
    }`;
};

const tokensBlock = (text: PageText, d: PortalDirectoryRow, csrf: string) => {
  const { t } = text;
  return html`<h3>${t('portal.directory.tokens')}</h3>
    ${
      d.tokens.length === 0
        ? html`<p class="hint">${t('portal.directory.noToken')}</p>`
        : html`<ul>
            ${d.tokens.map(
              (token) =>
                html`<li>
                  ${t('portal.directory.issued')}
                  ${when(text, token.createdAt)}${
                    token.endsAt
                      ? html`, ${t('portal.directory.ends')} ${when(text, token.endsAt)}`
                      : ''
                  }
                  <form method="post" action="/portal/directory/${d.id}/tokens/${token.id}/revoke">
                    ${csrfField(csrf)}<button type="submit" class="secondary">
                      ${t('portal.directory.revoke')}
                    </button>
                  </form>
                </li>`,
            )}
          </ul>`
    }
    ${
      d.status === 'active'
        ? html`<form method="post" action="/portal/directory/${d.id}/tokens">
              ${csrfField(csrf)}
              <button type="submit">
                ${d.tokens.length ? t('portal.directory.rotate') : t('portal.directory.issue')}
              </button>
            </form>
            <p class="hint">${t('portal.directory.rotateHint')}</p>`
        : html`<p class="hint">${t('portal.directory.disabledHint')}</p>`
    }`;
};

const issuedBlock = (text: PageText, d: PortalDirectoryRow, issued: IssuedToken) =>
  html`<section class="notice" role="status">
    <h3>${text.t('portal.directory.newToken')}</h3>
    <p>${text.t('portal.directory.copyNow')}</p>
    <dl class="meta">
      <dt>${text.t('portal.directory.baseUrl')}</dt>
      <dd>${copyable('SCIM base URL', text.t('portal.copy.scimBaseUrl'), d.baseUrl)}</dd>
      <dt>${text.t('portal.directory.bearerToken')}</dt>
      <dd>${copyable('SCIM token', text.t('portal.copy.scimToken'), issued.secret)}</dd>
    </dl>
  </section>`;

const directoryBlock = (
  text: PageText,
  d: PortalDirectoryRow,
  csrf: string,
  guides: readonly PortalDirectoryGuide[],
  issued: IssuedToken | null,
): Html => {
  const { t } = text;
  const secret = issued?.directoryId === d.id ? issued.secret : null;
  return html`<section aria-labelledby="directory-${d.id}">
    <h2 id="directory-${d.id}">
      ${d.name}
      <span class="badge"
        >${d.status === 'active' ? t('portal.directory.active') : t('portal.directory.disabled')}</span
      >
    </h2>
    ${secret ? issuedBlock(text, d, { directoryId: d.id, secret }) : ''}
    <dl class="meta">
      <dt>${t('portal.directory.baseUrl')}</dt>
      <dd>${copyable('SCIM base URL', t('portal.copy.scimBaseUrl'), d.baseUrl)}</dd>
    </dl>
    ${tokensBlock(text, d, csrf)} ${statusBlock(text, d.sync)}
    <h3>${t('portal.directory.setUpIdp')}</h3>
    ${guides.map((g) => guideBlock(text, g, d.baseUrl, secret))}
  </section>`;
};

const createForm = (
  text: PageText,
  csrf: string,
  error: { value: string; message: string } | null,
) =>
  html`<h2>${text.t('portal.directory.setUp')}</h2>
    <form method="post" action="/portal/directory" class="stack">
      ${csrfField(csrf)}
      <label for="name">${text.t('portal.directory.nameLabel')}</label>
      ${error ? html`<p id="name-error" class="notice error" role="alert">${error.message}</p>` : ''}
      <input
        id="name"
        name="name"
        type="text"
        required
        maxlength="200"
        value="${error?.value ?? text.t('portal.directory.title')}"
        ${error ? html`aria-invalid="true" aria-describedby="name-error"` : null}
      />
      <button type="submit">${text.t('portal.directory.setUp')}</button>
    </form>`;

/**
 * The Directory sync step: the org's SCIM directories, their tokens, status and IdP guides,
 * in the page's language (an answer to a form post sets `text.here` to this step's page).
 */
export function portalDirectoryPage(
  text: PageText,
  options: {
    directories: PortalDirectoryRow[];
    guides: readonly PortalDirectoryGuide[];
    csrf: string;
    /** A token just issued (the answer to its POST only). */
    issued?: IssuedToken | null;
    createError?: { value: string; message: string } | null;
    notice?: string | null;
    look: OrgLook | null;
  },
): string {
  const { csrf } = options;
  const { t } = text;
  return layout({
    text,
    title: t('portal.directory.title'),
    wide: true,
    look: options.look,
    head: copyScript(text),
    body: html`<p><a href="/portal">${t('portal.ops.allSteps')}</a></p>
      <h1>${t('portal.directory.title')}</h1>
      <p class="lead">${t('portal.directory.lead')}</p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      ${options.directories.map((d) =>
        directoryBlock(text, d, csrf, options.guides, options.issued ?? null),
      )}
      ${
        options.directories.length === 0 || options.createError
          ? createForm(text, csrf, options.createError ?? null)
          : ''
      }`,
  });
}
