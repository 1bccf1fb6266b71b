import type { RequestContext } from '../audit/index.js';
import type { SessionService } from '../sessions/index.js';
import type { oauthRouter } from '../tokens/index.js';
import type { LoginService } from './login-service.js';

/** What the end-session endpoint (tokens/oauth.routes.ts) is given to sign a browser out. */
type EndBrowserSession = Parameters<typeof oauthRouter>[2]['endBrowserSession'];

/**
 * Signing a browser out of Latchkey and, where its session came from a SAML IdP that
 * takes part in Single Logout, out of that IdP too: Latchkey's session ends here, and the
 * browser is sent on to the IdP with a LogoutRequest (SAML 2.0 Profiles §4.4).
 */
export interface BrowserSignOut {
  /**
   * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's own
   * session (by its cookie's token) and the session the ID token hint names. Returns
   * where to send the browser first for its IdP's logout, which then sends it on to
   * `then`; else null.
   */
  endBrowserSession: EndBrowserSession;
  /**
   * Before the account page ends the browser's own session: where to send the browser so
   * its IdP signs it out too, or null. The session itself is left to the caller to end.
   */
  upstreamLogout: (
    orgId: string,
    sessionId: string,
    context: RequestContext,
  ) => Promise<string | null>;
}

export function createBrowserSignOut(deps: {
  sessions: Pick<SessionService, 'validate' | 'get' | 'end'>;
  login: Pick<LoginService, 'beginSamlLogout'>;
}): BrowserSignOut {
  const { sessions, login } = deps;
  return {
    async endBrowserSession(token, hint, then, context) {
      const current = token ? await sessions.validate(token) : null;
      // The IdP hears of the browser's own sign-out (its request is built before the
      // session, which names the IdP's subject and session index, is gone).
      const upstream = current ? await login.beginSamlLogout(current, then, context) : null;
      if (current) await sessions.end(current.orgId, current.id, 'logout', context);
      if (hint && hint.sessionId !== current?.id)
        await sessions.end(hint.orgId, hint.sessionId, 'logout', context);
      return upstream;
    },
    async upstreamLogout(orgId, sessionId, context) {
      const session = await sessions.get(orgId, sessionId);
      return session ? login.beginSamlLogout(session, null, context) : null;
    },
  };
}
