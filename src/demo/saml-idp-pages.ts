import { html } from '../http/views/html.js';
import { page } from './oidc-idp-pages.js';

/**
 * The pages of the development SAML IdP, in the development OIDC IdP's look (same
 * stylesheet, same headers): plain forms, no script. The last page cannot post itself
 * without script, so it shows a visible Continue button that POSTs the SAMLResponse and
 * RelayState to the SP's ACS (the HTTP-POST binding, SAML Bindings §3.5).
 */

export function samlLoginPage(options: {
  idpName: string;
  pending: string;
  spName: string;
  email: string;
  error: string | null;
  demoEmails: string[];
}): string {
  const { error } = options;
  return page(
    options.idpName,
    'Sign in',
    html`<h1>Sign in</h1>
      <p class="lead">to continue to ${options.spName}</p>
      ${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : null}
      <form method="post" action="/saml/sso/login">
        <input type="hidden" name="pending" value="${options.pending}" />
        <label for="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          autofocus
          value="${options.email}"
          ${error ? html`aria-describedby="login-error"` : null}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <div class="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
      <div class="hint">
        Demo accounts (any password):
        <ul>
          ${options.demoEmails.map((email) => html`<li><code>${email}</code></li>`)}
        </ul>
      </div>`,
  );
}

/** The HTTP-POST binding without script: the user presses Continue. */
export function samlPostPage(options: {
  idpName: string;
  name: string;
  acsUrl: string;
  samlResponse: string;
  relayState: string | null;
}): string {
  return page(
    options.idpName,
    'Continue',
    html`<h1>Signed in as ${options.name}</h1>
      <p class="lead">Continue to return to the application.</p>
      <form method="post" action="${options.acsUrl}">
        <input type="hidden" name="SAMLResponse" value="${options.samlResponse}" />
        ${
          options.relayState !== null
            ? html`<input type="hidden" name="RelayState" value="${options.relayState}" />`
            : null
        }
        <div class="actions">
          <button type="submit" autofocus>Continue</button>
        </div>
      </form>`,
  );
}
