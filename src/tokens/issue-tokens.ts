import { randomUUID } from 'node:crypto';
import type { GrantRecord, IssuedAccessToken, RefreshRecord } from './grant-store.js';
import { signJwt } from './jwt.js';
import { oauthError } from './oauth-errors.js';
import type { OAuthClient, SessionView, UserProfile } from './ports.js';
import type { ProviderContext } from './provider-context.js';

/** RFC 6749 §5.1: the token endpoint's successful response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** RFC 9068: a signed JWT access token; for a user's grant it carries the session's claims. */
export async function issueAccessToken(
  ctx: ProviderContext,
  client: OAuthClient,
  grant: {
    sub: string;
    scope: string[];
    audience: string[];
    session?: SessionView;
    user?: UserProfile;
  },
) {
  // iat to the millisecond (a NumericDate may carry a fraction, RFC 7519 §2): revocations
  // that cut off "every token issued up to now" are then exact (docs/revocation-events.md).
  const iat = ctx.clock.nowMs() / 1000;
  const ttl = ctx.accessTtl(client);
  const jti = randomUUID();
  const token = await signJwt(ctx.keyRing, 'at+jwt', {
    iss: ctx.settings.issuer,
    sub: grant.sub,
    aud: grant.audience.length === 1 ? grant.audience[0]! : grant.audience,
    client_id: client.id,
    scope: grant.scope.join(' '),
    jti,
    iat,
    exp: Math.floor(iat) + ttl,
    ...(grant.session
      ? {
          org_id: grant.session.orgId,
          sid: grant.session.id,
          auth_time: grant.session.authTime,
          amr: grant.session.amr,
          ...(grant.session.acr !== null ? { acr: grant.session.acr } : {}),
          roles: grant.user?.roles ?? [],
        }
      : {}),
  });
  return { token, ttl, jti, expMs: (Math.floor(iat) + ttl) * 1000 };
}

/** OIDC Core §5.4: the claims the email and profile scopes stand for. */
export function profileClaims(user: UserProfile, scope: string[]) {
  const { email, email_verified, name } = user.standardClaims;
  return {
    ...(scope.includes('email') ? { email, email_verified } : {}),
    ...(scope.includes('profile') && name ? { name } : {}),
  };
}

/** OIDC Core §2: the ID token. */
async function issueIdToken(
  ctx: ProviderContext,
  client: OAuthClient,
  session: SessionView,
  user: UserProfile,
  scope: string[],
  nonce: string | null,
) {
  const iat = ctx.now();
  return signJwt(ctx.keyRing, 'JWT', {
    iss: ctx.settings.issuer,
    sub: user.id,
    aud: client.id,
    azp: client.id,
    iat,
    exp: iat + ctx.settings.idTokenTtlSeconds,
    auth_time: session.authTime,
    amr: session.amr,
    // OIDC Core §2: the level the authentication satisfied (docs/assurance.md).
    ...(session.acr !== null ? { acr: session.acr } : {}),
    sid: session.id,
    org_id: session.orgId,
    ...(nonce !== null ? { nonce } : {}),
    ...profileClaims(user, scope),
  });
}

/** The session and user behind a grant, both still live, or invalid_grant. */
export async function liveGrant(ctx: ProviderContext, record: GrantRecord) {
  const session = await ctx.sessions.get(record.orgId, record.sessionId);
  if (!session || session.userId !== record.userId)
    throw oauthError('invalid_grant', 'The session behind this grant has ended.');
  const user = await ctx.users.get(record.orgId, record.userId);
  if (!user?.active || !(await ctx.users.orgActive(record.orgId)))
    throw oauthError('invalid_grant', 'The user or org behind this grant is no longer active.');
  return { session, user };
}

export interface SessionIssueOptions {
  grantType: 'authorization_code' | 'refresh_token';
  nonce: string | null;
  withIdToken: boolean;
  /**
   * The refresh token to hand out: a new family's first (a code), the successor of a
   * rotated one, or the successor a rotation already issued (a retry in its grace window).
   */
  refresh:
    | { kind: 'new' }
    | { kind: 'rotate'; familyId: string; rotated: string }
    | { kind: 'again'; familyId: string; successor: string };
  /** A narrower scope for this access token (refresh, RFC 6749 §6); the grant keeps its own. */
  accessScope?: string[];
}

/** The refresh token of a response, if the client may have one and the session lasts. */
async function refreshTokenFor(
  ctx: ProviderContext,
  client: OAuthClient,
  record: GrantRecord,
  session: SessionView,
  refresh: SessionIssueOptions['refresh'],
  access: IssuedAccessToken,
): Promise<string | undefined> {
  const ttlMs = Math.min(
    ctx.settings.refreshTokenTtlSeconds * 1000,
    session.expiresAtMs - ctx.clock.nowMs(),
  );
  if (refresh.kind === 'again') {
    // A retry's access token joins the family's like any other: revoking it revokes them.
    if (ttlMs > 0) await ctx.grants.rememberFamilyAccess(refresh.familyId, access, ttlMs);
    return refresh.successor;
  }
  if (!client.grantTypes.includes('refresh_token')) return undefined;
  if (ttlMs <= 0) return undefined;
  const familyId = refresh.kind === 'rotate' ? refresh.familyId : randomUUID();
  // This access token joins the family's (revoking the family revokes them), with those
  // still alive that a record of the earlier layout carries.
  const now = ctx.clock.nowMs();
  const carried = ((record as RefreshRecord).accessTokens ?? []).filter((t) => t.expMs > now);
  // A rotation keeps the successor for the rotated token's grace window, with it.
  return ctx.grants.issueRefresh({ ...record, familyId }, ttlMs, {
    issued: [...carried, access],
    ...(refresh.kind === 'rotate' && {
      rotated: { token: refresh.rotated, graceMs: ctx.graceMs },
    }),
  });
}

/** Tokens for a user's session (a code or a refresh), with their audit events. */
export async function issueForSession(
  ctx: ProviderContext,
  client: OAuthClient,
  record: GrantRecord,
  live: { session: SessionView; user: UserProfile },
  options: SessionIssueOptions,
): Promise<TokenResponse> {
  const { session, user } = live;
  const scope = options.accessScope ?? record.scope;
  const access = await issueAccessToken(ctx, client, {
    sub: user.id,
    scope,
    audience: record.audience,
    session,
    user,
  });
  const response: TokenResponse = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.ttl,
    scope: scope.join(' '),
  };
  const refreshToken = await refreshTokenFor(ctx, client, record, session, options.refresh, {
    jti: access.jti,
    expMs: access.expMs,
  });
  if (refreshToken !== undefined) response.refresh_token = refreshToken;
  if (options.withIdToken && scope.includes('openid'))
    response.id_token = await issueIdToken(ctx, client, session, user, scope, options.nonce);
  const events: Array<Promise<void>> = [
    ctx.audit({
      type: 'token.issued',
      orgId: session.orgId,
      actor: { type: 'client', id: client.id },
      target: { type: 'session', id: session.id },
      data: {
        grant_type: options.grantType,
        client_id: client.id,
        sid: session.id,
        user_id: user.id,
        jti: access.jti,
        scope: response.scope,
        refresh_token_issued: response.refresh_token !== undefined,
        id_token_issued: response.id_token !== undefined,
      },
    }),
  ];
  if (options.grantType === 'refresh_token') {
    events.push(
      ctx.audit({
        type: 'session.refreshed',
        orgId: session.orgId,
        actor: { type: 'client', id: client.id },
        target: { type: 'session', id: session.id },
        data: { client_id: client.id, user_id: user.id, jti: access.jti },
      }),
    );
  }
  // Both join the same group commit.
  await Promise.all(events);
  return response;
}
