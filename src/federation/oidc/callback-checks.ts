import type { ConnectionForLogin, OidcConnection } from '../../connections/index.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { LoginTransaction } from '../login-transaction.js';
import type { UpstreamIdentity, UpstreamOidcConnection } from './oidc-upstream.js';

/**
 * The OIDC callback (the authorization code flow's redirect back from the org's IdP), as
 * an ordered list of small checks, like the SAML ACS (saml/acs-checks.ts). Each check
 * opens with what it enforces and its spec, refuses with its own reason code (the codes
 * the error page, the audit event auth.login.failed and the login metrics carry), and
 * may leave what it established in the state for the checks after it. What is local and
 * cheap comes first (the browser's transaction, the redirect URI), then the one call to
 * the IdP.
 */

export interface OidcCallback {
  /** The callback URL as the browser requested it (query: code, state, iss or error). */
  url: URL;
  /** The transaction cookie (its binding secret), or null when the browser sent none. */
  binding: string | null;
  /** The connection whose redirect URI this arrived on; null on the old shared one. */
  arrivedFor: string | null;
}

export type OidcLoginConnection = OidcConnection & { clientSecret: string };

/** A connection (with its client secret) as the relying party (oidc-upstream.ts) needs it. */
export function upstreamConnectionOf(connection: OidcLoginConnection): UpstreamOidcConnection {
  return {
    id: connection.id,
    version: connection.version,
    issuer: connection.settings.issuer,
    clientId: connection.settings.clientId,
    clientSecret: connection.clientSecret,
    scopes: connection.settings.scopes,
    tokenEndpointAuthMethod: connection.settings.tokenEndpointAuthMethod,
  };
}

export interface OidcCallbackContext {
  /** Takes the login transaction for a state, once, if it belongs to this browser. */
  takeTransaction(
    state: string,
    binding: string | null,
  ): Promise<{ ok: true; tx: LoginTransaction } | { ok: false; reason: 'missing' | 'foreign' }>;
  connectionForLogin(connectionId: string): Promise<ConnectionForLogin | null>;
  /** openid-client's code exchange and ID token validation (oidc-upstream.ts `complete`). */
  exchangeCode(
    connection: UpstreamOidcConnection,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<UpstreamIdentity>;
  /** The clock skew tolerated between Latchkey and the IdP (as for the ID token's exp and iat). */
  clockToleranceSeconds: number;
}

/** What the checks have established so far. */
export interface OidcCallbackState {
  state?: string;
  tx?: LoginTransaction;
  connection?: OidcLoginConnection;
  upstream?: UpstreamIdentity;
}

export type OidcCallbackCheck = (
  callback: OidcCallback,
  state: OidcCallbackState,
  ctx: OidcCallbackContext,
) => Promise<void>;

/** A refused callback, with the reason code of the check that refused it. */
export class OidcCallbackRefusal extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { status: 400, cause });
  }
}

const refuse = (code: string, message: string, cause?: unknown): never => {
  throw new OidcCallbackRefusal(code, message, cause);
};

const txOf = (state: OidcCallbackState): LoginTransaction =>
  state.tx ?? refuse('transaction_not_found', 'This sign-in has expired or was already used.');

/**
 * state_missing. The callback names the login it answers by its `state` (RFC 6749 §4.1.2,
 * OIDC Core §3.1.2.5): without it there is nothing to bind the answer to.
 */
export async function checkStatePresent(
  callback: OidcCallback,
  state: OidcCallbackState,
): Promise<void> {
  const value = callback.url.searchParams.get('state');
  if (!value) refuse('state_missing', 'This sign-in link is incomplete. Start again.');
  state.state = value!;
  return Promise.resolve();
}

/**
 * transaction_not_found, transaction_foreign_browser. The state names a login transaction
 * that exists and is taken once (a replayed callback finds none), and that was started in
 * this browser: its binding matches the HttpOnly transaction cookie (login CSRF, RFC 9700
 * §4.7; OIDC Core §3.1.2.7 "the Client MUST validate the response").
 */
export async function checkTransaction(
  callback: OidcCallback,
  state: OidcCallbackState,
  ctx: OidcCallbackContext,
): Promise<void> {
  const found = await ctx.takeTransaction(state.state!, callback.binding);
  if (!found.ok) {
    return found.reason === 'missing'
      ? refuse(
          'transaction_not_found',
          'This sign-in has expired or was already used. Start again.',
        )
      : refuse(
          'transaction_foreign_browser',
          'This sign-in was started in another browser. Start again here.',
        );
  }
  state.tx = found.tx;
}

/**
 * redirect_uri_mismatch. The answer came back on the redirect URI of the transaction's own
 * connection (each OIDC connection has its own; the shared one of earlier versions has
 * none): a provider that relays the browser to another provider gets that provider's
 * answer on the other connection's URI, never its code (mix-up, RFC 9700 §4.4.2, whether
 * or not the provider sends RFC 9207's `iss`).
 */
export async function checkRedirectUri(
  callback: OidcCallback,
  state: OidcCallbackState,
): Promise<void> {
  const tx = txOf(state);
  if (tx.protocol !== 'oidc' || tx.connectionId !== callback.arrivedFor) {
    refuse(
      'redirect_uri_mismatch',
      'This sign-in came back from another sign-in service than the one it started at. Start again.',
    );
  }
  return Promise.resolve();
}

/**
 * connection_unavailable. The transaction's connection still exists, is OIDC, has its
 * client secret and is not disabled (a draft being tried still completes).
 */
export async function checkConnection(
  _callback: OidcCallback,
  state: OidcCallbackState,
  ctx: OidcCallbackContext,
): Promise<void> {
  const connection = await ctx.connectionForLogin(txOf(state).connectionId);
  if (
    !connection ||
    connection.type !== 'oidc' ||
    !connection.clientSecret ||
    connection.status === 'disabled'
  ) {
    return refuse('connection_unavailable', 'This sign-in option is no longer available.');
  }
  state.connection = connection as OidcLoginConnection;
}

/**
 * The code exchange and the ID token, by openid-client in one call (oidc-upstream.ts):
 * - idp_<error> (idp_access_denied, …, idp_error): the IdP answered with an error
 *   (OIDC Core §3.1.2.6); idp_unreachable, idp_timeout: discovery or the token endpoint
 *   could not be reached;
 * - state_mismatch: the state differs from the transaction's (RFC 6749 §10.12);
 * - issuer_mismatch: RFC 9207's `iss` parameter, where the IdP advertises it, or the ID
 *   token's `iss` (OIDC Core §3.1.3.7 step 2) is not the connection's issuer;
 * - code_rejected: the token endpoint refused the code, among others when the PKCE
 *   verifier does not match its S256 challenge (RFC 7636 §4.6);
 * - id_token_missing, id_token_signature_invalid (always checked against the IdP's JWKS:
 *   §3.1.3.7 step 6), id_token_algorithm_invalid (step 7), id_token_unknown_key,
 *   audience_mismatch (aud and azp, steps 3-5), id_token_expired (exp and iat, steps 9-10),
 *   id_token_issued_in_future (iat beyond the clock tolerance, step 10),
 *   nonce_mismatch (step 11, the transaction's nonce), id_token_invalid (anything else).
 */
export async function checkCodeExchange(
  callback: OidcCallback,
  state: OidcCallbackState,
  ctx: OidcCallbackContext,
): Promise<void> {
  const tx = txOf(state);
  const connection = state.connection!;
  try {
    state.upstream = await ctx.exchangeCode(upstreamConnectionOf(connection), callback.url, {
      state: tx.state,
      nonce: tx.nonce ?? '',
      codeVerifier: tx.codeVerifier ?? '',
    });
  } catch (error) {
    const reason = isAppError(error) ? error.code : 'id_token_invalid';
    const message = reason.startsWith('idp_')
      ? 'Your company sign-in service did not complete the sign-in.'
      : 'Your company sign-in could not be verified.';
    refuse(reason, message, error);
  }
}

/**
 * id_token_auth_time_missing. When the authorization request asked `max_age` (a sign-in
 * Latchkey forces: prompt=login, a too-old session), the ID token must carry `auth_time`
 * (OIDC Core §3.1.2.1 max_age "MUST", §3.1.3.7 step 13): without it, nothing says the IdP
 * authenticated the person afresh rather than answering from its own old session.
 */
export async function checkAuthTime(
  _callback: OidcCallback,
  state: OidcCallbackState,
): Promise<void> {
  const asked = txOf(state).upstreamMaxAgeSeconds;
  const authTime = state.upstream?.claims.auth_time;
  if (asked !== undefined && asked !== null && typeof authTime !== 'number') {
    refuse('id_token_auth_time_missing', 'Your company sign-in could not be verified.');
  }
  return Promise.resolve();
}

/**
 * id_token_auth_time_too_old. When the authorization request asked `max_age`, the IdP's
 * sign-in (`auth_time`) is no older than max_age allows, give or take the clock tolerance
 * (OIDC Core §3.1.2.1 max_age, §3.1.3.7 step 13): an IdP that ignores max_age and answers
 * from its own old session proves no fresh sign-in. Measured from when the request was
 * sent (the transaction's start), not from the callback: the sign-in itself takes time,
 * and with max_age=0 nothing measured from the callback could pass.
 */
export async function checkAuthTimeFresh(
  _callback: OidcCallback,
  state: OidcCallbackState,
  ctx: OidcCallbackContext,
): Promise<void> {
  const tx = txOf(state);
  const asked = tx.upstreamMaxAgeSeconds;
  const authTime = state.upstream?.claims.auth_time;
  if (asked === undefined || asked === null || typeof authTime !== 'number') return;
  const sentAtSeconds = Math.floor(tx.startedAtMs / 1000);
  if (authTime < sentAtSeconds - asked - ctx.clockToleranceSeconds) {
    refuse('id_token_auth_time_too_old', 'Your company sign-in could not be verified.');
  }
  return Promise.resolve();
}

/** In order; the first that fails refuses the callback with its reason code. */
export const oidcCallbackChecks: readonly OidcCallbackCheck[] = [
  checkStatePresent, // state_missing
  checkTransaction, // transaction_not_found, transaction_foreign_browser
  checkRedirectUri, // redirect_uri_mismatch
  checkConnection, // connection_unavailable
  checkCodeExchange, // idp_*, state_mismatch, issuer_mismatch, code_rejected, audience_mismatch, nonce_mismatch, id_token_*
  checkAuthTime, // id_token_auth_time_missing
  checkAuthTimeFresh, // id_token_auth_time_too_old
];

/**
 * Runs the checks in order into `state` (which the caller keeps: a refusal after the
 * transaction was found is audited with its org and counted with its duration).
 */
export async function runOidcCallbackChecks(
  callback: OidcCallback,
  ctx: OidcCallbackContext,
  state: OidcCallbackState = {},
  checks: readonly OidcCallbackCheck[] = oidcCallbackChecks,
): Promise<Required<Pick<OidcCallbackState, 'tx' | 'connection' | 'upstream'>>> {
  for (const check of checks) await check(callback, state, ctx);
  return { tx: txOf(state), connection: state.connection!, upstream: state.upstream! };
}
