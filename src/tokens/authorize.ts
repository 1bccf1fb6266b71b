import { AppError } from '../platform/errors.js';
import { runAuthorizeChecks, type AuthorizeRequest } from './authorize-checks.js';
import { OAuthError } from './oauth-errors.js';
import { withQuery, type Params } from './params.js';
import type { ProviderContext } from './provider-context.js';

export type AuthorizeOutcome =
  /** Back to the client: a code, or (with `refusal`) an OAuth error. */
  | { kind: 'redirect'; location: string; refusal?: OAuthError }
  | { kind: 'login'; returnTo: string; loginHint: string | null }
  /** The request cannot be trusted with a redirect: show the error to the user. */
  | { kind: 'error_page'; error: AppError };

/**
 * OIDC Core §3.1.2: the authorization endpoint. The checks (authorize-checks.ts) run in
 * order; then a code is issued for the session and the browser sent back with it.
 */
export async function authorize(
  ctx: ProviderContext,
  params: Params,
  sessionToken: string | null,
  selfUrl: string,
): Promise<AuthorizeOutcome> {
  const request: AuthorizeRequest = { params, sessionToken, selfUrl };
  const state: Parameters<typeof runAuthorizeChecks>[3] = {};
  try {
    await runAuthorizeChecks(request, ctx, undefined, state);
  } catch (error) {
    // Before the redirect URI is known good, nothing is redirected (RFC 9700 §4.11).
    if (state.redirectUri === undefined && error instanceof AppError)
      return { kind: 'error_page', error };
    if (state.redirectUri === undefined || !(error instanceof OAuthError)) throw error;
    return {
      kind: 'redirect',
      refusal: error,
      location: withQuery(state.redirectUri, {
        error: error.oauthCode,
        error_description: error.message,
        state: typeof params.state === 'string' ? params.state : undefined,
        iss: ctx.settings.issuer,
      }),
    };
  }
  if (state.login) return { kind: 'login', ...state.login };
  const { client, redirectUri, session } = state as Required<typeof state>;
  const code = await ctx.grants.issueCode({
    clientId: client.id,
    redirectUri,
    codeChallenge: state.challenge!,
    nonce: state.nonce ?? null,
    scope: state.scope!,
    audience: state.audience!,
    orgId: session.orgId,
    userId: session.userId,
    sessionId: session.id,
    authTime: session.authTime,
    amr: session.amr,
  });
  await ctx.rememberClient(
    session.id,
    client.id,
    Math.max(1, session.expiresAtMs - ctx.clock.nowMs()),
  );
  return {
    kind: 'redirect',
    location: withQuery(redirectUri, {
      code,
      state: typeof params.state === 'string' ? params.state : undefined,
      iss: ctx.settings.issuer,
    }),
  };
}
