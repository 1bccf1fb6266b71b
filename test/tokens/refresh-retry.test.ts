import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as oidc from 'openid-client';
import { sha256Hex } from '../../src/platform/crypto/index.js';
import { createRefreshTokenFormat } from '../../src/tokens/refresh-token-format.js';
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
    assert.equal((await f.introspect(rp, next.access_token)).active, true);
  });

  it('when the retry arrives while the rotation is still under way, then both answers carry the one successor, which goes on working, and the session lives', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { tokens, session } = await signedIn();
      // The same token twice at once: one rotates it, the other is a retry that reads the
      // rotation before it has kept its successor.
      const [a, b] = await Promise.all([
        oidc.refreshTokenGrant(rp, tokens.refresh_token!),
        oidc.refreshTokenGrant(rp, tokens.refresh_token!),
      ]);
      assert.equal(a.refresh_token, b.refresh_token, `round ${round}: one successor`);
      assert.ok(await f.t.app.sessions.get(f.org.id, session.id), `round ${round}: it lives`);
      const next = await oidc.refreshTokenGrant(rp, a.refresh_token!);
      assert.equal((await f.introspect(rp, next.access_token)).active, true, `round ${round}`);
      // Both access tokens belong to the family: revoking it (RFC 7009 §2.1; not a logout)
      // revokes both, the retry's too.
      await oidc.tokenRevocation(rp, next.refresh_token!, { token_type_hint: 'refresh_token' });
      for (const access of [a.access_token, b.access_token])
        assert.deepEqual(await f.introspect(rp, access), { active: false }, `round ${round}`);
      assert.ok(await f.t.app.sessions.get(f.org.id, session.id), `round ${round}: not a logout`);
    }
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
    assert.equal((await f.introspect(rp, first.refresh_token!)).active, false);
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

  it('when a token is rotated, then its grant is kept for the grace window only, not as long as the session', async () => {
    const { tokens } = await signedIn();
    await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    const key = `${f.t.redis.keyPrefix}eph:rtu:{${sha256Hex(tokens.refresh_token!)}}`;
    const ttlMs = await f.t.redis.client.pttl(key);
    assert.ok(ttlMs > 0, `the grace-window copy exists (${ttlMs})`);
    assert.ok(ttlMs <= 30_000, `kept ${ttlMs} ms, the grace window is 30 s`);
  });

  it('when a retry narrows the scope, then the access token has the narrower scope and the same successor comes back', async () => {
    const { tokens } = await signedIn();
    const first = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    const retry = await oidc.refreshTokenGrant(rp, tokens.refresh_token!, { scope: 'openid' });
    assert.equal(retry.scope, 'openid');
    assert.equal(retry.refresh_token, first.refresh_token);
  });
});

/**
 * Reuse is told from the token's family once the grace window (1 s here) has passed and
 * Redis keeps nothing of the rotated token: only a token Latchkey minted (its MAC) of a
 * family that went on ends a session. Tokens of the earlier, opaque format still rotate.
 */
describe('refresh-token reuse after the grace window, told by the family', () => {
  const GRACE_SECONDS = 1;
  let f: OAuthFixture;
  let rp: oidc.Configuration;
  const eph = (key: string) => `${f.t.redis.keyPrefix}eph:${key}`;
  const afterGrace = () => sleep(GRACE_SECONDS * 1000 + 300);

  before(async () => {
    f = await startOAuthFixture({
      env: { LATCHKEY_TOKENS_REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS) },
    });
    const app = await f.registerClient();
    rp = await f.relyingParty(app.client, app.secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  const signedIn = async () => {
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    return { session, refreshToken: tokens.refresh_token! };
  };
  const sessionLives = async (sid: string) => (await f.t.app.sessions.get(f.org.id, sid)) !== null;
  const refreshFails = async (token: string) => {
    const failure = await oauthFailure(oidc.refreshTokenGrant(rp, token));
    assert.equal(failure.error, 'invalid_grant');
  };

  it('when a rotated token is replayed after the window, then the session ends although Redis keeps no marker of it', async () => {
    const { session, refreshToken } = await signedIn();
    const first = await oidc.refreshTokenGrant(rp, refreshToken);
    const second = await oidc.refreshTokenGrant(rp, first.refresh_token!);
    await afterGrace();
    f.syncClock();
    for (const key of ['rt', 'rtu', 'rtg', 'rts'])
      assert.equal(await f.t.redis.client.exists(eph(`${key}:{${sha256Hex(refreshToken)}}`)), 0);
    await refreshFails(refreshToken);
    assert.equal(await sessionLives(session.id), false, 'the session ended');
    await refreshFails(second.refresh_token!);
  });

  it('when a token has a real family id and generation but a forged MAC, then it is refused and nothing is ended', async () => {
    const { session, refreshToken } = await signedIn();
    const next = await oidc.refreshTokenGrant(rp, refreshToken);
    await afterGrace();
    f.syncClock();
    const body = refreshToken.slice(0, refreshToken.lastIndexOf('.') + 1);
    await refreshFails(`${body}${randomBytes(16).toString('base64url')}`);
    // The same family and generation, other random bits, a MAC under another key.
    const [family, generation] = refreshToken.slice('rt2_'.length).split('.');
    const other = createRefreshTokenFormat(randomBytes(32)).mint(family!, Number(generation));
    await refreshFails(other);
    assert.ok(await sessionLives(session.id), 'the session lives');
    assert.ok((await oidc.refreshTokenGrant(rp, next.refresh_token!)).refresh_token);
  });

  it("when a rotated token is given another family's id, then it is refused and neither session ends", async () => {
    const a = await signedIn();
    const b = await signedIn();
    await oidc.refreshTokenGrant(rp, a.refreshToken);
    const bNext = await oidc.refreshTokenGrant(rp, b.refreshToken);
    await afterGrace();
    f.syncClock();
    const familyOf = (token: string) => token.slice('rt2_'.length).split('.')[0]!;
    const spliced = a.refreshToken.replace(familyOf(a.refreshToken), familyOf(b.refreshToken));
    await refreshFails(spliced);
    assert.ok(await sessionLives(a.session.id), "the token's own session lives");
    assert.ok(await sessionLives(b.session.id), "the other family's session lives");
    assert.ok((await oidc.refreshTokenGrant(rp, bNext.refresh_token!)).refresh_token);
  });

  it('when a token of the earlier opaque format is presented, then it rotates, and its replay after the window still ends the session', async () => {
    const { session, refreshToken } = await signedIn();
    // The family as the earlier format left it: an `rt_` token, its grant, rtf; no state.
    const live = eph(`rt:{${sha256Hex(refreshToken)}}`);
    const { generation: _, ...record } = JSON.parse((await f.t.redis.client.get(live))!) as {
      familyId: string;
      generation?: number;
    };
    const old = `rt_${randomBytes(32).toString('base64url')}`;
    await f.t.redis.client.del(live, eph(`rtfs:${record.familyId}`));
    await f.t.redis.client.set(
      eph(`rt:{${sha256Hex(old)}}`),
      JSON.stringify(record),
      'PX',
      600_000,
    );
    await f.t.redis.client.set(eph(`rtf:${record.familyId}`), sha256Hex(old), 'PX', 600_000);

    const rotated = await oidc.refreshTokenGrant(rp, old);
    assert.match(rotated.refresh_token!, new RegExp(`^rt2_${record.familyId}\\.0\\.`));
    assert.equal(claimsOf(rotated.access_token).sid, session.id);
    await afterGrace();
    f.syncClock();
    await refreshFails(old);
    assert.equal(await sessionLives(session.id), false, 'its replay ended the session');
  });
});
