import type { RefreshRecord } from '../grant-store.js';
import { issueForSession, liveGrant, type TokenResponse } from '../issue-tokens.js';
import { oauthError } from '../oauth-errors.js';
import { required, single, type Params } from '../params.js';
import type { OAuthClient, SessionView, UserProfile } from '../ports.js';
import type { ProviderContext } from '../provider-context.js';
import { familyRevocations } from '../revoke.js';
import { runGrantChecks, type Grant, type GrantCheck } from './grant.js';

/** A refresh token's record and what its presentation asks for. */
export interface RefreshPresentation {
  record: RefreshRecord;
  client: OAuthClient;
  requestedScope: string[] | undefined;
}

/**
 * The token was issued to the client presenting it. Another client holding it means it
 * leaked: its family ends, durably (it does not come back with an old Redis snapshot).
 */
export const checkRefreshClient: GrantCheck<RefreshPresentation> = {
  name: 'checkRefreshClient',
  error: 'invalid_grant',
  spec: 'RFC 6749 §6, RFC 9700 §4.14.2',
  async check({ record, client }, ctx) {
    if (record.clientId === client.id) return null;
    await ctx.revocations.revoke(
      await familyRevocations(ctx, record, 'refresh_token_wrong_client'),
      null,
    );
    return 'The refresh token was issued to another client.';
  },
};

/** A narrower scope may be asked for, never a wider one. */
export const checkScopeNotWidened: GrantCheck<RefreshPresentation> = {
  name: 'checkScopeNotWidened',
  error: 'invalid_scope',
  spec: 'RFC 6749 §6',
  check: ({ record, requestedScope }) =>
    !requestedScope || requestedScope.every((s) => record.scope.includes(s))
      ? null
      : 'A refresh cannot widen the scope.',
};

/** In order; the first that refuses refuses the refresh, spending nothing. */
export const refreshTokenChecks: readonly GrantCheck<RefreshPresentation>[] = [
  checkRefreshClient,
  checkScopeNotWidened,
];

/** Tokens for a refresh: the grant's scope, or the narrower one asked for (RFC 6749 §6). */
function refreshed(
  ctx: ProviderContext,
  presented: RefreshPresentation,
  live: { session: SessionView; user: UserProfile },
  refresh:
    | { kind: 'rotate'; familyId: string; rotated: string }
    | { kind: 'again'; familyId: string; successor: string },
) {
  // The new refresh token's scope MUST be identical to that of the one presented; only
  // the access token is narrowed.
  const scope = presented.requestedScope ?? presented.record.scope;
  return issueForSession(ctx, presented.client, presented.record, live, {
    grantType: 'refresh_token',
    nonce: null,
    withIdToken: scope.includes('openid'),
    refresh,
    accessScope: scope,
  });
}

/**
 * RFC 9700 §4.14.2: a rotated refresh token presented again (after the grace window, or
 * by another client) means it leaked: end the session, and with it every token of the
 * grant.
 */
async function refreshReused(
  ctx: ProviderContext,
  client: OAuthClient,
  record: RefreshRecord,
): Promise<never> {
  await ctx.grants.revokeFamily(record.familyId ?? '');
  await ctx.sessions.end(record.orgId, record.sessionId, 'refresh_token_reuse');
  await ctx.onRefreshReuse?.(record);
  await ctx.audit({
    type: 'token.refresh_reuse_detected',
    orgId: record.orgId,
    actor: { type: 'client', id: client.id },
    target: { type: 'session', id: record.sessionId },
    outcome: 'failure',
    reason: 'refresh_token_reuse',
    data: {
      client_id: record.clientId,
      presented_by: client.id,
      user_id: record.userId,
      sid: record.sessionId,
    },
  });
  throw oauthError(
    'invalid_grant',
    'The refresh token was already used; the session has been ended.',
  );
}

/** How long a retry waits for a rotation still under way to keep its successor. */
const ROTATION_SETTLE_MS = 1000;
const SETTLE_POLL_MS = 20;

/**
 * The retry window of a rotated token, once the rotation that spent it has settled. A
 * retry can arrive while that rotation is still under way (its client hung up, or gave up
 * waiting, and the process goes on): the token is spent but its successor not yet kept
 * (or, on Redis Cluster, the family moved to it a moment before its seal landed). Deciding
 * then would issue a second successor beside the one the rotation is about to keep (the
 * family then moves to whichever lands last, and the client's next refresh with the other
 * is reuse, which ends the session), or take the family's move for reuse outright. So a
 * retry of a rotation begun less than ROTATION_SETTLE_MS ago waits for its successor that
 * long at most; a rotation that never kept one (its process died) is then retried as it was.
 */
async function settledRetryWindow(ctx: ProviderContext, token: string, familyId: string) {
  const deadline = performance.now() + ROTATION_SETTLE_MS;
  for (;;) {
    const retry = await ctx.grants.retryWindow(token, familyId);
    if (
      !retry ||
      retry.successor ||
      ctx.clock.nowMs() - retry.rotatedAtMs > ROTATION_SETTLE_MS ||
      performance.now() >= deadline
    )
      return retry;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/**
 * RFC 6749 §6 with rotation (RFC 9700 §4.14.2). The checks that can refuse and the reads
 * that can fail run before the token is spent. A rotated token presented again is
 * reuse, which ends the session, unless the same client presents it within the grace
 * window: then it is a retry of a request whose answer was lost (a process died, the
 * audit trail refused, the network dropped it), answered with the same successor.
 */
export const refreshTokenGrant: Grant = {
  spec: 'RFC 6749 §6, RFC 9700 §4.14.2',
  async exchange(
    ctx: ProviderContext,
    params: Params,
    client: OAuthClient,
  ): Promise<TokenResponse> {
    const token = required(params, 'refresh_token');
    const requestedScope = single(params, 'scope')?.split(' ').filter(Boolean);
    const presentationOf = (record: RefreshRecord) => ({ record, client, requestedScope });
    const peeked = await ctx.grants.peekRefresh(token);
    let live: { session: SessionView; user: UserProfile } | null = null;
    if (peeked) {
      await runGrantChecks(refreshTokenChecks, presentationOf(peeked), ctx);
      live = await liveGrant(ctx, peeked);
    }
    const redeemed = await ctx.grants.redeemRefresh(token, {
      expiresAtMs: peeked?.expiresAtMs,
      graceMs: ctx.graceMs,
    });
    if (redeemed.kind === 'unknown')
      throw oauthError('invalid_grant', 'The refresh token is invalid or expired.');
    const record = redeemed.record as RefreshRecord;
    if (redeemed.kind === 'reused') {
      const retry =
        record.clientId === client.id
          ? await settledRetryWindow(ctx, token, record.familyId)
          : null;
      if (retry && !retry.familyMovedOn && ctx.clock.nowMs() - retry.rotatedAtMs < ctx.graceMs) {
        // A retry in the grace window: new access (and ID) tokens, the same successor.
        await runGrantChecks(refreshTokenChecks, presentationOf(record), ctx);
        // The rotation died before it kept its successor: issue one now, the family's only.
        return refreshed(
          ctx,
          presentationOf(record),
          await liveGrant(ctx, record),
          retry.successor
            ? { kind: 'again', familyId: record.familyId, successor: retry.successor }
            : { kind: 'rotate', familyId: record.familyId, rotated: token },
        );
      }
      return refreshReused(ctx, client, record);
    }
    if (!peeked) {
      await runGrantChecks(refreshTokenChecks, presentationOf(record), ctx);
      live = await liveGrant(ctx, record);
    }
    return refreshed(ctx, presentationOf(record), live!, {
      kind: 'rotate',
      familyId: record.familyId,
      rotated: token,
    });
  },
};
