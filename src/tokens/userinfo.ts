import { profileClaims } from './issue-tokens.js';
import { OAuthError } from './oauth-errors.js';
import type { ProviderContext } from './provider-context.js';

/** RFC 6750 §3.1: a token that is not a live access token of ours. */
const invalidToken = (detail: string) =>
  new OAuthError('invalid_token', {
    detail,
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

/** OIDC Core §5.3: claims about the user a live access token stands for. */
export async function userinfo(
  ctx: ProviderContext,
  accessToken: string | null,
): Promise<Record<string, unknown>> {
  if (!accessToken) {
    throw new OAuthError('invalid_request', {
      detail: 'A bearer access token is required.',
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="latchkey"' },
    });
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
    throw new OAuthError('insufficient_scope', {
      detail: 'The access token lacks the openid scope.',
      status: 403,
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="openid"' },
    });
  }
  if (!(await ctx.sessions.get(claims.org_id, claims.sid)))
    throw invalidToken('The session behind the access token has ended.');
  if (typeof claims.jti === 'string' && (await ctx.isJtiRevoked(claims.jti)))
    throw invalidToken('The access token was revoked.');
  const user = await ctx.users.get(claims.org_id, claims.sub);
  if (!user?.active) throw invalidToken('The user is no longer active.');
  return { sub: user.id, org_id: user.orgId, roles: user.roles, ...profileClaims(user, scope) };
}
