import { html, type Html } from './html.js';
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
 * Progressive enhancement of the Domain and SSO steps: a Copy button after each `[data-copy]`
 * value. Without script (or clipboard access) the page works the same.
 */
export const PORTAL_COPY_SCRIPT = `'use strict';
document.querySelectorAll('[data-copy]').forEach(function (code) {
  if (!navigator.clipboard) return;
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary copy';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', 'Copy the ' + code.getAttribute('data-copy'));
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(code.textContent.trim()).then(function () {
      button.textContent = 'Copied';
    });
  });
  code.insertAdjacentElement('afterend', button);
  // A space between the value and its button (the stylesheet is shared by every page).
  code.insertAdjacentText('afterend', ' ');
});
`;

export const csrfField = (csrf: string) =>
  html`<input type="hidden" name="csrf" value="${csrf}" />`;

/**
 * What every refused link shows: used, expired, revoked or unknown alike (the page never
 * says which, so a guessed or stolen token learns nothing), and whom to ask.
 */
export function portalLinkInvalidPage(): string {
  return layout({
    title: 'Setup link not valid',
    body: html`<h1>This setup link can't be used</h1>
      <p class="lead">
        Setup links work once, for a limited time, and can be withdrawn. This one has been used, has
        expired, or is no longer valid.
      </p>
      <p>
        Ask the platform team that sent it (or your account manager) for a new link. If you had
        already opened it in this browser, go back to the tab you used.
      </p>`,
  });
}

/** No live portal session in this browser (never opened here, ended or expired). */
export function portalSessionEndedPage(): string {
  return layout({
    title: 'Setup session ended',
    body: html`<h1>Your setup session has ended</h1>
      <p class="lead">
        The portal only works in the browser that opened the setup link, until the link expires or
        is withdrawn.
      </p>
      <p>Ask the platform team that sent it (or your account manager) for a new link.</p>`,
  });
}

/**
 * The link's own page: opening it does nothing yet. A POST from this page spends it, so a
 * mail scanner or link preview fetching the URL does not use the link up.
 */
export function portalStartPage(token: string): string {
  return layout({
    title: 'Set up sign-in',
    body: html`<h1>Set up sign-in for your organization</h1>
      <p class="lead">
        This link opens a setup session in this browser. It works once: keep using this browser
        until you are done.
      </p>
      <form method="post" action="/portal/start" class="stack">
        <input type="hidden" name="token" value="${token}" />
        <button type="submit">Start setup</button>
      </form>`,
  });
}

export function portalHomePage(options: {
  orgName: string;
  steps: PortalStep[];
  expiresAt: Date;
  returnUrl: string | null;
  /** The org's look (branding), or null for the default. */
  look: OrgLook | null;
}): string {
  const items: Html[] = options.steps.map(
    (step) =>
      html`<li>
        ${step.href ? html`<a href="${step.href}">${step.title}</a>` : html`<span>${step.title}</span>`}
        <span class="hint"
          >— ${step.description}${step.href ? '' : ' (not available in the portal yet)'}</span
        >
      </li>`,
  );
  return layout({
    title: 'Setup',
    wide: true,
    look: options.look,
    body: html`<h1>Set up ${options.orgName}</h1>
      <p class="lead">
        This session ends at
        <time datetime="${options.expiresAt.toISOString()}"
          >${options.expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</time
        >.
      </p>
      <h2>Steps</h2>
      <ul>
        ${items}
      </ul>
      ${
        options.returnUrl
          ? html`<p><a class="button secondary" href="${options.returnUrl}">Done: go back</a></p>`
          : ''
      }`,
  });
}

const domainRow = (d: PortalDomainRow, csrf: string, failure: string | null) =>
  html`<section aria-labelledby="domain-${d.id}">
    <h2 id="domain-${d.id}">
      ${d.domain}
      <span class="badge">${d.status === 'verified' ? 'Verified' : 'Not verified yet'}</span>
    </h2>
    ${
      d.status === 'pending' && d.recordValue
        ? html`<p>Add this TXT record at your DNS provider, then check it:</p>
            <dl class="meta">
              <dt>Type</dt>
              <dd><code>TXT</code></dd>
              <dt>Name</dt>
              <dd><code data-copy="record name">${d.recordName}</code></dd>
              <dt>Value</dt>
              <dd><code data-copy="record value">${d.recordValue}</code></dd>
            </dl>
            ${failure ? html`<p class="notice error" role="alert">${failure}</p>` : ''}
            <form method="post" action="/portal/domains/${d.id}/check">
              ${csrfField(csrf)}<button type="submit">Check now</button>
            </form>
            <p class="hint">DNS changes can take a few minutes to be seen.</p>`
        : ''
    }
  </section>`;

/** The Domain step: the org's claims, each pending one with its TXT record and a check. */
export function portalDomainsPage(options: {
  domains: PortalDomainRow[];
  csrf: string;
  /** A failed check: the claim and why, from the verification's own detail. */
  failed?: { id: string; detail: string } | null;
  /** A refused add: the domain typed and why. */
  addError?: { value: string; message: string } | null;
  notice?: string | null;
  look: OrgLook | null;
}): string {
  const { csrf } = options;
  return layout({
    title: 'Verify your domain',
    wide: true,
    look: options.look,
    // Copy buttons, only where script runs: the values stay selectable text without it.
    head: html`<script src="${PORTAL_COPY_SCRIPT_PATH}" defer></script>`,
    body: html`<p><a href="/portal">← All steps</a></p>
      <h1>Verify your domain</h1>
      <p class="lead">
        Prove your organization controls its email domain: your employees' sign-ins are then sent to
        your identity provider.
      </p>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      ${options.domains.map((d) =>
        domainRow(d, csrf, options.failed?.id === d.id ? options.failed.detail : null),
      )}
      <h2>Add a domain</h2>
      <form method="post" action="/portal/domains" class="stack">
        ${csrfField(csrf)}
        <label for="domain">Domain</label>
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
          value="${options.addError?.value ?? ''}"
          ${options.addError ? html`aria-invalid="true" aria-describedby="domain-error"` : null}
        />
        <button type="submit">Add domain</button>
      </form>`,
  });
}
