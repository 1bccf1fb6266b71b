import type { ConnectionTest } from '../../federation/index.js';
import type { PageText } from '../i18n/page-text.js';
import type { MessageKey } from '../i18n/translator.js';
import { html, type Html } from './html.js';
import { layout, type OrgLook } from './layout.js';
import { fixFor, type FixContext } from './test-fixes.js';

const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}" />`;

/** Each identity check of the report by its name; a check not listed shows its name. */
const CHECK_LABELS: Record<string, MessageKey> = {
  org_active: 'portal.test.check.orgActive',
  subject_present: 'portal.test.check.subjectPresent',
  email_usable: 'portal.test.check.emailUsable',
  email_domain_allowed: 'portal.test.check.emailDomainAllowed',
  email_verified: 'portal.test.check.emailVerified',
  assurance_sufficient: 'portal.test.check.assuranceSufficient',
};

/** The level proven, its methods and the org's requirement (docs/assurance.md). */
function assuranceRow(text: PageText, a: NonNullable<ConnectionTest['report']>['assurance']) {
  if (!a) return '';
  const { t } = text;
  return row(
    t('portal.test.assurance'),
    t('portal.test.assuranceProven', {
      acr: a.acr ?? t('portal.test.assuranceUnknown'),
      amr: a.amr.length ? a.amr.join(', ') : '—',
      required: a.required ?? t('portal.test.assuranceNothingRequired'),
    }),
  );
}

const row = (label: Html | string, value: Html | string) =>
  html`<dt>${label}</dt>
    <dd>${value}</dd>`;

/** The report's body: what came back, and each identity check's verdict. */
function reportBody(text: PageText, test: ConnectionTest): Html {
  const { t } = text;
  const r = test.report;
  if (!r) return html``;
  const none = html`<span class="hint">${t('portal.test.none')}</span>`;
  const list = (values: string[]) => (values.length ? values.join(', ') : none);
  const received = Object.entries(r.received);
  return html`<h2>${t('portal.test.received')}</h2>
    <dl class="meta">
      ${row(
        r.protocol === 'saml' ? html`<span lang="en">NameID</span>` : t('portal.test.subject'),
        html`<code>${r.subject || '—'}</code>`,
      )}
      ${r.nameIdFormat ? row(t('portal.test.nameIdFormat'), html`<code>${r.nameIdFormat}</code>`) : ''}
      ${row(t('portal.test.email'), r.email || none)}
      ${row(t('portal.test.emailVerified'), r.emailVerified ? t('portal.test.yes') : t('portal.test.no'))}
      ${row(t('portal.test.displayName'), r.name ?? '—')}
      ${row(t('portal.test.groups'), list(r.groups))}
      ${row(t('portal.test.roles'), r.roles === null ? t('portal.test.noRoleMapping') : list(r.roles))}
      ${assuranceRow(text, r.assurance)}
    </dl>
    <h2>${t('portal.test.checks')}</h2>
    <ul class="checks">
      ${r.checks.map((c) => {
        const label = CHECK_LABELS[c.name];
        const verdict = c.passed ? t('portal.test.checkPassed') : t('portal.test.checkFailed');
        const check = label ? t(label) : html`<code>${c.name}</code>`;
        return html`<li>
          ${html`${verdict}: ${check}`} ${c.reason ? html`(<code>${c.reason}</code>)` : ''}
        </li>`;
      })}
    </ul>
    <details>
      <summary>${t('portal.test.everything', { count: received.length })}</summary>
      <dl class="meta">${received.map(([name, values]) => row(name, values.join(', ')))}</dl>
    </details>`;
}

const heading = (text: PageText, test: ConnectionTest) =>
  test.outcome === 'passed'
    ? text.t('portal.test.passedTitle')
    : test.outcome === 'failed'
      ? text.t('portal.test.failedTitle')
      : text.t('portal.test.pendingTitle');

/** Where a report's links and forms go: the portal's or the console's routes. */
export interface TestReportPaths {
  /** The connection's page. */
  back: string;
  /** POST: a new test (opens in a new tab). */
  test: string;
  /** POST: activate the connection. */
  activate: string;
}

/**
 * A test sign-in's report: the outcome, for a failure its reason code and what to fix at
 * the IdP, what came back and the checks; Activate once it passed at the connection's
 * current version, and a new test. The portal and the console show the same, the portal
 * in the page's language, the console in English (it passes English `text`).
 */
export function testReportBody(
  text: PageText,
  options: {
    test: ConnectionTest;
    connection: { name: string };
    fix: FixContext;
    canActivate: boolean;
    csrf: string;
    paths: TestReportPaths;
  },
): Html {
  const { t } = text;
  const { test, connection, csrf, paths } = options;
  const failed = test.outcome === 'failed' && test.reason;
  return html`<p>
      <a href="${paths.back}">${t('portal.test.backTo', { name: connection.name })}</a>
    </p>
    <h1>${heading(text, test)}</h1>
    ${
      failed
        ? html`<div class="notice error" role="alert">
            <p>${t('portal.test.reason')} <code>${test.reason}</code></p>
            <p>${fixFor(text, test.reason!, options.fix)}</p>
          </div>`
        : test.outcome === 'pending'
          ? html`<p class="notice" role="status">${t('portal.test.pending')}</p>`
          : html`<p class="notice" role="status">${t('portal.test.wouldSucceed')}</p>`
    }
    ${reportBody(text, test)}
    ${
      options.canActivate
        ? html`<form method="post" action="${paths.activate}" class="stack">
            ${csrfField(csrf)}
            <button type="submit">${t('portal.test.activate', { name: connection.name })}</button>
          </form>`
        : ''
    }
    <form method="post" action="${paths.test}" target="_blank">
      ${csrfField(csrf)}
      <button type="submit" class="${options.canActivate ? 'secondary' : ''}">
        ${t('portal.test.again')}
      </button>
    </form>`;
}

/** The report in the portal, in the page's language. */
export function portalTestReportPage(
  text: PageText,
  options: Omit<Parameters<typeof testReportBody>[1], 'paths'> & {
    connection: { id: string; name: string };
    look: OrgLook | null;
  },
): string {
  const base = `/portal/sso/${options.connection.id}`;
  return layout({
    text,
    title: heading(text, options.test),
    wide: true,
    look: options.look,
    body: testReportBody(text, {
      ...options,
      paths: { back: base, test: `${base}/test`, activate: `${base}/activate` },
    }),
  });
}

/**
 * The end of a test sign-in reached from the IdP: the portal's SameSite=Strict cookie is
 * not sent on a navigation another site started, so the browser continues with a link on
 * this origin's own page (which does send it). The page shows nothing of the test.
 */
export function portalTestContinuePage(text: PageText, testId: string): string {
  const { t } = text;
  return layout({
    text,
    title: t('portal.test.finishedTitle'),
    body: html`<h1>${t('portal.test.finishedTitle')}</h1>
      <p class="lead">${t('portal.test.finishedLead')}</p>
      <p><a class="button" href="/portal/tests/${testId}">${t('portal.test.seeResult')}</a></p>`,
  });
}

/** Why the portal refused an activation, as the page words it (by the refusal's code). */
export type ActivationRefusal = 'untested' | 'changed' | 'checkFailed' | 'other';

const REFUSALS: Record<ActivationRefusal, MessageKey> = {
  untested: 'portal.test.refused.untested',
  changed: 'portal.test.refused.changed',
  checkFailed: 'portal.test.refused.checkFailed',
  other: 'portal.test.refused.other',
};

/** An activation the portal refused: why, and the way back (the switcher returns there too). */
export function portalActivationRefusedPage(
  text: PageText,
  options: {
    connection: { id: string; name: string };
    refusal: ActivationRefusal;
    code: string;
    look: OrgLook | null;
  },
): string {
  const { t } = text;
  const { name } = options.connection;
  return layout({
    text,
    title: t('portal.test.notActivatedTitle'),
    look: options.look,
    body: html`<h1>${t('portal.test.notActivatedHeading', { name })}</h1>
      <p class="notice error" role="alert">
        ${t(REFUSALS[options.refusal])} (<code>${options.code}</code>)
      </p>
      <p>
        <a href="/portal/sso/${options.connection.id}">${t('portal.test.backTo', { name })}</a>
      </p>`,
  });
}
