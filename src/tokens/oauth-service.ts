import { authorize, type AuthorizeOutcome } from './authorize.js';
import { endSession, type EndSessionOutcome } from './end-session.js';
import { introspect } from './introspect.js';
import type { TokenResponse } from './issue-tokens.js';
import type { Params } from './params.js';
import type { OAuthClient } from './ports.js';
import { createProviderContext, type ProviderDeps } from './provider-context.js';
import { revoke } from './revoke.js';
import { issueTokens } from './token.js';
import { authenticateResourceRequest } from './resource-bearer.js';
import { userinfo } from './userinfo.js';

export { s256, single, type Params } from './params.js';
export { REAUTHENTICATION_WINDOW_SECONDS } from './reauthentication-marker.js';
export type { TokenSettings } from './provider-context.js';
export type { AuthorizeOutcome } from './authorize.js';
export type { TokenResponse } from './issue-tokens.js';

export interface AuthenticatedClient {
  client: OAuthClient;
  /** How it authenticated: a public client only identifies itself. */
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/**
 * The OAuth 2 / OpenID Connect provider's logic, free of HTTP: one module per operation
 * (authorize.ts with authorize-checks.ts, token.ts with grants/, introspect.ts, revoke.ts,
 * userinfo.ts, end-session.ts), sharing one ProviderContext.
 */
export function createOAuthService(deps: ProviderDeps) {
  const ctx = createProviderContext(deps);
  return {
    /**
     * OIDC Core §3.1.2: the authorization endpoint. Until the client and redirect URI are
     * known good, errors are shown, never redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.11).
     */
    authorize: (
      params: Params,
      sessionToken: string | null,
      selfUrl: string,
    ): Promise<AuthorizeOutcome> => authorize(ctx, params, sessionToken, selfUrl),
    /** RFC 6749 §3.2: the token endpoint. The client is already authenticated. */
    token: (params: Params, { client }: AuthenticatedClient): Promise<TokenResponse> =>
      issueTokens(ctx, params, client),
    /** RFC 7662, for an authenticated confidential client: only about tokens it may see. */
    introspect: (
      params: Params,
      { client }: AuthenticatedClient,
    ): Promise<Record<string, unknown>> => introspect(ctx, params, client),
    /** RFC 7009. */
    revoke: (params: Params, { client }: AuthenticatedClient): Promise<void> =>
      revoke(ctx, params, client),
    /** A request to Latchkey's own resource servers: the calling client's id (resource-bearer.ts). */
    authenticateResourceRequest: (
      authorization: string | undefined,
      required: { audience: string; scope: string },
    ): Promise<{ clientId: string; expiresInMs: number }> =>
      authenticateResourceRequest(ctx, authorization, required),
    /** OIDC Core §5.3. */
    userinfo: (accessToken: string | null): Promise<Record<string, unknown>> =>
      userinfo(ctx, accessToken),
    /** OpenID Connect RP-Initiated Logout 1.0. */
    endSession: (
      params: Params,
      browserSessionToken: string | null = null,
    ): Promise<EndSessionOutcome> => endSession(ctx, params, browserSessionToken),
  };
}

export type OAuthService = ReturnType<typeof createOAuthService>;
