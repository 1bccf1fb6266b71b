/**
 * Gaps a spec-driven review of the OAuth 2 / OIDC provider found, each held here by the
 * test that failed before its fix: the login hand-off of a POSTed authorization request,
 * max_age=0, discovery's signing algorithms, and a refused code redemption.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { decodeProtectedHeader } from 'jose';
import { REDIRECT_URI, startOAuthFixture, type OAuthFixture } from '../support/oauth.js';

describe('OAuth 2 / OIDC provider review: authorization requests and code redemption', () => {
  let f: OAuthFixture;
  let client: Awaited<ReturnType<OAuthFixture['registerClient']>>['client'];
  let secret: string;
  let rp: oidc.Configuration;

  before(async () => {
    f = await startOAuthFixture();
    ({ client, secret } = (await f.registerClient()) as { client: typeof client; secret: string });
    rp = await f.relyingParty(client, secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  /** The path and query the login page is told to return to. */
  const returnTo = (res: Response) => {
    assert.equal(res.status, 303);
    const login = new URL(res.headers.get('location')!, f.t.issuer);
    assert.equal(login.pathname, '/login');
    return new URL(login.searchParams.get('return_to')!, f.t.issuer);
  };

  it('when the authorization request is a form POST (OIDC Core §3.1.2.1) without a session, then the login hands back the whole request and the code follows', async () => {
    const request = await f.authorizationRequest(rp);
    const res = await f.browse(`${f.t.issuer}/oauth/authorize`, null, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: request.url.searchParams.toString(),
    });
    const back = returnTo(res);
    assert.equal(back.pathname, '/oauth/authorize');
    for (const name of ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'scope'])
      assert.equal(back.searchParams.get(name), request.url.searchParams.get(name), name);

    const { token } = await f.openSession();
    const callback = await f.authorizeRedirect(back, token);
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    assert.ok(tokens.id_token);
  });

  it('when max_age=0 sends the user to sign in, then the fresh session is accepted even a few seconds later (no endless login loop)', async () => {
    const old = await f.openSession();
    f.clock.advance(5_000);
    const request = await f.authorizationRequest(rp, { max_age: '0' });
    const back = returnTo(await f.browse(request.url, old.token));

    const fresh = await f.openSession();
    f.clock.advance(2_000);
    const res = await f.browse(back, fresh.token);
    assert.equal(res.status, 303);
    const callback = new URL(res.headers.get('location')!, f.t.issuer);
    assert.equal(callback.origin + callback.pathname, REDIRECT_URI, 'back to the client');
    assert.ok(callback.searchParams.get('code'));

    // A session from before the forced sign-in still does not count.
    assert.equal(returnTo(await f.browse(back, old.token)).pathname, '/oauth/authorize');
  });

  it('when the forced sign-in marker (lk_auth_after) is forged, altered, stale or of another client, then prompt=login and max_age still send the browser to sign in', async () => {
    const session = await f.openSession();
    f.clock.advance(600_000);
    const other = (await f.registerClient()).client;
    // A genuine marker, as the forced sign-in puts it on the way back.
    const genuineBack = returnTo(
      await f.browse((await f.authorizationRequest(rp, { prompt: 'login' })).url, session.token),
    );
    const genuine = genuineBack.searchParams.get('lk_auth_after')!;
    assert.match(genuine, /^\d+\.[\w-]{43}$/);
    const [at, mac] = genuine.split('.') as [string, string];
    const forgeries = [
      '0',
      String(Math.floor(Date.now() / 1000) - 3600),
      `0.${mac}`,
      `${at}.${mac.slice(0, -2)}AA`,
      `${at}`,
    ];
    for (const extra of [{ prompt: 'login' }, { max_age: '60' }] as Record<string, string>[]) {
      for (const marker of forgeries) {
        const request = await f.authorizationRequest(rp, { ...extra, lk_auth_after: marker });
        const back = returnTo(await f.browse(request.url, session.token));
        assert.equal(back.pathname, '/oauth/authorize', `${JSON.stringify(extra)} ${marker}`);
      }
    }
    // The genuine marker names this client: on another client's request it counts for nothing.
    const otherRp = await f.relyingParty(other, null);
    const foreign = await f.authorizationRequest(otherRp, {
      prompt: 'login',
      lk_auth_after: genuine,
    });
    const foreignUrl = new URL(foreign.url);
    foreignUrl.searchParams.set('client_id', other.id);
    assert.equal(returnTo(await f.browse(foreignUrl, session.token)).pathname, '/oauth/authorize');
    // A session opened after the genuine marker was made passes, while the marker is fresh...
    const fresh = await f.openSession();
    // The genuine marker belongs to its own request: on another request of the same
    // client (another PKCE challenge) it counts for nothing, even with a fresh session.
    const otherRequest = new URL(
      (await f.authorizationRequest(rp, { prompt: 'login', lk_auth_after: genuine })).url,
    );
    assert.equal(returnTo(await f.browse(otherRequest, fresh.token)).pathname, '/oauth/authorize');
    const ok = await f.browse(genuineBack, fresh.token);
    assert.equal(ok.status, 303);
    assert.ok(new URL(ok.headers.get('location')!).searchParams.get('code'));
    // ...and not once it has gone stale: a replayed marker does not stand in for a sign-in.
    f.clock.advance(11 * 60_000);
    assert.equal(returnTo(await f.browse(genuineBack, fresh.token)).pathname, '/oauth/authorize');
  });

  it('when another client presents a code first (it lacks the right to it), then the code is spent but the session it stands on is not ended when the rightful client comes', async () => {
    const other = await f.registerClient();
    const { token } = await f.openSession();
    const request = await f.authorizationRequest(rp);
    const callback = await f.authorizeRedirect(request.url, token);
    const form = {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      code_verifier: request.verifier,
      redirect_uri: REDIRECT_URI,
    };
    const stolen = await f.post('/oauth/token', form, [other.client.id, other.secret!]);
    assert.equal(stolen.status, 400);
    assert.equal(((await stolen.json()) as { error: string }).error, 'invalid_grant');

    const rightful = await f.post('/oauth/token', form, [client.id, secret]);
    assert.equal(rightful.status, 400);
    assert.equal(((await rightful.json()) as { error: string }).error, 'invalid_grant');
    assert.ok(await f.t.app.sessions.validate(token), 'the session lives on');
  });

  it('when a code is presented with a wrong PKCE verifier, then a later presentation does not end the session either', async () => {
    const { token } = await f.openSession();
    const request = await f.authorizationRequest(rp);
    const callback = await f.authorizeRedirect(request.url, token);
    const form = {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: REDIRECT_URI,
    };
    const wrong = await f.post(
      '/oauth/token',
      { ...form, code_verifier: oidc.randomPKCECodeVerifier() },
      [client.id, secret],
    );
    assert.equal(wrong.status, 400);
    const again = await f.post('/oauth/token', { ...form, code_verifier: request.verifier }, [
      client.id,
      secret,
    ]);
    assert.equal(again.status, 400);
    assert.ok(await f.t.app.sessions.validate(token), 'the session lives on');
  });

  it('when a code that did issue tokens is presented again, then the session is still ended (RFC 6749 §4.1.2)', async () => {
    const { token } = await f.openSession();
    const { callback, verifier } = await f.signIn(rp, token);
    const replay = await f.post(
      '/oauth/token',
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      },
      [client.id, secret],
    );
    assert.equal(replay.status, 400);
    assert.equal(await f.t.app.sessions.validate(token), null);
  });
});

describe('OAuth 2 / OIDC provider review: refresh requests', () => {
  let f: OAuthFixture;
  let rp: oidc.Configuration;

  before(async () => {
    f = await startOAuthFixture();
    const { client, secret } = await f.registerClient();
    rp = await f.relyingParty(client, secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  it('when a refresh asks for a wider scope, then invalid_scope (RFC 6749 §6) and nothing else: the refresh token still works and the session lives on', async () => {
    const { token } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    try {
      await oidc.refreshTokenGrant(rp, tokens.refresh_token!, { scope: 'openid ads:write' });
      assert.fail('a wider scope was granted');
    } catch (error) {
      assert.ok(error instanceof oidc.ResponseBodyError);
      assert.equal(error.error, 'invalid_scope');
    }
    const again = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    assert.ok(again.access_token);
    assert.ok(await f.t.app.sessions.validate(token), 'the session lives on');
  });
});

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
