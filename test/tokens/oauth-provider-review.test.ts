/**
 * Gaps a spec-driven review of the OAuth 2 / OIDC provider found, each held here by the
 * test that failed before its fix: the login hand-off of a POSTed authorization request,
 * max_age=0, discovery's signing algorithms, and a refused code redemption.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';

describe('OAuth 2 / OIDC provider review: discovery with RS256 signing keys', () => {
  let f: OAuthFixture;
  before(async () => {
    f = await startOAuthFixture({ env: { LATCHKEY_KEYS_ALGORITHM: 'RS256' } });
  });
  after(async () => {
    await f.close();
  });

  it('when the keys are RS256, then discovery says so (OIDC Discovery §3) and a strict RP accepts the ID token', async () => {
    const { client, secret } = await f.registerClient();
    const rp = await f.relyingParty(client, secret);
    assert.deepEqual(rp.serverMetadata().id_token_signing_alg_values_supported, ['RS256']);
    const { token } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'RS256');
  });
});
