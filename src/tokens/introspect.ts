import { required, single, type Params } from './params.js';
import type { ProviderContext } from './provider-context.js';

/** A live refresh token's introspection response, or null. */
async function asRefreshToken(ctx: ProviderContext, token: string) {
  const record = await ctx.grants.peekRefresh(token);
  if (!record) return null;
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
async function asAccessToken(ctx: ProviderContext, token: string) {
  if (!token.includes('.')) return null;
  const claims = await ctx.verifyOwnToken(token, 'at+jwt');
  if (!claims) return null;
  // The two lookups are independent: asked together, they share one round trip.
  const { jti, sid } = claims;
  const orgId =
    typeof sid !== 'string'
      ? null
      : typeof claims.org_id === 'string'
        ? claims.org_id
        : ctx.sessions.orgOf(sid);
  const [revoked, live] = await Promise.all([
    typeof jti === 'string' ? ctx.isJtiRevoked(jti) : false,
    typeof sid !== 'string' ? true : orgId ? ctx.sessions.get(orgId, sid) : null,
  ]);
  if (revoked || !live) return null;
  return { active: true, token_type: 'Bearer', ...claims };
}

/**
 * RFC 7662. Anything that is not a live token of ours (bad signature, wrong typ,
 * expired, revoked, session ended) is just `{ active: false }`. The caller is an
 * authenticated confidential client.
 */
export async function introspect(
  ctx: ProviderContext,
  params: Params,
): Promise<Record<string, unknown>> {
  const token = required(params, 'token');
  const hint = single(params, 'token_type_hint');
  const order =
    hint === 'refresh_token' ? [asRefreshToken, asAccessToken] : [asAccessToken, asRefreshToken];
  for (const attempt of order) {
    const result = await attempt(ctx, token);
    if (result) return result;
  }
  return { active: false };
}
