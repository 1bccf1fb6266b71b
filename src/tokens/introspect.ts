import { required, single, type Params } from './params.js';
import type { OAuthClient } from './ports.js';
import type { ProviderContext } from './provider-context.js';

/**
 * RFC 7662 §2.2 and §4: whether the caller may learn about this access token. Only the
 * client it was issued to, or a resource server it was issued for (one of the token's
 * `aud` values is among the caller's registered audiences); to anyone else it is as good
 * as unknown, lest a client read the claims of tokens not meant for it.
 */
function isAccessTokenVisibleTo(claims: Record<string, unknown>, caller: OAuthClient): boolean {
  if (claims.client_id === caller.id) return true;
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  return (
    Array.isArray(audiences) &&
    audiences.some((aud) => typeof aud === 'string' && caller.allowedAudiences.includes(aud))
  );
}

/** A live refresh token's introspection response, or null. Only its own client may see it. */
async function asRefreshToken(ctx: ProviderContext, token: string, caller: OAuthClient) {
  const record = await ctx.grants.peekRefresh(token);
  // RFC 7662 §4: a refresh token is no one's business but its client's.
  if (!record || record.clientId !== caller.id) return null;
  const session = await ctx.sessions.get(record.orgId, record.sessionId);
  if (!session) return null;
  return {
    active: true,
    token_type: 'refresh_token',
    client_id: record.clientId,
    sub: record.userId,
    scope: record.scope.join(' '),
    org_id: record.orgId,
    sid: record.sessionId,
    iss: ctx.settings.issuer,
  };
}

/** A live access token's introspection response (its claims), or null. */
async function asAccessToken(ctx: ProviderContext, token: string, caller: OAuthClient) {
  if (!token.includes('.')) return null;
  const claims = await ctx.verifyOwnToken(token, 'at+jwt');
  if (!claims || !isAccessTokenVisibleTo(claims, caller)) return null;
  // The lookups are independent: asked together, they share one round trip.
  const { jti, sid } = claims;
  const orgId =
    typeof sid !== 'string'
      ? null
      : typeof claims.org_id === 'string'
        ? claims.org_id
        : ctx.sessions.orgOf(sid);
  const [revoked, cutOff, live] = await Promise.all([
    typeof jti === 'string' ? ctx.isJtiRevoked(jti) : false,
    ctx.isClientCutOff(claims),
    typeof sid !== 'string' ? true : orgId ? ctx.sessions.get(orgId, sid) : null,
  ]);
  if (revoked || cutOff || !live) return null;
  return { active: true, token_type: 'Bearer', ...claims };
}

/**
 * RFC 7662. Anything that is not a live token of ours (bad signature, wrong typ,
 * expired, revoked, session ended) is just `{ active: false }`, and so is a live token
 * the caller may not see (§2.2, §4): an access token not issued to it nor for one of its
 * audiences, a refresh token of another client. The caller is an authenticated
 * confidential client.
 */
export async function introspect(
  ctx: ProviderContext,
  params: Params,
  caller: OAuthClient,
): Promise<Record<string, unknown>> {
  const token = required(params, 'token');
  const hint = single(params, 'token_type_hint');
  const order =
    hint === 'refresh_token' ? [asRefreshToken, asAccessToken] : [asAccessToken, asRefreshToken];
  for (const attempt of order) {
    const result = await attempt(ctx, token, caller);
    if (result) return result;
  }
  return { active: false };
}
