import type { ConnectionTest } from '../../federation/index.js';
import { html, type Html } from './html.js';
import { layout, type OrgLook } from './layout.js';
import { fixFor, type FixContext } from './test-fixes.js';

const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}" />`;

const CHECK_LABELS: Record<string, string> = {
  org_active: 'Your organization can sign in',
  subject_present: 'The IdP said who the user is (NameID or sub)',
  email_usable: 'An email address came back',
  email_domain_allowed: "The email's domain is one of your verified domains",
  email_verified: 'The email address is verified (where your organization requires it)',
};

const row = (label: string, value: Html | string) =>
  html`<dt>${label}</dt>
    <dd>${value}</dd>`;

const list = (values: string[]) =>
  values.length ? values.join(', ') : html`<span class="hint">none</span>`;

/** The report's body: what came back, and each identity check's verdict. */
function reportBody(test: ConnectionTest): Html {
  const r = test.report;
  if (!r) return html``;
  const received = Object.entries(r.received);
  return html`<h2>What came back</h2>
    <dl class="meta">
      ${row(r.protocol === 'saml' ? 'NameID' : 'Subject (sub)', html`<code>${r.subject || '—'}</code>`)}
      ${r.nameIdFormat ? row('NameID format', html`<code>${r.nameIdFormat}</code>`) : ''}
      ${row('Email', r.email || html`<span class="hint">none</span>`)}
      ${row('Email verified', r.emailVerified ? 'yes' : 'no')} ${row('Name', r.name ?? '—')}
      ${row('Groups', list(r.groups))}
      ${row('Roles in Latchkey', r.roles === null ? 'no role mapping' : list(r.roles))}
    </dl>
    <h2>Checks</h2>
    <ul class="checks">
      ${r.checks.map(
        (c) =>
          html`<li>
            ${c.passed ? '✓ Passed' : '✗ Failed'}: ${CHECK_LABELS[c.name] ?? c.name}
            ${c.reason ? html`(<code>${c.reason}</code>)` : ''}
          </li>`,
      )}
    </ul>
    <details>
      <summary>Everything the IdP sent (${received.length})</summary>
      <dl class="meta">${received.map(([name, values]) => row(name, values.join(', ')))}</dl>
    </details>`;
}

const heading = (test: ConnectionTest) =>
  test.outcome === 'passed'
    ? 'Test sign-in passed'
    : test.outcome === 'failed'
      ? 'Test sign-in failed'
      : 'Test sign-in not finished';

/**
 * A test sign-in's report, in the portal: the outcome, for a failure its reason code and
 * what to fix at the IdP, what came back and the checks; Activate once it passed at the
 * connection's current version, and a new test.
 */
export function portalTestReportPage(options: {
  test: ConnectionTest;
  connection: { id: string; name: string; status: string };
  fix: FixContext;
  canActivate: boolean;
  csrf: string;
  look: OrgLook | null;
}): string {
  const { test, connection, csrf } = options;
  const failed = test.outcome === 'failed' && test.reason;
  return layout({
    title: heading(test),
    wide: true,
    look: options.look,
    body: html`<p><a href="/portal/sso/${connection.id}">← ${connection.name}</a></p>
      <h1>${heading(test)}</h1>
      ${
        failed
          ? html`<div class="notice error" role="alert">
              <p>Reason: <code>${test.reason}</code></p>
              <p>${fixFor(test.reason!, options.fix)}</p>
            </div>`
          : test.outcome === 'pending'
            ? html`<p class="notice" role="status">
                No answer from the IdP yet. Finish the sign-in in the tab that opened, or test
                again.
              </p>`
            : html`<p class="notice" role="status">
                A sign-in through this connection would succeed.
              </p>`
      }
      ${reportBody(test)}
      ${
        options.canActivate
          ? html`<form method="post" action="/portal/sso/${connection.id}/activate" class="stack">
              ${csrfField(csrf)}
              <button type="submit">Activate ${connection.name}</button>
            </form>`
          : ''
      }
      <form method="post" action="/portal/sso/${connection.id}/test" target="_blank">
        ${csrfField(csrf)}
        <button type="submit" class="${options.canActivate ? 'secondary' : ''}">
          Test sign-in again
        </button>
      </form>`,
  });
}

/**
 * The end of a test sign-in reached from the IdP: the portal's SameSite=Strict cookie is
 * not sent on a navigation another site started, so the browser continues with a link on
 * this origin's own page (which does send it). The page shows nothing of the test.
 */
export function portalTestContinuePage(testId: string): string {
  return layout({
    title: 'Test sign-in finished',
    body: html`<h1>Test sign-in finished</h1>
      <p class="lead">Your identity provider answered. See what came back:</p>
      <p><a class="button" href="/portal/sso/tests/${testId}">See the result</a></p>`,
  });
}

/** An activation the portal refused: why, and the way back. */
export function portalActivationRefusedPage(options: {
  connection: { id: string; name: string };
  message: string;
  code: string;
  look: OrgLook | null;
}): string {
  return layout({
    title: 'Not activated',
    look: options.look,
    body: html`<h1>${options.connection.name} was not activated</h1>
      <p class="notice error" role="alert">${options.message} (<code>${options.code}</code>)</p>
      <p>
        <a href="/portal/sso/${options.connection.id}">← Back to ${options.connection.name}</a>
      </p>`,
  });
}
