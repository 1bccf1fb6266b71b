import type { AssuranceLevel } from '../connections/index.js';
import { isAppError } from '../platform/errors.js';
import type { LoginAttempt, LoginProtocol } from './login-attempt.js';
import type { CompletedLogin } from './login-completion.js';

export interface StartedLogin {
  /** Where to send the browser (the IdP). */
  redirectUrl: string;
  /**
   * The value of the HttpOnly transaction cookie binding the login to this browser
   * (login-transaction.ts parseTransactionCookie).
   */
  transactionCookie: string;
}

/** What the person asked for when the login started. */
export interface LoginRequest {
  returnTo: string;
  /** The email to pre-fill at the IdP, where the protocol has a place for it (OIDC login_hint). */
  loginHint: string | null;
  /**
   * The level this sign-in must prove (assurance.ts): the org's policy, or a stronger one
   * an application asked for (step-up). The IdP is asked for it where the connection
   * names what to ask; set by the login service.
   */
  assurance?: AssuranceLevel | null;
  /**
   * A fresh authentication at the IdP is asked (OIDC max_age=0): the authorization
   * request this login returns to forces a sign-in (prompt=login, a too-old session).
   */
  reauthenticate?: boolean;
  /**
   * A test sign-in of the connection (connection-tests/): the login ends in the test's
   * report at `returnTo`, with no session; only a test may start at a draft connection.
   */
  test?: { id: string } | null;
}

/**
 * A way to sign in at an org's own IdP: OpenID Connect (oidc-login.ts) or SAML 2.0
 * (saml-login.ts), side by side. Each protocol begins the upstream request (keeping the
 * login transaction server-side, bound to the browser by the transaction cookie) and
 * completes the IdP's answer in the browser that began it, through its own ordered
 * checks (oidc/callback-checks.ts, saml/acs-checks.ts) into the shared completion
 * (login-completion.ts). Every failure goes through the flow's LoginAttempt. A begin
 * writes no audit row (anonymous traffic must not grow the audit trail): the login's
 * auth.login.started is audited with its outcome, once the IdP's answer found it.
 */
export interface UpstreamProtocol<Connection, Callback> {
  readonly protocol: LoginProtocol;
  /** Sends the browser to the IdP: the upstream request and the login transaction. */
  begin(
    connection: Connection,
    request: LoginRequest,
    attempt: LoginAttempt,
  ): Promise<StartedLogin>;
  /** The IdP's answer, in the browser that began the login: checked, then a new session. */
  complete(callback: Callback, attempt: LoginAttempt): Promise<CompletedLogin>;
}

/**
 * A begin's request to the IdP (the URL the browser is sent to): what `build` returns, or
 * the attempt fails with the error's own code (else `fallback`) and `message`.
 */
export async function upstreamRequest<T>(
  attempt: LoginAttempt,
  build: () => Promise<T>,
  failure: { fallback: string; message: string },
): Promise<T> {
  try {
    return await build();
  } catch (error) {
    const reason = isAppError(error) ? error.code : failure.fallback;
    return attempt.fail(reason, failure.message, error);
  }
}
