import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { Browser } from '../support/saml-sp-fixture.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';
import { CONTEXT, PLATFORM, REDIRECT_URI } from '../support/oauth.js';

/**
 * A person with a live session is sent back to their IdP for a fresher sign-in (an app's
 * prompt=login: the same path as max_age and an acr step-up) and comes back: the new
 * session replaces the browser's old one, which ends at once (reason reauthenticated,
 * audited, its tokens dead), instead of living on in Redis until it expires. The person's
 * session in another browser is not touched; signing in as someone else (switching
 * accounts) ends nobody's session.
 */
describe('a sign-in replaces the same person’s session in that browser', () => {
  let t: LiveApp;
  let idp: FakeIdp;
  let orgId: string;
  let rp: oidc.Configuration;

  before(async () => {
    idp = await startFakeIdp();
    t = await startLiveApp();
    orgId = (await t.app.orgs.create({ slug: 'acme', name: 'Acme' }, PLATFORM, CONTEXT)).id;
    await verifiedDomain(t, orgId, 'acme.test');
    await activeOidcConnection(t, orgId, idp, { name: 'Acme IdP' });
    const { client, secret } = await t.app.clients.create(
      {
        name: 'Payouts',
        type: 'confidential',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
      },
      PLATFORM,
      CONTEXT,
    );
    rp = await oidc.discovery(
      new URL(t.issuer),
      client.id,
      { client_secret: secret! },
      oidc.ClientSecretBasic(secret!),
      { execute: [oidc.allowInsecureRequests] },
    );
  });

  after(async () => {
    await t.close();
    await idp.close();
  });

  /** Signs in at the fake IdP from `url` (a Latchkey page that sends the browser there). */
  async function signInFrom(browser: Browser, url: string, who: string) {
    idp.next({
      sub: `idp-${who}`,
      email: `${who}@acme.test`,
      email_verified: true,
      auth_time: Math.floor(Date.now() / 1000),
    });
    let res = await browser.get(url);
    if (new URL(res.headers.get('location')!, t.issuer).pathname === '/login')
      res = await browser.get(new URL(res.headers.get('location')!, t.issuer).toString());
    assert.equal(res.status, 303, await res.text());
    const back = await fetch(new URL(res.headers.get('location')!), { redirect: 'manual' });
    const done = await browser.get(back.headers.get('location')!);
    assert.equal(done.status, 303, await done.text());
    return new URL(done.headers.get('location')!, t.issuer);
  }

  const login = (browser: Browser, who: string) =>
    signInFrom(browser, `${t.issuer}/login?login_hint=${who}%40acme.test`, who);

  /** The app's code flow in this browser; `prompt` makes it a forced sign-in at the IdP. */
  async function authorize(browser: Browser, who: string, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      login_hint: `${who}@acme.test`,
      ...extra,
    });
    let callback: URL;
    if (extra.prompt) {
      // Sent to sign in again, back to the authorization request, then to the app.
      const back = await signInFrom(browser, url.toString(), who);
      assert.equal(back.pathname, '/oauth/authorize');
      const res = await browser.get(back.toString());
      callback = new URL(res.headers.get('location')!);
    } else {
      const res = await browser.get(url.toString());
      callback = new URL(res.headers.get('location')!);
    }
    assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
    return oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
  }

  const sessionOf = (browser: Browser) => t.app.sessions.validate(browser.jar.get('latchkey')!);
  const active = async (token: string) => (await oidc.tokenIntrospection(rp, token)).active;
  const endedAsReauthenticated = async (sessionId: string) =>
    (
      await t.app.db.query(
        `SELECT 1 FROM audit_events
         WHERE type = 'session.ended' AND reason = 'reauthenticated' AND target_id = $1`,
        [sessionId],
      )
    ).rows.length;

  it('when an app forces a fresh sign-in (prompt=login) and the same person comes back, then the old session ends (its tokens inactive, audited) and the new one lives; the person’s other browser keeps its session', async () => {
    const a = new Browser();
    const elsewhere = new Browser();
    await login(a, 'alice');
    await login(elsewhere, 'alice');
    const oldToken = a.jar.get('latchkey')!;
    const old = (await sessionOf(a))!;
    const other = (await sessionOf(elsewhere))!;
    const before = await authorize(a, 'alice');
    assert.equal(await active(before.access_token), true);

    const after = await authorize(a, 'alice', { prompt: 'login' });
    const fresh = (await sessionOf(a))!;
    assert.notEqual(fresh.id, old.id);
    assert.equal(after.claims()!.sid, fresh.id);
    assert.equal(await active(after.access_token), true);

    assert.equal(await t.app.sessions.validate(oldToken), null, 'the old session is gone');
    assert.equal(await t.app.sessions.get(orgId, old.id), null);
    assert.equal(await t.app.sessions.isRevoked(old.id), true);
    assert.equal(await active(before.access_token), false, 'its access token is inactive');
    assert.equal(await active(before.refresh_token!), false, 'its refresh token is inactive');
    assert.equal(await endedAsReauthenticated(old.id), 1);

    assert.equal((await sessionOf(elsewhere))?.id, other.id, 'the other browser is untouched');
    assert.equal(await endedAsReauthenticated(other.id), 0);
  });

  it('when someone else signs in in a browser with a session (switching accounts), then the first person’s session is not ended', async () => {
    const browser = new Browser();
    await login(browser, 'bob');
    const bobs = (await sessionOf(browser))!;
    await login(browser, 'carol');
    const carols = (await sessionOf(browser))!;
    assert.notEqual(carols.userId, bobs.userId);
    assert.equal((await t.app.sessions.get(orgId, bobs.id))?.id, bobs.id, 'bob’s session lives');
    assert.equal(await t.app.sessions.isRevoked(bobs.id), false);
    assert.equal(await endedAsReauthenticated(bobs.id), 0);
  });
});
