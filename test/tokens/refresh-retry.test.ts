import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { sha256Hex } from '../../src/platform/crypto/index.js';
import { claimsOf, oauthFailure, startOAuthFixture, type OAuthFixture } from '../support/oauth.js';

/**
 * RFC 9700 §4.14.2 with a grace window (tokens.refreshReuseGraceSeconds, 30 s by default):
 * a client whose refresh answer was lost (a process died, the network dropped it, the
 * audit trail refused it) retries with the token it still holds; that must not sign the
 * person out. A real replay still ends the session.
 */
describe('refresh-token retries within the grace window', () => {
  let f: OAuthFixture;
  let rp: oidc.Configuration;
  let other: oidc.Configuration;

  const signedIn = async () => {
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    return { session, tokens };
  };
  const raw = (path: string, form: Record<string, string>, client: [string, string]) =>
    f.post(path, form, client);
  let clientAuth: [string, string];

  before(async () => {
    f = await startOAuthFixture();
    const app = await f.registerClient();
    clientAuth = [app.client.id, app.secret!];
    rp = await f.relyingParty(app.client, app.secret);
    const second = await f.registerClient({ name: 'Another app' });
    other = await f.relyingParty(second.client, second.secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  it('when the same client presents a just-rotated token again, then it gets the same successor and the session lives', async () => {
    const { tokens, session } = await signedIn();
    const first = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    const retry = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    assert.equal(retry.refresh_token, first.refresh_token, 'the successor the rotation issued');
    assert.notEqual(claimsOf(retry.access_token).jti, claimsOf(first.access_token).jti);
    assert.equal(claimsOf(retry.access_token).sid, session.id);
    assert.ok(await f.t.app.sessions.get(f.org.id, session.id), 'the session lives');
    // The successor goes on working, and rotates as usual.
    const next = await oidc.refreshTokenGrant(rp, retry.refresh_token!);
    assert.ok(next.refresh_token);
    assert.equal((await f.introspect(next.access_token)).active, true);
  });

  it('when the retry comes after the grace window, then it is reuse: invalid_grant and the session ends', async () => {
    const { tokens, session } = await signedIn();
    const first = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    f.clock.advance(31_000);
    const res = await raw(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
      clientAuth,
    );
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
    assert.equal(await f.t.app.sessions.get(f.org.id, session.id), null, 'the session ended');
    f.syncClock();
    assert.equal((await f.introspect(first.refresh_token!)).active, false);
  });

  it('when the successor was already used, then presenting the rotated token is reuse, even within the window', async () => {
    const { tokens, session } = await signedIn();
    const first = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    await oidc.refreshTokenGrant(rp, first.refresh_token!);
    const reuse = await oauthFailure(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
    assert.equal(reuse.error, 'invalid_grant');
    assert.equal(await f.t.app.sessions.get(f.org.id, session.id), null, 'the session ended');
  });

  it('when another client presents a just-rotated token, then it is reuse and the session ends', async () => {
    const { tokens, session } = await signedIn();
    await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    const reuse = await oauthFailure(oidc.refreshTokenGrant(other, tokens.refresh_token!));
    assert.equal(reuse.error, 'invalid_grant');
    assert.equal(await f.t.app.sessions.get(f.org.id, session.id), null, 'the session ended');
  });

  it('when a token is rotated, then its reuse marker lives no longer than the token could have', async () => {
    const { tokens, session } = await signedIn();
    await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    const key = `${f.t.redis.keyPrefix}eph:rtu:{${sha256Hex(tokens.refresh_token!)}}`;
    const ttlMs = await f.t.redis.client.pttl(key);
    assert.ok(ttlMs > 0, `the marker exists (${ttlMs})`);
    const sessionLeftMs = session.absoluteExpiresAtMs - Date.now();
    assert.ok(
      ttlMs <= sessionLeftMs + 1000,
      `reuse marker kept ${ttlMs} ms, the session has ${sessionLeftMs} ms left`,
    );
  });

  it('when a retry narrows the scope, then the access token has the narrower scope and the same successor comes back', async () => {
    const { tokens } = await signedIn();
    const first = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    const retry = await oidc.refreshTokenGrant(rp, tokens.refresh_token!, { scope: 'openid' });
    assert.equal(retry.scope, 'openid');
    assert.equal(retry.refresh_token, first.refresh_token);
  });
});
