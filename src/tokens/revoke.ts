import type { JWTPayload } from 'jose';
import type { RefreshRecord } from './grant-store.js';
import { oauthError } from './oauth-errors.js';
import { required, type Params } from './params.js';
import type { OAuthClient, TokenRevocation } from './ports.js';
import type { ProviderContext } from './provider-context.js';

// RFC 7009 §2.1: only the client the token was issued to may revoke it; any other
// client's request is refused (and changes nothing).
const notYours = () =>
  oauthError('unauthorized_client', 'This token was not issued to this client.');

/**
 * A refresh-token family's revocation and its access tokens' that may still be alive
 * (RFC 7009 §2.1: revoking a refresh token should revoke the access tokens of its grant),
 * each kept until it expires with the tolerance validators allow.
 */
export async function familyRevocations(
  ctx: ProviderContext,
  record: RefreshRecord,
  reason: string,
): Promise<TokenRevocation[]> {
  const accessTokens = await ctx.grants.familyAccessTokens(record);
  const now = ctx.clock.nowMs();
  const common = {
    orgId: record.orgId,
    userId: record.userId,
    clientId: record.clientId,
    reason,
  };
  const toleranceMs = (ctx.settings.clockToleranceSeconds + 60) * 1000;
  return [
    {
      ...common,
      kind: 'refresh_family',
      subject: record.familyId,
      expiresAtMs: record.expiresAtMs ?? now + ctx.settings.refreshTokenTtlSeconds * 1000,
    },
    ...accessTokens
      .filter((issued) => issued.expMs > now)
      .map((issued) => ({
        ...common,
        kind: 'access_token' as const,
        subject: issued.jti,
        expiresAtMs: issued.expMs + toleranceMs,
      })),
  ];
}

/** Ends a refresh token's family and its access tokens, durably, with its audit event. */
async function revokeRefreshFamily(
  ctx: ProviderContext,
  client: OAuthClient,
  record: RefreshRecord,
) {
  if (record.clientId !== client.id) throw notYours();
  await ctx.revocations.revoke(await familyRevocations(ctx, record, 'revoked_by_client'), {
    type: 'token.revoked',
    orgId: record.orgId,
    actor: { type: 'client', id: client.id },
    target: { type: 'session', id: record.sessionId },
    data: {
      token_type: 'refresh_token',
      client_id: client.id,
      user_id: record.userId,
      sid: record.sessionId,
    },
  });
}

/** Revokes an access token's jti until it expires, durably, with its audit event. */
async function revokeAccessToken(ctx: ProviderContext, client: OAuthClient, claims: JWTPayload) {
  if (claims.client_id !== client.id) throw notYours();
  if (typeof claims.jti !== 'string' || typeof claims.exp !== 'number') return;
  const sid = typeof claims.sid === 'string' ? claims.sid : null;
  const orgId = typeof claims.org_id === 'string' ? claims.org_id : null;
  const userId = typeof claims.sub === 'string' && sid ? claims.sub : null;
  // Kept until the token expires, with the tolerance validators allow.
  const expiresAtMs = (claims.exp + ctx.settings.clockToleranceSeconds + 60) * 1000;
  await ctx.revocations.revoke(
    [
      {
        kind: 'access_token',
        subject: claims.jti,
        orgId,
        userId,
        clientId: client.id,
        reason: 'revoked_by_client',
        expiresAtMs,
      },
    ],
    {
      type: 'token.revoked',
      orgId,
      actor: { type: 'client', id: client.id },
      target: sid ? { type: 'session', id: sid } : { type: 'client', id: client.id },
      data: {
        token_type: 'access_token',
        client_id: client.id,
        jti: claims.jti,
        sid,
        ...(userId ? { user_id: userId } : {}),
      },
    },
  );
}

/** RFC 7009: revokes a refresh token's family, or an access token's jti until it expires. */
export async function revoke(
  ctx: ProviderContext,
  params: Params,
  client: OAuthClient,
): Promise<void> {
  const token = required(params, 'token');
  const record = await ctx.grants.peekRefresh(token);
  if (record) return revokeRefreshFamily(ctx, client, record);
  if (!token.includes('.')) return;
  const claims = await ctx.verifyOwnToken(token, 'at+jwt');
  if (claims) await revokeAccessToken(ctx, client, claims);
  // §2.2: invalid tokens do not cause an error response.
}
