import { html } from '../http/views/html.js';
import { page, signInPage, type SignInForm } from './oidc-idp-pages.js';

/**
 * The pages of the development SAML IdP, in the development OIDC IdP's look (same
 * stylesheet, same headers): plain forms, no script. The last page cannot post itself
 * without script, so it shows a visible Continue button that POSTs the SAMLResponse and
 * RelayState to the SP's ACS (the HTTP-POST binding, SAML Bindings §3.5).
 */

export function samlLoginPage(options: SignInForm & { pending: string; spName: string }): string {
  return signInPage({
    ...options,
    partyName: options.spName,
    action: '/saml/sso/login',
    hidden: html`<input type="hidden" name="pending" value="${options.pending}" />`,
  });
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
