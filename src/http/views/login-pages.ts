import type { PageText } from '../i18n/page-text.js';
import { html } from './html.js';
import { emailInput, layout, type OrgLook } from './layout.js';

const anotherEmail = (text: PageText, returnTo: string) =>
  html`<p>
    <a href="/login?return_to=${encodeURIComponent(returnTo)}"
      >${text.t('common.useAnotherEmail')}</a
    >
  </p>`;

/** The first step: the work email that selects the organization and its sign-in. */
export function loginPage(
  text: PageText,
  options: {
    returnTo: string;
    email?: string;
    /** What is wrong with the email: an error tied to its field. */
    notice?: string | null;
    /** A neutral notice (not an error): announced politely. */
    info?: string | null;
  },
): string {
  const { t } = text;
  return layout({
    text,
    title: t('login.title'),
    body: html`<h1>${t('login.heading')}</h1>
      <p class="lead">${t('login.lead')}</p>
      ${
        options.notice
          ? html`<p class="notice error" role="alert" id="email-error">${options.notice}</p>`
          : ''
      }
      ${options.info ? html`<p class="notice" role="status">${options.info}</p>` : ''}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="return_to" value="${options.returnTo}" />
        <label for="email">${t('login.emailLabel')}</label>
        ${options.notice ? emailInput(options.email ?? '', 'email-error', true) : emailInput(options.email ?? '')}
        <button type="submit">${t('common.continue')}</button>
      </form>`,
  });
}

/**
 * A sign-in link from another site names a connection: the person confirms here first
 * (a GET form from this origin starts it, at an active connection, as the link would have).
 */
export function confirmConnectionPage(
  text: PageText,
  options: { returnTo: string; email: string; connection: string },
): string {
  const { t } = text;
  return layout({
    text,
    title: t('confirmConnection.title'),
    body: html`<h1>${t('confirmConnection.title')}</h1>
      <p class="lead">
        ${
          options.email
            ? t('confirmConnection.leadWithEmail', { email: options.email })
            : t('confirmConnection.lead')
        }
      </p>
      <form method="get" action="/login" class="stack">
        <input type="hidden" name="connection" value="${options.connection}" />
        <input type="hidden" name="return_to" value="${options.returnTo}" />
        ${
          options.email
            ? html`<input type="hidden" name="login_hint" value="${options.email}" />`
            : ''
        }
        <button type="submit">${t('confirmConnection.button')}</button>
      </form>
      ${anotherEmail(text, options.returnTo)}`,
  });
}

/**
 * An IdP-initiated (unsolicited) SAML sign-in reached a browser signed in as someone
 * else: nothing in this browser asked for it, so the person confirms the switch.
 */
export function confirmIdpInitiatedPage(
  text: PageText,
  options: { handle: string; email: string; current: string },
): string {
  const { t } = text;
  const { email, current } = options;
  return layout({
    text,
    title: t('switchAccount.title'),
    body: html`<h1>${t('switchAccount.title')}</h1>
      <p class="lead">${t('switchAccount.lead', { current })}</p>
      <p>${t('switchAccount.body', { email })}</p>
      <form method="post" action="/login/saml/continue" class="stack">
        <input type="hidden" name="handle" value="${options.handle}" />
        <button type="submit">${t('switchAccount.continue', { email })}</button>
      </form>
      <p><a href="/account">${t('switchAccount.stay', { current })}</a></p>`,
  });
}

/** Several active connections for one org: the employee picks theirs. */
export function chooserPage(
  text: PageText,
  options: {
    returnTo: string;
    email: string;
    connections: Array<{ id: string; name: string }>;
    /** The org's look: discovery has found the org. */
    look?: OrgLook | null;
  },
): string {
  return layout({
    text,
    title: text.t('chooser.title'),
    look: options.look,
    body: html`<h1>${text.t('chooser.title')}</h1>
      <p class="lead">${options.email}</p>
      <ul class="choices">
        ${options.connections.map(
          (c) =>
            html`<li>
              <form method="post" action="/login/start">
                <input type="hidden" name="connection" value="${c.id}" />
                <input type="hidden" name="return_to" value="${options.returnTo}" />
                <input type="hidden" name="login_hint" value="${options.email}" />
                <button type="submit" class="secondary wide">${c.name}</button>
              </form>
            </li>`,
        )}
      </ul>
      ${anotherEmail(text, options.returnTo)}`,
  });
}

/**
 * A hand-off page: the browser goes on to `url` by meta refresh (with a link, for anyone
 * whose browser does not follow it). A redirect in answer to a form POST would be checked
 * against CSP form-action 'self' and blocked; a meta refresh is a fresh navigation and
 * needs no script. No language switcher: the page moves on by itself.
 */
function handOffPage(
  text: PageText,
  url: string,
  words: { title: string; heading: string; lead: string },
) {
  return layout({
    text,
    switcher: false,
    title: words.title,
    head: html`<meta http-equiv="refresh" content="0; url=${url}" />`,
    body: html`<h1>${words.heading}</h1>
      <p class="lead">${words.lead}</p>
      <p><a class="button" href="${url}">${text.t('common.continue')}</a></p>`,
  });
}

/** After a sign-out form: on to the IdP's logout, or an app's post-logout page. */
export function continueSignOutPage(text: PageText, url: string): string {
  const { t } = text;
  return handOffPage(text, url, {
    title: t('handoff.signOutTitle'),
    heading: t('handoff.signOutHeading'),
    lead: t('handoff.signOutLead'),
  });
}

/** After a sign-in form: on to the company's IdP. */
export function continueToIdpPage(text: PageText, url: string): string {
  const { t } = text;
  return handOffPage(text, url, {
    title: t('handoff.idpTitle'),
    heading: t('handoff.idpHeading'),
    lead: t('handoff.idpLead'),
  });
}
