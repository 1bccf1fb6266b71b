import { issueAccessToken, type TokenResponse } from '../issue-tokens.js';
import { single, type Params } from '../params.js';
import type { OAuthClient } from '../ports.js';
import type { ProviderContext } from '../provider-context.js';
import { grantedAudience, grantedScope } from '../scope.js';
import { runGrantChecks, type Grant, type GrantCheck } from './grant.js';

/** A confidential client proves who it is; a public one cannot act as itself. */
export const checkConfidentialClient: GrantCheck<OAuthClient> = {
  name: 'checkConfidentialClient',
  error: 'unauthorized_client',
  spec: 'RFC 6749 §4.4',
  check: (client) =>
    client.type === 'confidential' ? null : 'Only confidential clients may use client_credentials.',
};

/** In order; the first that refuses refuses the request. */
export const clientCredentialsChecks: readonly GrantCheck<OAuthClient>[] = [
  checkConfidentialClient,
];

/** RFC 6749 §4.4: a backend service acting as itself. No user, no session, no refresh token. */
export const clientCredentialsGrant: Grant = {
  spec: 'RFC 6749 §4.4',
  async exchange(
    ctx: ProviderContext,
    params: Params,
    client: OAuthClient,
  ): Promise<TokenResponse> {
    await runGrantChecks(clientCredentialsChecks, client, ctx);
    const requested = single(params, 'scope');
    const scope =
      requested === undefined
        ? []
        : grantedScope(requested, client).filter((s) => s !== 'openid' && s !== 'offline_access');
    const audience = grantedAudience(
      single(params, 'resource') ?? single(params, 'audience'),
      client,
    );
    const access = await issueAccessToken(ctx, client, { sub: client.id, scope, audience });
    // Nothing single-use was spent: the grant is refused (503) unless its event is
    // durable, unlike code and refresh grants (see onAuditError).
    // The client acts on its own behalf: it is both the event's actor and its target.
    const self = { type: 'client', id: client.id } as const;
    await ctx.audit({
      type: 'token.issued',
      orgId: null,
      actor: self,
      target: self,
      data: {
        grant_type: 'client_credentials',
        client_id: client.id,
        jti: access.jti,
        scope: scope.join(' '),
        audience,
      },
    });
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.ttl,
      scope: scope.join(' '),
    };
  },
};
