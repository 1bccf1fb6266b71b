import { Html, html } from '../http/views/html.js';
import { emailInput, layout } from '../http/views/layout.js';

/**
 * The pages of the development OpenID Provider: sign-in, errors and RP-initiated logout.
 * Plain forms, no script, one stylesheet served by the IdP itself (the CSP below allows
 * nothing inline). Its look is deliberately not Latchkey's: it stands in for a customer's
 * own identity provider, a different site.
 */

export const IDP_STYLESHEET_PATH = '/assets/demo-idp.css';

export const IDP_STYLESHEET = `
:root { color-scheme: light; --ink: #23201c; --muted: #6b645a; --line: #e2ddd3; --accent: #b3471d; --bg: #faf7f2; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 Georgia, "Iowan Old Style", serif; color: var(--ink); background: var(--bg); min-height: 100vh; display: flex; flex-direction: column; align-items: center; }
.brand { margin: 48px 0 20px; font-weight: 700; font-size: 20px; }
.brand-mark { color: var(--accent); }
.card { width: min(400px, calc(100vw - 32px)); background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 28px; }
h1 { font-size: 22px; margin: 0 0 8px; }
.lead { color: var(--muted); margin: 0 0 20px; }
label { display: block; font-weight: 700; margin: 14px 0 6px; }
input[type=email], input[type=password] { width: 100%; padding: 9px 11px; border: 1px solid var(--line); border-radius: 4px; font: inherit; }
input:focus-visible, button:focus-visible { outline: 3px solid rgba(179,71,29,.35); outline-offset: 1px; }
button { padding: 9px 16px; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; font: inherit; font-weight: 700; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
.actions { display: flex; gap: 12px; margin-top: 20px; }
.error { background: #fdeeee; border: 1px solid #f0c2c2; color: #8a1f1f; padding: 8px 12px; border-radius: 4px; margin: 0 0 12px; }
.hint { font-size: 14px; color: var(--muted); margin-top: 24px; }
.hint ul { margin: 6px 0 0; padding-left: 20px; }
code { font-size: 13px; }
.footer { margin: 24px 0; font-size: 13px; color: var(--muted); }
`;

/** Headers of every HTML page the IdP renders. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export function page(idpName: string, title: string, body: Html): string {
  return layout({
    title,
    body,
    branding: {
      name: idpName,
      mark: '▲',
      stylesheet: IDP_STYLESHEET_PATH,
      footer: 'Development identity provider: not for real accounts',
    },
  });
}

/**
 * The demo IdPs' sign-in form (OIDC and SAML alike): email and any password, the error
 * if the last try failed, the demo accounts, and whatever the protocol adds (hidden
 * fields, a Cancel button).
 */
/** What every demo sign-in form shows, whichever protocol asked for it. */
export interface SignInForm {
  idpName: string;
  email: string;
  error: string | null;
  demoEmails: string[];
}

export function signInPage(
  options: SignInForm & {
    partyName: string;
    action: string;
    hidden?: Html;
    extraActions?: Html;
  },
): string {
  const { error } = options;
  return page(
    options.idpName,
    'Sign in',
    html`<h1>Sign in</h1>
      <p class="lead">to continue to ${options.partyName}</p>
      ${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : null}
      <form method="post" action="${options.action}">
        ${options.hidden ?? null}
        <label for="email">Email</label>
        ${emailInput(options.email, error ? 'login-error' : undefined)}
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
          ${options.extraActions ?? null}
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

export function loginPage(options: SignInForm & { uid: string; clientName: string }): string {
  return signInPage({
    ...options,
    partyName: options.clientName,
    action: `/interaction/${options.uid}/login`,
    extraActions: html`<button
      type="submit"
      class="secondary"
      formaction="/interaction/${options.uid}/abort"
      formnovalidate
    >
      Cancel
    </button>`,
  });
}

/** The one-time code every demo account accepts at the second step (documented in README). */
export const DEMO_ONE_TIME_CODE = '123456';

/**
 * The second step of either development IdP: a one-time code, after the password (MFA was
 * asked, or the account needs it), posted to `action` with the `hidden` fields; `cancelAction`
 * adds a Cancel button that posts there.
 */
export function oneTimeCodePage(options: {
  idpName: string;
  action: string;
  hidden?: Html;
  cancelAction?: string;
  error: string | null;
}): string {
  const { error } = options;
  return page(
    options.idpName,
    'Enter your code',
    html`<h1>Enter your one-time code</h1>
      <p class="lead">A second step is needed to continue.</p>
      ${error ? html`<p class="error" role="alert" id="code-error">${error}</p>` : null}
      <form method="post" action="${options.action}">
        ${options.hidden ?? null}
        <label for="code">One-time code</label>
        <input
          id="code"
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          required
        />
        <div class="actions">
          <button type="submit">Continue</button>
          ${
            options.cancelAction
              ? html`<button
                  type="submit"
                  class="secondary"
                  formaction="${options.cancelAction}"
                  formnovalidate
                >
                  Cancel
                </button>`
              : null
          }
        </div>
      </form>
      <div class="hint">Demo code: <code>${DEMO_ONE_TIME_CODE}</code></div>`,
  );
}

export function errorPage(idpName: string, heading: string, details: string[]): string {
  return page(
    idpName,
    heading,
    html`<h1>${heading}</h1>
      ${details.map((line) => html`<p class="lead">${line}</p>`)}`,
  );
}

/** RP-initiated logout: `form` is oidc-provider's own (hidden xsrf field, id op.logoutForm). */
export function logoutPage(idpName: string, form: string): string {
  return page(
    idpName,
    'Sign out',
    html`<h1>Sign out of ${idpName}?</h1>
      ${rawHtml(form)}
      <div class="actions">
        <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>
          Yes, sign me out
        </button>
        <button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>
      </div>`,
  );
}

export function signedOutPage(idpName: string): string {
  return page(
    idpName,
    'Signed out',
    html`<h1>You are signed out</h1>
      <p class="lead">Your ${idpName} session has ended.</p>`,
  );
}

/** Markup produced by oidc-provider itself (trusted), passed through unescaped. */
const rawHtml = (markup: string) => new Html(markup);
