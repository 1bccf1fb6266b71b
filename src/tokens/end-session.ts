import { oauthError } from './oauth-errors.js';
import { single, withQuery, type Params } from './params.js';
import type { ProviderContext } from './provider-context.js';

export interface EndSessionOutcome {
  sessionHint: { orgId: string; sessionId: string } | null;
  /**
   * The browser is signed in to a session the id_token_hint does not name (or there is
   * no hint): the End-User must be asked before it ends (RP-Initiated Logout 1.0 §2).
   */
  mustAsk: boolean;
  redirect: string | null;
  clientId: string | null;
}

/**
 * OpenID Connect RP-Initiated Logout 1.0. Returns where to send the browser and which
 * session to end; the caller ends it (and clears the cookie).
 */
export async function endSession(
  ctx: ProviderContext,
  params: Params,
  browserSessionToken: string | null = null,
): Promise<EndSessionOutcome> {
  const hint = single(params, 'id_token_hint');
  const redirect = single(params, 'post_logout_redirect_uri');
  const state = single(params, 'state');
  let clientId = single(params, 'client_id') ?? null;
  let sessionHint: { orgId: string; sessionId: string } | null = null;
  if (hint) {
    // §2: the hint may have expired; it must still be an ID token Latchkey signed.
    const claims = await ctx.verifyOwnToken(hint, 'JWT', { allowExpired: true });
    if (!claims)
      throw oauthError('invalid_request', 'id_token_hint is not an ID token Latchkey issued.');
    const aud = typeof claims.aud === 'string' ? claims.aud : null;
    if (clientId && aud !== clientId)
      throw oauthError('invalid_request', 'client_id does not match id_token_hint.');
    clientId = aud;
    if (typeof claims.sid === 'string' && typeof claims.org_id === 'string') {
      sessionHint = { orgId: claims.org_id, sessionId: claims.sid };
    }
  }
  // RP-Initiated Logout 1.0 §2: the OP MUST ask the End-User whether to log out when no
  // id_token_hint was given or it does not belong to the browser's current session; a
  // hint naming some other session (anyone can hold an ID token of their own) must not
  // end the browser's session unasked (logout CSRF).
  const browser = browserSessionToken ? await ctx.sessions.fromToken(browserSessionToken) : null;
  const mustAsk = browser !== null && browser.id !== sessionHint?.sessionId;
  if (!redirect) return { sessionHint, mustAsk, redirect: null, clientId };
  // The redirect must be registered, exactly, by the client that is identified.
  const client = clientId ? await ctx.clients.get(clientId) : null;
  if (!client || !client.postLogoutRedirectUris.includes(redirect))
    throw oauthError(
      'invalid_request',
      'post_logout_redirect_uri is not registered for this client.',
    );
  return { sessionHint, mustAsk, redirect: withQuery(redirect, { state }), clientId };
}
