import type { CodeRecord } from '../grant-store.js';
import { issueForSession, liveGrant, type TokenResponse } from '../issue-tokens.js';
import { oauthError } from '../oauth-errors.js';
import { required, s256, VERIFIER, type Params } from '../params.js';
import type { OAuthClient } from '../ports.js';
import type { ProviderContext } from '../provider-context.js';
import { firstRefusal, type Grant, type GrantCheck } from './grant.js';

/** A code and what its redemption presents. */
export interface CodeExchange {
  record: CodeRecord;
  client: OAuthClient;
  redirectUri: string;
  verifier: string;
}

/** The code was issued to the client that redeems it. */
export const checkCodeClient: GrantCheck<CodeExchange> = {
  name: 'checkCodeClient',
  error: 'invalid_grant',
  spec: 'RFC 6749 §4.1.3',
  check: ({ record, client }) =>
    record.clientId === client.id ? null : 'The authorization code was issued to another client.',
};

/** redirect_uri is the one of the authorization request, exactly. */
export const checkCodeRedirectUri: GrantCheck<CodeExchange> = {
  name: 'checkCodeRedirectUri',
  error: 'invalid_grant',
  spec: 'RFC 6749 §4.1.3',
  check: ({ record, redirectUri }) =>
    record.redirectUri === redirectUri
      ? null
      : 'redirect_uri does not match the authorization request.',
};

/** The PKCE code_verifier is well formed and hashes (S256) to the request's challenge. */
export const checkPkceVerifier: GrantCheck<CodeExchange> = {
  name: 'checkPkceVerifier',
  error: 'invalid_grant',
  spec: 'RFC 7636 §4.6',
  check: ({ record, verifier }) =>
    VERIFIER.test(verifier) && s256(verifier) === record.codeChallenge
      ? null
      : 'The PKCE code_verifier does not match.',
};

/** In order; the first that refuses refuses the redemption. */
export const authorizationCodeChecks: readonly GrantCheck<CodeExchange>[] = [
  checkCodeClient,
  checkCodeRedirectUri,
  checkPkceVerifier,
];

/**
 * RFC 6749 §4.1.3: a code for tokens. Every check that can refuse, and every read that
 * can fail (the session, the user, the org), runs before the code is spent, so a refused
 * or failed request leaves it as it was; a failure after it was spent forgets the spend,
 * so the client's retry is refused as unknown, never taken for a replay.
 */
export const authorizationCodeGrant: Grant = {
  spec: 'RFC 6749 §4.1.3, RFC 7636',
  async exchange(
    ctx: ProviderContext,
    params: Params,
    client: OAuthClient,
  ): Promise<TokenResponse> {
    const code = required(params, 'code');
    const verifier = required(params, 'code_verifier');
    const redirectUri = required(params, 'redirect_uri');
    const refusalOf = (record: CodeRecord) =>
      firstRefusal(authorizationCodeChecks, { record, client, redirectUri, verifier }, ctx);
    const peeked = await ctx.grants.peekCode(code);
    const live = peeked && !(await refusalOf(peeked)) ? await liveGrant(ctx, peeked) : null;
    const redeemed = await ctx.grants.redeemCode(code);
    if (redeemed.kind === 'reused') {
      // RFC 6749 §4.1.2: a code used twice revokes what it issued: the session
      // its tokens stand on (every process and validator hears of it).
      if (redeemed.record.clientId === client.id) {
        await ctx.sessions.end(
          redeemed.record.orgId,
          redeemed.record.sessionId,
          'authorization_code_reuse',
        );
      }
      throw oauthError('invalid_grant', 'The authorization code was already used.');
    }
    if (redeemed.kind === 'unknown')
      throw oauthError('invalid_grant', 'The authorization code is invalid or expired.');
    const record = redeemed.record;
    // A refused redemption issued nothing, so a later one of the same code is no replay to
    // revoke for: anyone holding a leaked code (without the client's secret or the PKCE
    // verifier) could otherwise end the user's session.
    const refused = await refusalOf(record);
    if (refused) {
      await ctx.grants.forgetRedeemedCode(code);
      throw refused;
    }
    try {
      return await issueForSession(ctx, client, record, live ?? (await liveGrant(ctx, record)), {
        grantType: 'authorization_code',
        nonce: record.nonce,
        withIdToken: true,
        refresh: { kind: 'new' },
      });
    } catch (error) {
      await ctx.grants.forgetRedeemedCode(code).catch(() => undefined);
      throw error;
    }
  },
};
