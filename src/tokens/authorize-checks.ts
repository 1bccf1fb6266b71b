import { AppError } from '../platform/errors.js';
import { acrSatisfies, requestedAcr } from './acr-request.js';
import { oauthError } from './oauth-errors.js';
import { CHALLENGE, required, single, type Params } from './params.js';
import type { OAuthClient, SessionView } from './ports.js';
import type { ProviderContext } from './provider-context.js';
import { grantedAudience, grantedScope } from './scope.js';

/** An authorization request as it arrives (OIDC Core §3.1.2.1). */
export interface AuthorizeRequest {
  params: Params;
  /** The browser's Latchkey session token (cookie), if any. */
  sessionToken: string | null;
  /** This request's own URL: where a sign-in sends the browser back to. */
  selfUrl: string;
}

/** What the checks established so far, for the checks after them and the code they issue. */
export interface AuthorizeState {
  client?: OAuthClient;
  /** Set once the redirect URI is known good: from then on, refusals are redirected. */
  redirectUri?: string;
  challenge?: string;
  scope?: string[];
  audience?: string[];
  nonce?: string | null;
  prompt?: string[];
  maxAge?: string;
  /** The level of assurance the sign-in must prove (acr-request.ts), or null. */
  acr?: string | null;
  loginHint?: string | null;
  session?: SessionView;
  /** Set when the user must sign in first: the chain ends and the browser goes to log in. */
  login?: { returnTo: string; loginHint: string | null };
}

/** One check: refuses by throwing (an OAuthError, or an AppError shown as a page). */
export type AuthorizeCheck = (
  request: AuthorizeRequest,
  state: AuthorizeState,
  ctx: ProviderContext,
) => void | Promise<void>;

/** The client is known and active. Refuses: invalid_client (a page), invalid_request. */
export async function checkClient(
  { params }: AuthorizeRequest,
  state: AuthorizeState,
  ctx: ProviderContext,
) {
  // RFC 6749 §4.1.2.1: until the client is known, nothing is redirected. Both parameters
  // that decide where a redirect may go must be given once.
  const clientId = single(params, 'client_id');
  single(params, 'redirect_uri');
  const client = clientId ? await ctx.clients.get(clientId) : null;
  if (!client?.active) {
    throw new AppError('invalid_client', 'This application is not registered with Latchkey.', {
      status: 400,
    });
  }
  state.client = client;
}

/**
 * redirect_uri is one the client registered, by exact string match (RFC 9700 §4.1.3).
 * Refuses: invalid_redirect_uri (a page, never a redirect: RFC 6749 §4.1.2.1), invalid_request.
 */
export function checkRedirectUri({ params }: AuthorizeRequest, state: AuthorizeState) {
  const redirectUri = single(params, 'redirect_uri');
  if (!redirectUri || !state.client!.redirectUris.includes(redirectUri)) {
    throw new AppError(
      'invalid_redirect_uri',
      'The application sent you to an address it has not registered.',
      { status: 400 },
    );
  }
  state.redirectUri = redirectUri;
}

/** No parameter is given twice, state included (RFC 6749 §3.1). Refuses: invalid_request. */
export function checkState({ params }: AuthorizeRequest) {
  single(params, 'state');
}

/** The code flow only (RFC 9700 §2.1.2). Refuses: invalid_request, unsupported_response_type. */
export function checkResponseType({ params }: AuthorizeRequest) {
  if (required(params, 'response_type') !== 'code')
    throw oauthError('unsupported_response_type', 'Only response_type=code is supported.');
}

/**
 * No request objects, by value or by reference (OIDC Core §6).
 * Refuses: request_not_supported, request_uri_not_supported.
 */
export function checkRequestObject({ params }: AuthorizeRequest) {
  if (params.request !== undefined)
    throw oauthError('request_not_supported', 'Request objects are not supported.');
  if (params.request_uri !== undefined)
    throw oauthError('request_uri_not_supported', 'request_uri is not supported.');
}

/** Responses go in the query (OAuth 2.0 Multiple Response Types §2.1). Refuses: invalid_request. */
export function checkResponseMode({ params }: AuthorizeRequest) {
  const responseMode = single(params, 'response_mode');
  if (responseMode !== undefined && responseMode !== 'query')
    throw oauthError('invalid_request', 'Only response_mode=query is supported.');
}

/** The client registered the authorization code grant (RFC 6749 §4.1.2.1). Refuses: unauthorized_client. */
export function checkClientMayUseCode(_request: AuthorizeRequest, state: AuthorizeState) {
  if (!state.client!.grantTypes.includes('authorization_code'))
    throw oauthError('unauthorized_client', 'This client may not use the authorization code flow.');
}

/** PKCE with S256, for every client (RFC 9700 §2.1.1, RFC 7636 §4.3). Refuses: invalid_request. */
export function checkPkce({ params }: AuthorizeRequest, state: AuthorizeState) {
  const challenge = single(params, 'code_challenge');
  const method = single(params, 'code_challenge_method');
  if (!challenge || !CHALLENGE.test(challenge))
    throw oauthError('invalid_request', 'A PKCE code_challenge (S256) is required.');
  if (method !== 'S256') throw oauthError('invalid_request', 'code_challenge_method must be S256.');
  state.challenge = challenge;
}

/** The scope is well formed and within the client's (RFC 6749 §3.3). Refuses: invalid_scope. */
export function checkScope({ params }: AuthorizeRequest, state: AuthorizeState) {
  state.scope = grantedScope(single(params, 'scope'), state.client!);
}

/** The audience is one of the client's (RFC 8707 §2). Refuses: invalid_target, invalid_request. */
export function checkAudience({ params }: AuthorizeRequest, state: AuthorizeState) {
  state.audience = grantedAudience(
    single(params, 'resource') ?? single(params, 'audience'),
    state.client!,
  );
}

/** The nonce, if any, is given once (OIDC Core §3.1.2.1). Refuses: invalid_request. */
export function checkNonce({ params }: AuthorizeRequest, state: AuthorizeState) {
  state.nonce = single(params, 'nonce') ?? null;
}

/** prompt=none stands alone (OIDC Core §3.1.2.1). Refuses: invalid_request. */
export function checkPrompt({ params }: AuthorizeRequest, state: AuthorizeState) {
  const prompt = (single(params, 'prompt') ?? '').split(' ').filter(Boolean);
  if (prompt.includes('none') && prompt.length > 1)
    throw oauthError('invalid_request', 'prompt=none cannot be combined.');
  state.prompt = prompt;
}

/** max_age is a number of seconds (OIDC Core §3.1.2.1). Refuses: invalid_request. */
export function checkMaxAge({ params }: AuthorizeRequest, state: AuthorizeState) {
  const maxAge = single(params, 'max_age');
  if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge))
    throw oauthError('invalid_request', 'max_age must be a number of seconds.');
  if (maxAge !== undefined) state.maxAge = maxAge;
}

/**
 * The acr the sign-in must prove: an essential acr claim, acr_values, or the client's
 * default_acr_values (acr-request.ts; OIDC Core §3.1.2.1, §5.5.1.1).
 * Refuses: invalid_request, unmet_authentication_requirements.
 */
export function checkAcr({ params }: AuthorizeRequest, state: AuthorizeState) {
  state.acr = requestedAcr(params, state.client!.defaultAcrValues ?? []);
}

/** login_hint, if any, is given once; it is passed on to the sign-in page. Refuses: invalid_request. */
export function checkLoginHint({ params }: AuthorizeRequest, state: AuthorizeState) {
  state.loginHint = single(params, 'login_hint') ?? null;
}

/**
 * A live session, fresh enough (OIDC Core §3.1.2.1 prompt, max_age), or the browser goes
 * to sign in (with a signed marker when the sign-in is forced). Once a forced sign-in has
 * happened, a session from after it is the re-authentication max_age asked for, however
 * long that sign-in took: measured against max_age again, max_age=0 (or a sign-in slower
 * than max_age) would send the browser back to log in forever.
 * Refuses: login_required (prompt=none), invalid_request.
 */
export async function checkSession(
  request: AuthorizeRequest,
  state: AuthorizeState,
  ctx: ProviderContext,
) {
  const { client, challenge, maxAge, prompt } = state as Required<AuthorizeState>;
  const now = ctx.now();
  const authAfter = ctx.reauthentication.readAfter(
    single(request.params, 'lk_auth_after'),
    client.id,
    challenge,
  );
  const session = request.sessionToken ? await ctx.sessions.fromToken(request.sessionToken) : null;
  const tooOld =
    session !== null &&
    (authAfter !== null
      ? session.authTime < authAfter
      : maxAge !== undefined && now - session.authTime > Number(maxAge));
  // A session that proved less than the acr asked is stepped up: the person signs in at
  // their IdP again, asked for the stronger level (the sign-in fails if it is not proven,
  // so this never loops), and is not signed out meanwhile.
  const weaker = session !== null && !acrSatisfies(session.acr, state.acr);
  if (session !== null && !tooOld && !weaker && (authAfter !== null || !prompt.includes('login'))) {
    state.session = session;
    return;
  }
  if (prompt.includes('none')) throw oauthError('login_required', 'The user is not signed in.');
  const back = new URL(request.selfUrl);
  if (prompt.includes('login') || tooOld)
    back.searchParams.set('lk_auth_after', ctx.reauthentication.issue(now, client.id, challenge));
  // The level the sign-in is to ask the IdP for (federation reads it from its return target).
  if (state.acr) back.searchParams.set('lk_acr', state.acr);
  state.login = { returnTo: back.pathname + back.search, loginHint: state.loginHint ?? null };
}

/** The session's user and org are still active. Refuses: access_denied. */
export async function checkAccountActive(
  _request: AuthorizeRequest,
  state: AuthorizeState,
  ctx: ProviderContext,
) {
  const session = state.session!;
  const user = await ctx.users.get(session.orgId, session.userId);
  if (!user?.active || !(await ctx.users.orgActive(session.orgId)))
    throw oauthError('access_denied', 'This account is not active.');
}

/**
 * The authorization endpoint's checks, in order; the first that refuses refuses the
 * request. Until checkRedirectUri has passed, a refusal is shown to the user as a page,
 * never redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.11); after it, it is redirected to
 * the client with state and iss. checkSession may end the chain with a sign-in.
 */
export const authorizeChecks: readonly AuthorizeCheck[] = [
  checkClient, // invalid_client (page), invalid_request (page)
  checkRedirectUri, // invalid_redirect_uri (page), invalid_request (page)
  checkState, // invalid_request
  checkResponseType, // invalid_request, unsupported_response_type
  checkRequestObject, // request_not_supported, request_uri_not_supported
  checkResponseMode, // invalid_request
  checkClientMayUseCode, // unauthorized_client
  checkPkce, // invalid_request
  checkScope, // invalid_scope, invalid_request
  checkAudience, // invalid_target, invalid_request
  checkNonce, // invalid_request
  checkPrompt, // invalid_request
  checkMaxAge, // invalid_request
  checkAcr, // invalid_request, unmet_authentication_requirements
  checkLoginHint, // invalid_request
  checkSession, // login_required, invalid_request; or a sign-in
  checkAccountActive, // access_denied
];

/** Runs the checks in order until one throws, or one sends the browser to sign in. */
export async function runAuthorizeChecks(
  request: AuthorizeRequest,
  ctx: ProviderContext,
  checks: readonly AuthorizeCheck[] = authorizeChecks,
  state: AuthorizeState = {},
): Promise<AuthorizeState> {
  for (const check of checks) {
    await check(request, state, ctx);
    if (state.login) break;
  }
  return state;
}
