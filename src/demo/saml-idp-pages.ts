import { html, type Html } from '../http/views/html.js';
import { page, signInPage, type SignInForm } from './oidc-idp-pages.js';

/**
 * The pages of the development SAML IdP, in the development OIDC IdP's look (same
 * stylesheet, same headers): plain forms, no script. The last page cannot post itself
 * without script, so it shows a visible Continue button that POSTs the SAMLResponse and
 * RelayState to the SP's ACS (the HTTP-POST binding, SAML Bindings §3.5).
 */

/**
 * The sign-in form. `secondStep`: `offered` adds a button to sign in with a one-time code
 * too; `required` says one will be asked (the application asked for it).
 */
export function samlLoginPage(
  options: SignInForm & {
    pending: string;
    spName: string;
    secondStep: 'none' | 'offered' | 'required';
  },
): string {
  return signInPage({
    ...options,
    partyName: options.spName,
    action: '/saml/sso/login',
    hidden: html`<input type="hidden" name="pending" value="${options.pending}" /> ${
        options.secondStep === 'required'
          ? html`<p class="lead">
              This application asks for a second step: a one-time code will be asked after your
              password.
            </p>`
          : null
      }`,
    extraActions:
      options.secondStep === 'offered'
        ? html`<button type="submit" class="secondary" name="second_step" value="code">
            Use a one-time code
          </button>`
        : undefined,
  });
}

/** The HTTP-POST binding without script: the user presses Continue. */
export function samlPostPage(options: {
  idpName: string;
  heading: string;
  lead: string;
  acsUrl: string;
  samlResponse: string;
  relayState: string | null;
}): string {
  return page(
    options.idpName,
    'Continue',
    html`<h1>${options.heading}</h1>
      <p class="lead">${options.lead}</p>
      ${postForm(options)}`,
  );
}

const postForm = (options: {
  acsUrl: string;
  samlResponse: string;
  relayState: string | null;
}): Html =>
  html`<form method="post" action="${options.acsUrl}">
    <input type="hidden" name="SAMLResponse" value="${options.samlResponse}" />
    ${
      options.relayState !== null
        ? html`<input type="hidden" name="RelayState" value="${options.relayState}" />`
        : null
    }
    <div class="actions">
      <button type="submit" autofocus>Continue</button>
    </div>
  </form>`;
