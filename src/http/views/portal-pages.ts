import { html, type Html } from './html.js';
import type { PageText } from '../i18n/page-text.js';
import { layout, type OrgLook } from './layout.js';

/** One step of the portal as the home page lists it. */
export interface PortalStep {
  title: string;
  description: string;
  /** Null: the step is not built yet (issue 18); it is listed, not linked. */
  href: string | null;
}

export interface PortalDomainRow {
  id: string;
  domain: string;
  status: 'pending' | 'verified';
  recordName: string;
  recordValue: string | null;
}

/** The Domain and SSO steps' one script (a static file: the CSP allows no inline script). */
export const PORTAL_COPY_SCRIPT_PATH = '/portal/assets/copy.js';

/**
 * Progressive enhancement of the Domain, SSO and Directory sync steps: a Copy button after each `[data-copy]`
 * value. Its words are the page's: the script tag's `data-copy-text` and `data-copied-text`,
 * each value's `data-copy-label` (its button's accessible name); English where a page
 * gives none. Without script (or clipboard access) the page works the same.
 */
export const PORTAL_COPY_SCRIPT = `'use strict';
(function (script) {
  var words = (script && script.dataset) || {};
  document.querySelectorAll('[data-copy]').forEach(function (code) {
    if (!navigator.clipboard) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary copy';
    button.textContent = words.copyText || 'Copy';
    button.setAttribute(
      'aria-label',
      code.getAttribute('data-copy-label') || 'Copy the ' + code.getAttribute('data-copy'),
    );
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(code.textContent.trim()).then(function () {
        button.textContent = words.copiedText || 'Copied';
      });
    });
    code.insertAdjacentElement('afterend', button);
    // A space between the value and its button (the stylesheet is shared by every page).
    code.insertAdjacentText('afterend', ' ');
  });
})(document.currentScript);
`;

/** The copy script's tag, with its button's words in the page's language. */
export const copyScript = (text: PageText) =>
  html`<script
    src="${PORTAL_COPY_SCRIPT_PATH}"
    defer
    data-copy-text="${text.t('portal.copy.button')}"
    data-copied-text="${text.t('portal.copy.copied')}"
  ></script>`;

/** A value to copy: selectable text, and a Copy button (named `label`) where script runs. */
export const copyable = (id: string, label: string, value: string) =>
  html`<code data-copy="${id}" data-copy-label="${label}">${value}</code>`;

/** The link back to the portal's list of steps (or to `href`). */
export const backLink = (
  text: PageText,
  href = '/portal',
  label = text.t('portal.back.allSteps'),
) =>
  // Back points the way the page reads: leftwards, or rightwards in a right-to-left page.
  html`<p><a href="${href}">${text.dir === 'rtl' ? '→' : '←'} ${label}</a></p>`;

export const csrfField = (csrf: string) =>
  html`<input type="hidden" name="csrf" value="${csrf}" />`;

/**
 * What every refused link shows: used, expired, revoked or unknown alike (the page never
 * says which, so a guessed or stolen token learns nothing), and whom to ask.
 */
export function portalLinkInvalidPage(text: PageText): string {
  const { t } = text;
  return layout({
    title: t('portal.invalid.title'),
    text,
    body: html`<h1>${t('portal.invalid.heading')}</h1>
      <p class="lead">${t('portal.invalid.lead')}</p>
      <p>${t('portal.invalid.next')}</p>`,
  });
}

/** No live portal session in this browser (never opened here, ended or expired). */
export function portalSessionEndedPage(text: PageText): string {
  const { t } = text;
  return layout({
    title: t('portal.ended.title'),
    text,
    body: html`<h1>${t('portal.ended.heading')}</h1>
      <p class="lead">${t('portal.ended.lead')}</p>
      <p>${t('portal.ended.next')}</p>`,
  });
}

/**
 * The link's own page: opening it does nothing yet. A POST from this page spends it, so a
 * mail scanner or link preview fetching the URL does not use the link up.
 */
export function portalStartPage(text: PageText, token: string): string {
  const { t } = text;
  return layout({
    title: t('portal.start.title'),
    text,
    body: html`<h1>${t('portal.start.heading')}</h1>
      <p class="lead">${t('portal.start.lead')}</p>
      <form method="post" action="/portal/start" class="stack">
        <input type="hidden" name="token" value="${token}" />
        <button type="submit">${t('portal.start.button')}</button>
      </form>`,
  });
}

export function portalHomePage(
  text: PageText,
  options: {
    /** The org's name, or null where it has none to show. */
    orgName: string | null;
    steps: PortalStep[];
    expiresAt: Date;
    returnUrl: string | null;
    /** The org's look (branding), or null for the default. */
    look: OrgLook | null;
  },
): string {
  const { t } = text;
  const items: Html[] = options.steps.map(
    (step) =>
      html`<li>
        ${step.href ? html`<a href="${step.href}">${step.title}</a>` : html`<span>${step.title}</span>`}
        <span class="hint"
          >— ${step.description}${step.href ? '' : ` ${t('portal.home.notYet')}`}</span
        >
      </li>`,
  );
  return layout({
    title: t('portal.home.title'),
    wide: true,
    look: options.look,
    text,
    body: html`<h1>
        ${t('portal.home.heading', { name: options.orgName ?? t('portal.home.yourOrganization') })}
      </h1>
      <p class="lead">
        <time datetime="${options.expiresAt.toISOString()}"
          >${t('portal.home.ends', { time: text.dateTime(options.expiresAt) })}</time
        >
      </p>
      <h2>${t('portal.home.steps')}</h2>
      <ul>
        ${items}
      </ul>
      ${
        options.returnUrl
          ? html`<p>
              <a class="button secondary" href="${options.returnUrl}">${t('portal.home.done')}</a>
            </p>`
          : ''
      }`,
  });
}

const domainRow = (text: PageText, d: PortalDomainRow, csrf: string, failure: string | null) => {
  const { t } = text;
  return html`<section aria-labelledby="domain-${d.id}">
    <h2 id="domain-${d.id}">
      ${d.domain}
      <span class="badge"
        >${d.status === 'verified' ? t('portal.domain.verified') : t('portal.domain.pending')}</span
      >
    </h2>
    ${
      d.status === 'pending' && d.recordValue
        ? html`<p>${t('portal.domain.addRecord')}</p>
            <dl class="meta">
              <dt>${t('portal.domain.recordType')}</dt>
              <dd><code>TXT</code></dd>
              <dt>${t('portal.domain.recordName')}</dt>
              <dd>${copyable('record name', t('portal.copy.recordName'), d.recordName)}</dd>
              <dt>${t('portal.domain.recordValue')}</dt>
              <dd>${copyable('record value', t('portal.copy.recordValue'), d.recordValue)}</dd>
            </dl>
            ${failure ? html`<p class="notice error" role="alert">${failure}</p>` : ''}
            <form method="post" action="/portal/domains/${d.id}/check">
              ${csrfField(csrf)}<button type="submit">${t('portal.domain.check')}</button>
            </form>
            <p class="hint">${t('portal.domain.delay')}</p>`
        : ''
    }
  </section>`;
};

/** The Domain step: the org's claims, each pending one with its TXT record and a check. */
export function portalDomainsPage(
  text: PageText,
  options: {
    domains: PortalDomainRow[];
    csrf: string;
    /** A failed check: the claim and why, in the page's words. */
    failed?: { id: string; detail: string } | null;
    /** A refused add: the domain typed and why. */
    addError?: { value: string; message: string } | null;
    notice?: string | null;
    look: OrgLook | null;
  },
): string {
  const { t } = text;
  const { csrf } = options;
  return layout({
    title: t('portal.domain.heading'),
    wide: true,
    look: options.look,
    text,
    // Copy buttons, only where script runs: the values stay selectable text without it.
    head: copyScript(text),
    body: html`${backLink(text)}
      <h1>${t('portal.domain.heading')}</h1>
      <p class="lead">${t('portal.domain.lead')}</p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      ${options.domains.map((d) =>
        domainRow(text, d, csrf, options.failed?.id === d.id ? options.failed.detail : null),
      )}
      <h2>${t('portal.domain.add')}</h2>
      <form method="post" action="/portal/domains" class="stack">
        ${csrfField(csrf)}
        <label for="domain">${t('portal.domain.label')}</label>
        ${
          options.addError
            ? html`<p id="domain-error" class="notice error" role="alert">
                ${options.addError.message}
              </p>`
            : ''
        }
        <input
          id="domain"
          name="domain"
          type="text"
          required
          placeholder="example.com"
          dir="ltr"
          value="${options.addError?.value ?? ''}"
          ${options.addError ? html`aria-invalid="true" aria-describedby="domain-error"` : null}
        />
        <button type="submit">${t('portal.domain.addButton')}</button>
      </form>`,
  });
}
