import { profileClaims } from './issue-tokens.js';
import { bearerRefusal } from './oauth-errors.js';
import type { ProviderContext } from './provider-context.js';

const invalidToken = (detail: string) => bearerRefusal('invalid_token', detail);

/** OIDC Core §5.3: claims about the user a live access token stands for. */
export async function userinfo(
  ctx: ProviderContext,
  accessToken: string | null,
): Promise<Record<string, unknown>> {
  if (!accessToken) {
    throw bearerRefusal('missing', 'A bearer access token is required.');
  }
  const claims = await ctx.verifyOwnToken(accessToken, 'at+jwt');
  if (
    !claims ||
    typeof claims.sid !== 'string' ||
    typeof claims.org_id !== 'string' ||
    typeof claims.sub !== 'string'
  )
    throw invalidToken('Not an access token Latchkey issued for a user, or expired.');
  const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scope.includes('openid')) {
    throw bearerRefusal('insufficient_scope', 'The access token lacks the openid scope.', 'openid');
  }
  if (!(await ctx.sessions.get(claims.org_id, claims.sid)))
    throw invalidToken('The session behind the access token has ended.');
  if (typeof claims.jti === 'string' && (await ctx.isJtiRevoked(claims.jti)))
    throw invalidToken('The access token was revoked.');
  if (await ctx.isClientCutOff(claims))
    throw invalidToken('The access token was cut off with its client.');
  const user = await ctx.users.get(claims.org_id, claims.sub);
  if (!user?.active) throw invalidToken('The user is no longer active.');
  return { sub: user.id, org_id: user.orgId, roles: user.roles, ...profileClaims(user, scope) };
}
