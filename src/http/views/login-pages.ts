import { html } from './html.js';
import { emailInput, layout, type OrgLook } from './layout.js';

/** The first step: the work email that selects the organization and its sign-in. */
export function loginPage(options: {
  returnTo: string;
  email?: string;
  notice?: string | null;
  /** A neutral notice (not an error): announced politely. */
  info?: string | null;
}): string {
  return layout({
    title: 'Sign in',
    body: html`<h1>Sign in to your workspace</h1>
      <p class="lead">Use your work email. We'll send you to your company's sign-in.</p>
      ${
        options.notice
          ? html`<p class="notice error" role="alert" id="email-error">${options.notice}</p>`
          : ''
      }
      ${options.info ? html`<p class="notice" role="status">${options.info}</p>` : ''}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="return_to" value="${options.returnTo}" />
        <label for="email">Work email</label>
        ${options.notice ? emailInput(options.email ?? '', 'email-error', true) : emailInput(options.email ?? '')}
        <button type="submit">Continue</button>
      </form>`,
  });
}

/**
 * A sign-in link from another site names a connection: the person confirms here first
 * (a GET form from this origin starts it, at an active connection, as the link would have).
 */
export function confirmConnectionPage(options: {
  returnTo: string;
  email: string;
  connection: string;
}): string {
  return layout({
    title: 'Continue to sign in',
    body: html`<h1>Continue to sign in</h1>
      <p class="lead">
        A link from another site wants to start a
        sign-in${options.email ? html` (it suggests ${options.email})` : ''}. Continue only if you
        meant to sign in now, with your own work account.
      </p>
      <form method="get" action="/login" class="stack">
        <input type="hidden" name="connection" value="${options.connection}" />
        <input type="hidden" name="return_to" value="${options.returnTo}" />
        ${
          options.email
            ? html`<input type="hidden" name="login_hint" value="${options.email}" />`
            : ''
        }
        <button type="submit">Continue to your company sign-in</button>
      </form>
      <p>
        <a href="/login?return_to=${encodeURIComponent(options.returnTo)}">Use another email</a>
      </p>`,
  });
}

/**
 * An IdP-initiated (unsolicited) SAML sign-in reached a browser signed in as someone
 * else: nothing in this browser asked for it, so the person confirms the switch.
 */
export function confirmIdpInitiatedPage(options: {
  handle: string;
  email: string;
  current: string;
}): string {
  return layout({
    title: 'Switch account?',
    body: html`<h1>Switch account?</h1>
      <p class="lead">You are signed in as ${options.current}.</p>
      <p>
        A company sign-in you did not start here wants to sign this browser in as ${options.email}
        instead. Continue only if you meant to.
      </p>
      <form method="post" action="/login/saml/continue" class="stack">
        <input type="hidden" name="handle" value="${options.handle}" />
        <button type="submit">Continue as ${options.email}</button>
      </form>
      <p><a href="/account">Stay signed in as ${options.current}</a></p>`,
  });
}

/** Several active connections for one org: the employee picks theirs. */
export function chooserPage(options: {
  returnTo: string;
  email: string;
  connections: Array<{ id: string; name: string }>;
  /** The org's look: discovery has found the org. */
  look?: OrgLook | null;
}): string {
  return layout({
    title: 'Choose how to sign in',
    look: options.look,
    body: html`<h1>Choose how to sign in</h1>
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
      <p>
        <a href="/login?return_to=${encodeURIComponent(options.returnTo)}">Use another email</a>
      </p>`,
  });
}

/**
 * A hand-off page to the IdP. A redirect in answer to a form POST would be checked
 * against form-action 'self' and blocked; a meta refresh (with a link, for anyone whose
 * browser does not follow it) is a fresh navigation and needs no script.
 */
/**
 * A hand-off page after a sign-out form: the browser goes on to the IdP's logout (or an
 * app's post-logout page) by meta refresh, for the same CSP form-action reason.
 */
export function continueSignOutPage(url: string): string {
  return layout({
    title: 'Signing you out',
    head: html`<meta http-equiv="refresh" content="0; url=${url}" />`,
    body: html`<h1>Signing you out…</h1>
      <p class="lead">You're being signed out of your company's sign-in too.</p>
      <p><a class="button" href="${url}">Continue</a></p>`,
  });
}

export function continueToIdpPage(options: { url: string; name: string }): string {
  return layout({
    title: 'Continuing to sign in',
    head: html`<meta http-equiv="refresh" content="0; url=${options.url}" />`,
    body: html`<h1>Continuing to ${options.name}…</h1>
      <p class="lead">You're being sent to your company's sign-in page.</p>
      <p><a class="button" href="${options.url}">Continue</a></p>`,
  });
}
