import type { IdpGuide } from '../../portal/index.js';
import { html, table, type Html } from './html.js';
import type { PageText } from '../i18n/page-text.js';
import { layout, type OrgLook } from './layout.js';
import { backLink, copyScript, csrfField } from './portal-pages.js';
import {
  guideText,
  oidcForm,
  oidcValuesBlock,
  samlForm,
  samlValuesBlock,
  type FormState,
  type OidcValues,
  type SamlValues,
} from './portal-sso-forms.js';

export { emptyForm, type FormState, type OidcValues, type SamlValues } from './portal-sso-forms.js';

/** One of the org's connections as the SSO step lists it. */
export interface PortalConnectionRow {
  id: string;
  name: string;
  protocol: 'saml' | 'oidc';
  status: 'draft' | 'active' | 'disabled';
}

/** The latest test sign-in of a connection (the lead's connectionTests.latest). */
export interface PortalConnectionTest {
  id: string;
  outcome: 'passed' | 'failed' | 'pending';
  reason: string | null;
  finishedAt: Date | null;
}

/** The values to enter at the IdP, with the guide that names them. */
export type GuideValues =
  | { guide: IdpGuide & { protocol: 'saml' }; values: SamlValues }
  | { guide: IdpGuide & { protocol: 'oidc' }; values: OidcValues };

const PROTOCOL = { saml: 'SAML 2.0', oidc: 'OpenID Connect' } as const;

const status = ({ t }: PageText, of: PortalConnectionRow['status']) =>
  of === 'draft'
    ? t('portal.sso.status.draft')
    : of === 'active'
      ? t('portal.sso.status.active')
      : t('portal.sso.status.disabled');

const when = (text: PageText, at: Date) =>
  html`<time datetime="${at.toISOString()}">${text.dateTime(at)}</time>`;

/** The SSO step: the org's connections, and the IdPs a new one can be set up for. */
export function portalSsoPage(
  text: PageText,
  options: {
    connections: PortalConnectionRow[];
    guides: readonly IdpGuide[];
    look: OrgLook | null;
  },
): string {
  const { t } = text;
  const rows = options.connections.map(
    (c) =>
      html`<tr>
        <td><a href="/portal/sso/${c.id}">${c.name}</a></td>
        <td>${PROTOCOL[c.protocol]}</td>
        <td><span class="badge">${status(text, c.status)}</span></td>
      </tr>`,
  );
  const choices = options.guides.map(
    (g) =>
      html`<li>
        <a class="button secondary wide" href="/portal/sso/new/${g.slug}"
          >${guideText(text, g.choice)}</a
        >
      </li>`,
  );
  return layout({
    title: t('portal.sso.heading'),
    wide: true,
    look: options.look,
    text,
    body: html`${backLink(text)}
      <h1>${t('portal.sso.heading')}</h1>
      <p class="lead">${t('portal.sso.lead')}</p>
      <h2>${t('portal.sso.yours')}</h2>
      ${table(
        [
          t('portal.sso.column.name'),
          t('portal.sso.column.protocol'),
          t('portal.sso.column.status'),
        ],
        rows,
        t('portal.sso.none'),
      )}
      <h2>${t('portal.sso.add')}</h2>
      <p>${t('portal.sso.pick')}</p>
      <ul class="choices">
        ${choices}
      </ul>`,
  });
}

/** The values to enter at the IdP, under the guide's own labels. */
const valuesBlock = (text: PageText, v: GuideValues) =>
  v.guide.protocol === 'saml'
    ? samlValuesBlock(text, v.values as SamlValues, v.guide)
    : oidcValuesBlock(text, v.values as OidcValues, v.guide);

/** A new connection for one IdP: where to go there, what to enter, and what to bring back. */
export function portalSsoNewPage(
  text: PageText,
  options: {
    values: GuideValues;
    reservedId: string;
    csrf: string;
    state: FormState;
    maxMetadataKb: number;
    look: OrgLook | null;
  },
): string {
  const { t } = text;
  const { guide } = options.values;
  const idp = guideText(text, guide.idp);
  const protocol = PROTOCOL[guide.protocol];
  const action = `/portal/sso/new/${guide.slug}`;
  const form =
    guide.protocol === 'saml'
      ? samlForm(text, { ...options, action, guide })
      : oidcForm(text, { ...options, action, guide });
  return layout({
    title: t('portal.sso.new.title', { idp }),
    wide: true,
    look: options.look,
    text,
    // Copy buttons, only where script runs: the values stay selectable text without it.
    head: copyScript(text),
    body: html`${backLink(text, '/portal/sso', t('portal.sso.heading'))}
      <h1>
        ${
          guide.alternative
            ? t('portal.sso.new.headingWithProtocol', { idp, protocol })
            : t('portal.sso.new.title', { idp })
        }
      </h1>
      <p class="lead">${t('portal.sso.new.lead', { protocol })}</p>
      ${
        guide.alternative
          ? html`<p class="hint">
              ${t('portal.sso.new.otherProtocol')}
              <a href="/portal/sso/new/${guide.alternative}"
                >${t('portal.sso.new.useOther', {
                  protocol: guide.protocol === 'saml' ? PROTOCOL.oidc : PROTOCOL.saml,
                })}</a
              >
            </p>`
          : ''
      }
      <h2>${t('portal.sso.new.atIdp', { idp })}</h2>
      <ol>
        ${guide.steps.map((step) => html`<li>${guideText(text, step)}</li>`)}
      </ol>
      <h2>${t('portal.sso.new.enter')}</h2>
      ${valuesBlock(text, options.values)}
      <h2>${t('portal.sso.new.bringBack', { idp })}</h2>
      ${form}`,
  });
}

/** "Test and activate": a test sign-in in a new tab; activation only after a passed test. */
function testSection(
  text: PageText,
  connection: PortalConnectionRow,
  latest: PortalConnectionTest | null,
  csrf: string,
  /** The latest test passed at the connection's current version. */
  passed: boolean,
): Html {
  const { t } = text;
  const outcome = (of: PortalConnectionTest['outcome']) =>
    of === 'passed'
      ? t('portal.sso.test.passed')
      : of === 'failed'
        ? t('portal.sso.test.failed')
        : t('portal.sso.test.pending');
  const shown = latest
    ? html`<p id="latest-test" role="status">
        ${t('portal.sso.test.latest')}
        <strong>${outcome(latest.outcome)}</strong
        >${latest.reason ? html` (<code>${latest.reason}</code>)` : ''}${latest.finishedAt ? html`, ${when(text, latest.finishedAt)}` : ''}.
        <a href="/portal/tests/${latest.id}">${t('portal.sso.test.report')}</a>
      </p>`
    : html`<p id="latest-test" role="status">${t('portal.sso.test.none')}</p>`;
  return html`<section aria-labelledby="test-and-activate">
    <h2 id="test-and-activate">${t('portal.sso.test.heading')}</h2>
    <p>${t('portal.sso.test.lead')}</p>
    ${shown}
    <div class="actions">
      <form method="post" action="/portal/sso/${connection.id}/test" target="_blank">
        ${csrfField(csrf)}<button type="submit" class="secondary">
          ${t('portal.sso.test.button')}
        </button>
      </form>
      ${
        connection.status === 'draft'
          ? html`<form method="post" action="/portal/sso/${connection.id}/activate">
              ${csrfField(csrf)}<button
                type="submit"
                aria-describedby="latest-test"
                ${passed ? null : html`disabled`}
              >
                ${t('portal.sso.test.activate')}
              </button>
            </form>`
          : ''
      }
    </div>
    ${
      connection.status === 'draft' && !passed
        ? html`<p class="hint">${t('portal.sso.test.activateLater')}</p>`
        : ''
    }
  </section>`;
}

/** One connection: its status, the values to enter at the IdP again, and its test. */
export function portalConnectionPage(
  text: PageText,
  options: {
    connection: PortalConnectionRow;
    values: GuideValues;
    latestTest: PortalConnectionTest | null;
    /** Whether Activate is offered: the latest test passed since the connection last changed. */
    activatable: boolean;
    csrf: string;
    notice?: string | null;
    look: OrgLook | null;
  },
): string {
  const { t } = text;
  const { connection } = options;
  const protocol = PROTOCOL[connection.protocol];
  return layout({
    title: connection.name,
    wide: true,
    look: options.look,
    text,
    head: copyScript(text),
    body: html`${backLink(text, '/portal/sso', t('portal.sso.heading'))}
      <h1>${connection.name} <span class="badge">${status(text, connection.status)}</span></h1>
      <p class="lead">
        ${
          connection.status === 'draft'
            ? t('portal.sso.connection.draft', { protocol })
            : connection.status === 'active'
              ? t('portal.sso.connection.active', { protocol })
              : t('portal.sso.connection.disabled', { protocol })
        }
      </p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <h2>${t('portal.sso.connection.values')}</h2>
      ${valuesBlock(text, options.values)}
      ${testSection(text, connection, options.latestTest, options.csrf, options.activatable)}`,
  });
}
