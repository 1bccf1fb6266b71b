import type { IdpGuide } from '../../portal/index.js';
import { html, table, type Html } from './html.js';
import { layout, type OrgLook } from './layout.js';
import { csrfField, PORTAL_COPY_SCRIPT_PATH } from './portal-pages.js';
import {
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
const STATUS = { draft: 'Draft', active: 'Active', disabled: 'Disabled' } as const;

const back = (href: string, text: string) => html`<p><a href="${href}">← ${text}</a></p>`;
const when = (at: Date) =>
  html`<time datetime="${at.toISOString()}"
    >${at.toISOString().replace('T', ' ').slice(0, 16)} UTC</time
  >`;

/** The SSO step: the org's connections, and the IdPs a new one can be set up for. */
export function portalSsoPage(options: {
  connections: PortalConnectionRow[];
  guides: readonly IdpGuide[];
  look: OrgLook | null;
}): string {
  const rows = options.connections.map(
    (c) =>
      html`<tr>
        <td><a href="/portal/sso/${c.id}">${c.name}</a></td>
        <td>${PROTOCOL[c.protocol]}</td>
        <td><span class="badge">${STATUS[c.status]}</span></td>
      </tr>`,
  );
  const choices = options.guides.map(
    (g) =>
      html`<li>
        <a class="button secondary wide" href="/portal/sso/new/${g.slug}">${g.choice}</a>
      </li>`,
  );
  return layout({
    title: 'Single sign-on',
    wide: true,
    look: options.look,
    body: html`${back('/portal', 'All steps')}
      <h1>Single sign-on</h1>
      <p class="lead">
        Connect your identity provider: your employees then sign in with it. A new connection starts
        as a draft, and goes live only after a test sign-in passes.
      </p>
      <h2>Your connections</h2>
      ${table(['Name', 'Protocol', 'Status'], rows, 'None yet.')}
      <h2>Add a connection</h2>
      <p>
        Pick your identity provider. Okta and Microsoft Entra ID are set up with SAML unless you
        choose their OpenID Connect option: SAML sends your groups without extra setup there.
      </p>
      <ul class="choices">
        ${choices}
      </ul>`,
  });
}

/** The values to enter at the IdP, under the guide's own labels. */
const valuesBlock = (v: GuideValues) =>
  v.guide.protocol === 'saml'
    ? samlValuesBlock(v.values as SamlValues, v.guide)
    : oidcValuesBlock(v.values as OidcValues, v.guide);

/** A new connection for one IdP: where to go there, what to enter, and what to bring back. */
export function portalSsoNewPage(options: {
  values: GuideValues;
  reservedId: string;
  csrf: string;
  state: FormState;
  maxMetadataKb: number;
  look: OrgLook | null;
}): string {
  const { guide } = options.values;
  const action = `/portal/sso/new/${guide.slug}`;
  const form =
    guide.protocol === 'saml'
      ? samlForm({ ...options, action, guide })
      : oidcForm({ ...options, action, guide });
  return layout({
    title: `Connect ${guide.idp}`,
    wide: true,
    look: options.look,
    // Copy buttons, only where script runs: the values stay selectable text without it.
    head: html`<script src="${PORTAL_COPY_SCRIPT_PATH}" defer></script>`,
    body: html`${back('/portal/sso', 'Single sign-on')}
      <h1>Connect ${guide.idp}${guide.alternative ? ` (${PROTOCOL[guide.protocol]})` : ''}</h1>
      <p class="lead">With ${PROTOCOL[guide.protocol]}; the connection starts as a draft.</p>
      ${
        guide.alternative
          ? html`<p class="hint">
              Prefer the other protocol?
              <a href="/portal/sso/new/${guide.alternative}"
                >Use ${guide.protocol === 'saml' ? PROTOCOL.oidc : PROTOCOL.saml} instead</a
              >.
            </p>`
          : ''
      }
      <h2>1. At ${guide.idp}</h2>
      <ol>
        ${guide.steps.map((step) => html`<li>${step}</li>`)}
      </ol>
      <h2>2. Enter these values there</h2>
      ${valuesBlock(options.values)}
      <h2>3. Bring back ${guide.idp}'s values</h2>
      ${form}`,
  });
}

/** "Test and activate": a test sign-in in a new tab; activation only after a passed test. */
function testSection(
  connection: PortalConnectionRow,
  latest: PortalConnectionTest | null,
  csrf: string,
  /** The latest test passed at the connection's current version. */
  passed: boolean,
): Html {
  const outcome = latest
    ? html`<p id="latest-test" role="status">
        Latest test:
        <strong>${latest.outcome}</strong
        >${latest.reason ? html` (<code>${latest.reason}</code>)` : ''}${latest.finishedAt ? html`, ${when(latest.finishedAt)}` : ''}.
        <a href="/portal/tests/${latest.id}">What came back</a>
      </p>`
    : html`<p id="latest-test" role="status">No test sign-in yet.</p>`;
  return html`<section aria-labelledby="test-and-activate">
    <h2 id="test-and-activate">Test and activate</h2>
    <p>Sign in through this connection in a new tab, as one of your employees would.</p>
    ${outcome}
    <div class="actions">
      <form method="post" action="/portal/sso/${connection.id}/test" target="_blank">
        ${csrfField(csrf)}<button type="submit" class="secondary">Test sign-in</button>
      </form>
      ${
        connection.status === 'draft'
          ? html`<form method="post" action="/portal/sso/${connection.id}/activate">
              ${csrfField(csrf)}<button
                type="submit"
                aria-describedby="latest-test"
                ${passed ? null : html`disabled`}
              >
                Activate
              </button>
            </form>`
          : ''
      }
    </div>
    ${
      connection.status === 'draft' && !passed
        ? html`<p class="hint">
            Activate is available once a test sign-in has passed since the connection last changed.
          </p>`
        : ''
    }
  </section>`;
}

/** One connection: its status, the values to enter at the IdP again, and its test. */
export function portalConnectionPage(options: {
  connection: PortalConnectionRow;
  values: GuideValues;
  latestTest: PortalConnectionTest | null;
  /** Whether Activate is offered: the latest test passed since the connection last changed. */
  activatable: boolean;
  csrf: string;
  notice?: string | null;
  look: OrgLook | null;
}): string {
  const { connection } = options;
  return layout({
    title: connection.name,
    wide: true,
    look: options.look,
    head: html`<script src="${PORTAL_COPY_SCRIPT_PATH}" defer></script>`,
    body: html`${back('/portal/sso', 'Single sign-on')}
      <h1>${connection.name} <span class="badge">${STATUS[connection.status]}</span></h1>
      <p class="lead">
        ${PROTOCOL[connection.protocol]} connection.
        ${
          connection.status === 'draft'
            ? 'A draft: nobody signs in through it until it is activated.'
            : connection.status === 'active'
              ? 'Active: your employees sign in through it.'
              : 'Disabled: nobody signs in through it.'
        }
      </p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <h2>The values to enter at your identity provider</h2>
      ${valuesBlock(options.values)}
      ${testSection(connection, options.latestTest, options.csrf, options.activatable)}`,
  });
}
