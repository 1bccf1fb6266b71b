import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import {
  claimsOf,
  headerOf,
  oauthErrorOf,
  oauthFailure,
  REDIRECT_URI,
  startOAuthFixture,
  type OAuthFixture,
} from '../support/oauth.js';

/** The code an HTML error page shows (the page never redirects). */
async function errorPageCode(res: Response): Promise<string> {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const page = await res.text();
  const code = /<dt>Reason<\/dt>\s*<dd><code>([^<]*)<\/code><\/dd>/.exec(page)?.[1];
  assert.ok(code, 'the error page names its reason');
  return code;
}

/** The OAuth error of an authorization response, as openid-client (a strict RP) reads it. */
async function authorizationError(
  config: oidc.Configuration,
  callback: URL,
  expectedState: string | typeof oidc.skipStateCheck,
) {
  try {
    await oidc.authorizationCodeGrant(config, callback, { expectedState });
  } catch (error) {
    if (error instanceof oidc.AuthorizationResponseError) return error.error;
    throw error;
  }
  assert.fail('expected an error authorization response');
}

describe('OAuth 2 / OIDC authorization code flow, with openid-client as the relying party', () => {
  let f: OAuthFixture;
  let client: Awaited<ReturnType<OAuthFixture['registerClient']>>['client'];
  let secret: string;
  let rp: oidc.Configuration;

  before(async () => {
    f = await startOAuthFixture();
    ({ client, secret } = (await f.registerClient({
      redirect_uris: [REDIRECT_URI, 'http://127.0.0.1:47615/other-callback'],
    })) as { client: typeof client; secret: string });
    rp = await f.relyingParty(client, secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  /** Asserts the browser is sent to the login page, and returns where it is to come back to. */
  const expectLoginReturnTo = (res: Response) => {
    assert.equal(res.status, 303);
    const login = new URL(res.headers.get('location')!, f.t.issuer);
    assert.equal(login.pathname, '/login');
    return new URL(login.searchParams.get('return_to')!, f.t.issuer);
  };

  describe('the happy path', () => {
    it('when a signed-in user authorizes with PKCE S256, state and nonce, then openid-client accepts the ID token and its claims are complete', async () => {
      const { token, session } = await f.openSession();
      const { tokens, nonce } = await f.signIn(rp, token);
      const idToken = tokens.claims()!;
      assert.equal(idToken.iss, f.t.issuer);
      assert.equal(idToken.sub, f.user.id);
      assert.equal(idToken.aud, client.id);
      assert.equal(idToken.azp, client.id);
      assert.equal(idToken.nonce, nonce);
      assert.equal(idToken.auth_time, session.authTime);
      assert.deepEqual(idToken.amr, ['pwd']);
      assert.equal(idToken.sid, session.id);
      assert.equal(idToken.org_id, f.org.id);
      assert.equal(idToken.email, 'alice@acme.example');
      assert.equal(headerOf(tokens.id_token!).typ, 'JWT');
      assert.equal(tokens.token_type, 'bearer');
      // A family's first refresh token: rt2_<family>.<generation 0>.<random>.<MAC>.
      assert.match(tokens.refresh_token ?? '', /^rt2_[0-9a-f-]{36}\.0\.[\w-]{43}\.[\w-]{22}$/);
    });

    it('when the code flow completes, then the access token is an RFC 9068 at+jwt, ES256, signed by a key in the JWKS, with every claim', async () => {
      const { token, session } = await f.openSession();
      const { tokens } = await f.signIn(rp, token);
      const header = headerOf(tokens.access_token);
      assert.equal(header.typ, 'at+jwt');
      assert.equal(header.alg, 'ES256');
      const jwks = (await (await fetch(`${f.t.issuer}/.well-known/jwks.json`)).json()) as {
        keys: Array<{ kid: string }>;
      };
      assert.ok(
        jwks.keys.some((k) => k.kid === header.kid),
        'the kid is published',
      );
      const { payload } = await f.verify(tokens.access_token, 'at+jwt');
      for (const claim of [
        'iss',
        'sub',
        'aud',
        'client_id',
        'org_id',
        'sid',
        'roles',
        'scope',
        'jti',
        'iat',
        'exp',
        'auth_time',
        'amr',
      ]) {
        assert.ok(claim in payload, `access token has ${claim}`);
      }
      assert.equal(payload.iss, f.t.issuer);
      assert.equal(payload.sub, f.user.id);
      assert.equal(payload.aud, client.id);
      assert.equal(payload.client_id, client.id);
      assert.equal(payload.org_id, f.org.id);
      assert.equal(payload.sid, session.id);
      assert.deepEqual(payload.roles, ['ads.editor', 'ads.viewer']);
      assert.equal(payload.scope, 'openid email profile offline_access');
      assert.equal(payload.auth_time, session.authTime);
      assert.deepEqual(payload.amr, ['pwd']);
      assert.equal(
        payload.exp! - Math.floor(payload.iat!),
        300,
        'the default lifetime is 5 minutes',
      );
      assert.equal(tokens.expires_in, 300);
    });

    it('when a client has its own access_token_ttl_seconds, then its access tokens live exactly that long', async () => {
      const custom = await f.registerClient({ access_token_ttl_seconds: 900 });
      const customRp = await f.relyingParty(custom.client, custom.secret);
      const { token } = await f.openSession();
      const { tokens } = await f.signIn(customRp, token);
      const claims = claimsOf(tokens.access_token);
      assert.equal(claims.exp! - Math.floor(claims.iat!), 900);
      assert.equal(tokens.expires_in, 900);
    });

    it('when a public client signs in without a secret, then the code flow works with PKCE alone', async () => {
      const mobile = await f.registerPublicClient();
      assert.equal(mobile.secret, null);
      const mobileRp = await f.relyingParty(mobile.client, null);
      const { token, session } = await f.openSession();
      const { tokens } = await f.signIn(mobileRp, token);
      assert.equal(tokens.claims()!.sid, session.id);
      assert.equal(claimsOf(tokens.access_token).client_id, mobile.client.id);
    });

    it('when the code comes back, then the redirect carries state and iss (RFC 9207) and nothing else but the code', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
      assert.deepEqual([...callback.searchParams.keys()].sort(), ['code', 'iss', 'state']);
      assert.equal(callback.searchParams.get('state'), request.state);
      assert.equal(callback.searchParams.get('iss'), f.t.issuer);
    });
  });

  describe('authorization request errors', () => {
    it('when the client is unknown, then an HTML error page is shown and the browser is not redirected', async () => {
      const { token } = await f.openSession();
      const { url } = await f.authorizationRequest(rp);
      url.searchParams.set('client_id', 'lkc_AAAAAAAAAAAAAAAAAAAAAA');
      const res = await f.browse(url, token);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.equal(await errorPageCode(res), 'invalid_client');
    });

    it('when the client is disabled, then it is as unknown as a missing one', async () => {
      const disabled = await f.registerClient({ name: 'Retired app' });
      await f.t.app.clients.update(
        disabled.client.id,
        { status: 'disabled' },
        null,
        { scope: 'platform:admin', keyId: 'test' },
        { requestId: null, ip: null, userAgent: null },
      );
      const disabledRp = await f.relyingParty(disabled.client, disabled.secret);
      const { token } = await f.openSession();
      const res = await f.browse((await f.authorizationRequest(disabledRp)).url, token);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.equal(await errorPageCode(res), 'invalid_client');
    });

    for (const [what, redirectUri] of [
      ['a trailing slash', `${REDIRECT_URI}/`],
      ['a different port', 'http://127.0.0.1:47616/callback'],
      ['a query added', `${REDIRECT_URI}?next=/admin`],
      ['a different host', 'https://attacker.example/callback'],
      ['a different case', REDIRECT_URI.replace('callback', 'Callback')],
      ['localhost for 127.0.0.1', REDIRECT_URI.replace('127.0.0.1', 'localhost')],
    ] as const) {
      it(`when the redirect URI is a near miss (${what}), then an HTML error page is shown and nothing redirects`, async () => {
        const { token } = await f.openSession();
        const { url } = await f.authorizationRequest(rp, { redirect_uri: redirectUri });
        const res = await f.browse(url, token);
        assert.equal(res.status, 400);
        assert.equal(res.headers.get('location'), null);
        assert.equal(await errorPageCode(res), 'invalid_redirect_uri');
      });
    }

    it('when the redirect URI is missing, then an HTML error page is shown', async () => {
      const { token } = await f.openSession();
      const { url } = await f.authorizationRequest(rp);
      url.searchParams.delete('redirect_uri');
      const res = await f.browse(url, token);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.equal(await errorPageCode(res), 'invalid_redirect_uri');
    });

    it('when client_id or redirect_uri is given twice, then an HTML error page says invalid_request', async () => {
      const { token } = await f.openSession();
      for (const name of ['client_id', 'redirect_uri']) {
        const { url } = await f.authorizationRequest(rp);
        url.searchParams.append(name, url.searchParams.get(name)!);
        const res = await f.browse(url, token);
        assert.equal(res.status, 400, name);
        assert.equal(res.headers.get('location'), null, name);
        assert.equal(await errorPageCode(res), 'invalid_request', name);
      }
    });

    it('when another parameter is given twice, then the client is told invalid_request with its state and iss', async () => {
      const { token } = await f.openSession();
      for (const name of ['scope', 'code_challenge', 'nonce', 'response_type']) {
        const request = await f.authorizationRequest(rp);
        request.url.searchParams.append(name, request.url.searchParams.get(name)!);
        const callback = await f.authorizeRedirect(request.url, token);
        assert.equal(callback.searchParams.get('iss'), f.t.issuer, name);
        assert.equal(await authorizationError(rp, callback, request.state), 'invalid_request');
      }
    });

    it('when state is given twice, then no code is issued: the client is told invalid_request', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      request.url.searchParams.append('state', 'another-state');
      const callback = await f.authorizeRedirect(request.url, token);
      assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
      assert.equal(callback.searchParams.get('code'), null);
      assert.equal(callback.searchParams.get('error'), 'invalid_request');
      assert.equal(callback.searchParams.get('iss'), f.t.issuer);
    });

    it('when PKCE is missing, then the client is told invalid_request, with state and iss', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      request.url.searchParams.delete('code_challenge');
      request.url.searchParams.delete('code_challenge_method');
      const callback = await f.authorizeRedirect(request.url, token);
      assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
      assert.equal(callback.searchParams.get('state'), request.state);
      assert.equal(callback.searchParams.get('iss'), f.t.issuer);
      assert.equal(callback.searchParams.get('code'), null);
      assert.equal(await authorizationError(rp, callback, request.state), 'invalid_request');
    });

    it('when the PKCE method is plain or absent, then the client is told invalid_request', async () => {
      const { token } = await f.openSession();
      for (const method of ['plain', null]) {
        const request = await f.authorizationRequest(rp);
        if (method) {
          // RFC 7636 plain: the challenge is the verifier itself.
          request.url.searchParams.set('code_challenge', request.verifier);
          request.url.searchParams.set('code_challenge_method', method);
        } else {
          request.url.searchParams.delete('code_challenge_method');
        }
        const callback = await f.authorizeRedirect(request.url, token);
        assert.equal(await authorizationError(rp, callback, request.state), 'invalid_request');
      }
    });

    it('when response_type is token (implicit), then the client is told unsupported_response_type', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp, { response_type: 'token' });
      const callback = await f.authorizeRedirect(request.url, token);
      assert.equal(callback.searchParams.get('access_token'), null);
      assert.equal(callback.hash, '');
      assert.equal(callback.searchParams.get('iss'), f.t.issuer);
      assert.equal(
        await authorizationError(rp, callback, request.state),
        'unsupported_response_type',
      );
    });

    it('when a scope the client may not have is asked for, then the client is told invalid_scope', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp, { scope: 'openid ads:admin' });
      const callback = await f.authorizeRedirect(request.url, token);
      assert.equal(await authorizationError(rp, callback, request.state), 'invalid_scope');
    });

    it('when a client without the authorization_code grant asks for a code, then it is told unauthorized_client', async () => {
      const service = await f.registerClient({
        name: 'Ads reporting job',
        grant_types: ['client_credentials'],
      });
      const serviceRp = await f.relyingParty(service.client, service.secret);
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(serviceRp);
      const callback = await f.authorizeRedirect(request.url, token);
      assert.equal(
        await authorizationError(serviceRp, callback, request.state),
        'unauthorized_client',
      );
    });

    it('when prompt=none comes without a session, then the client is told login_required', async () => {
      const request = await f.authorizationRequest(rp, { prompt: 'none' });
      const callback = await f.authorizeRedirect(request.url, null);
      assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
      assert.equal(callback.searchParams.get('state'), request.state);
      assert.equal(await authorizationError(rp, callback, request.state), 'login_required');
    });

    it('when prompt=none comes with a live session, then a code is issued without any page', async () => {
      const { token } = await f.openSession();
      const { tokens } = await f.signIn(rp, token, { prompt: 'none' });
      assert.ok(tokens.access_token);
    });

    it('when there is no session, then the browser is sent to the login page with the request to come back to', async () => {
      const request = await f.authorizationRequest(rp);
      const res = await f.browse(request.url, null);
      assert.equal(res.status, 303);
      const login = new URL(res.headers.get('location')!, f.t.issuer);
      assert.equal(login.origin, f.t.issuer);
      assert.equal(login.pathname, '/login');
      const back = new URL(login.searchParams.get('return_to')!, f.t.issuer);
      assert.equal(back.origin, f.t.issuer, 'return_to is a local path');
      assert.equal(back.pathname, '/oauth/authorize');
      assert.equal(back.searchParams.get('client_id'), client.id);
      assert.equal(back.searchParams.get('state'), request.state);
      assert.equal(back.searchParams.get('nonce'), request.nonce);
    });

    it('when a session cookie is not a live session, then the browser is sent to log in', async () => {
      const { token, session } = await f.openSession();
      await f.t.app.sessions.end(f.org.id, session.id, 'logout');
      const res = await f.browse((await f.authorizationRequest(rp)).url, token);
      assert.equal(res.status, 303);
      assert.equal(new URL(res.headers.get('location')!, f.t.issuer).pathname, '/login');
    });

    it('when login_hint is given without a session, then the login page receives it', async () => {
      const request = await f.authorizationRequest(rp, { login_hint: 'bob@acme.example' });
      const res = await f.browse(request.url, null);
      const login = new URL(res.headers.get('location')!, f.t.issuer);
      assert.equal(login.searchParams.get('login_hint'), 'bob@acme.example');
    });

    it('when prompt=login comes with a session, then the user must sign in again: the old session is not enough, a newer one is', async () => {
      const old = await f.openSession();
      f.clock.advance(1000);
      const request = await f.authorizationRequest(rp, { prompt: 'login' });
      const res = await f.browse(request.url, old.token);
      assert.equal(res.status, 303);
      const login = new URL(res.headers.get('location')!, f.t.issuer);
      assert.equal(login.pathname, '/login');
      const back = new URL(login.searchParams.get('return_to')!, f.t.issuer);
      // prompt=login stays: the signed marker of the forced sign-in satisfies it (no
      // endless loop) only while the marker is genuine and fresh.
      assert.equal(back.searchParams.get('prompt'), 'login');
      assert.match(back.searchParams.get('lk_auth_after') ?? '', /^\d+\.[\w-]{43}$/);

      const again = await f.browse(back, old.token);
      assert.equal(again.status, 303);
      assert.equal(
        new URL(again.headers.get('location')!, f.t.issuer).pathname,
        '/login',
        'a session from before the prompt does not count',
      );

      const fresh = await f.openSession();
      const callback = await f.authorizeRedirect(back, fresh.token);
      const tokens = await oidc.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      assert.equal(tokens.claims()!.sid, fresh.session.id);
    });

    it('when max_age is shorter than the session, then the user must sign in again', async () => {
      const { token } = await f.openSession();
      f.clock.advance(120_000);
      const res = await f.browse((await f.authorizationRequest(rp, { max_age: '60' })).url, token);
      assert.equal(res.status, 303);
      assert.equal(new URL(res.headers.get('location')!, f.t.issuer).pathname, '/login');
    });

    it('when max_age covers the session, then openid-client accepts auth_time against it', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp, { max_age: '600' });
      const callback = await f.authorizeRedirect(request.url, token);
      const tokens = await oidc.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        maxAge: 600,
      });
      assert.ok(tokens.access_token);
    });

    it('when the authorization request is a form POST (OIDC Core §3.1.2.1) without a session, then the login hands back the whole request and the code follows', async () => {
      const request = await f.authorizationRequest(rp);
      const res = await f.browse(`${f.t.issuer}/oauth/authorize`, null, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: request.url.searchParams.toString(),
      });
      const back = expectLoginReturnTo(res);
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
      const back = expectLoginReturnTo(await f.browse(request.url, old.token));

      const fresh = await f.openSession();
      f.clock.advance(2_000);
      const res = await f.browse(back, fresh.token);
      assert.equal(res.status, 303);
      const callback = new URL(res.headers.get('location')!, f.t.issuer);
      assert.equal(callback.origin + callback.pathname, REDIRECT_URI, 'back to the client');
      assert.ok(callback.searchParams.get('code'));

      // A session from before the forced sign-in still does not count.
      assert.equal(
        expectLoginReturnTo(await f.browse(back, old.token)).pathname,
        '/oauth/authorize',
      );
    });

    it('when the forced sign-in marker (lk_auth_after) is forged, altered, stale or of another client, then prompt=login and max_age still send the browser to sign in', async () => {
      const session = await f.openSession();
      f.clock.advance(600_000);
      const other = (await f.registerClient()).client;
      // A genuine marker, as the forced sign-in puts it on the way back.
      const genuineBack = expectLoginReturnTo(
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
          const back = expectLoginReturnTo(await f.browse(request.url, session.token));
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
      assert.equal(
        expectLoginReturnTo(await f.browse(foreignUrl, session.token)).pathname,
        '/oauth/authorize',
      );
      // A session opened after the genuine marker was made passes, while the marker is fresh...
      const fresh = await f.openSession();
      // The genuine marker belongs to its own request: on another request of the same
      // client (another PKCE challenge) it counts for nothing, even with a fresh session.
      const otherRequest = new URL(
        (await f.authorizationRequest(rp, { prompt: 'login', lk_auth_after: genuine })).url,
      );
      assert.equal(
        expectLoginReturnTo(await f.browse(otherRequest, fresh.token)).pathname,
        '/oauth/authorize',
      );
      const ok = await f.browse(genuineBack, fresh.token);
      assert.equal(ok.status, 303);
      assert.ok(new URL(ok.headers.get('location')!).searchParams.get('code'));
      // ...and not once it has gone stale: a replayed marker does not stand in for a sign-in.
      f.clock.advance(11 * 60_000);
      assert.equal(
        expectLoginReturnTo(await f.browse(genuineBack, fresh.token)).pathname,
        '/oauth/authorize',
      );
    });
  });

  describe('the token endpoint, authorization_code grant', () => {
    it('when a code is redeemed a second time, then invalid_grant, and the session it stands on is ended with every token', async () => {
      const { token, session } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const checks = {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      };
      const first = await oidc.authorizationCodeGrant(rp, callback, checks);
      assert.equal((await f.introspect(rp, first.access_token)).active, true);

      const second = await oauthFailure(oidc.authorizationCodeGrant(rp, callback, checks));
      assert.equal(second.status, 400);
      assert.equal(second.error, 'invalid_grant');
      assert.equal(await f.t.app.sessions.get(f.org.id, session.id), null, 'the session ended');
      assert.equal((await f.introspect(rp, first.access_token)).active, false);
      assert.equal((await f.introspect(rp, first.refresh_token!)).active, false);
      assert.equal(
        (await oauthFailure(oidc.refreshTokenGrant(rp, first.refresh_token!))).error,
        'invalid_grant',
      );
    });

    it('when the code_verifier is wrong, then invalid_grant', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const failure = await oauthFailure(
        oidc.authorizationCodeGrant(rp, callback, {
          pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
          expectedState: request.state,
          expectedNonce: request.nonce,
        }),
      );
      assert.equal(failure.status, 400);
      assert.equal(failure.error, 'invalid_grant');
    });

    it('when no code_verifier is sent, then invalid_request', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const res = await f.post(
        '/oauth/token',
        {
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          redirect_uri: REDIRECT_URI,
        },
        [client.id, secret],
      );
      assert.deepEqual(await oauthErrorOf(res), { status: 400, error: 'invalid_request' });
    });

    it('when the redirect_uri differs from the authorization request, even if registered, then invalid_grant', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      // The response "arrives" at the client's other registered redirect URI.
      const elsewhere = new URL(callback);
      elsewhere.pathname = '/other-callback';
      const failure = await oauthFailure(
        oidc.authorizationCodeGrant(rp, elsewhere, {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
        }),
      );
      assert.equal(failure.error, 'invalid_grant');
    });

    it('when another client presents the code, then invalid_grant', async () => {
      const other = await f.registerClient({ name: 'Other app' });
      const otherRp = await f.relyingParty(other.client, other.secret);
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const failure = await oauthFailure(
        oidc.authorizationCodeGrant(otherRp, callback, {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
        }),
      );
      assert.equal(failure.error, 'invalid_grant');
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
    it('when the code is not one Latchkey issued, then invalid_grant', async () => {
      const res = await f.post(
        '/oauth/token',
        {
          grant_type: 'authorization_code',
          code: 'ac_not-a-real-code',
          redirect_uri: REDIRECT_URI,
          code_verifier: oidc.randomPKCECodeVerifier(),
        },
        [client.id, secret],
      );
      assert.deepEqual(await oauthErrorOf(res), { status: 400, error: 'invalid_grant' });
    });

    it('when the session ended between authorization and redemption, then invalid_grant', async () => {
      const { token, session } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      await f.t.app.sessions.end(f.org.id, session.id, 'logout');
      const failure = await oauthFailure(
        oidc.authorizationCodeGrant(rp, callback, {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
        }),
      );
      assert.equal(failure.error, 'invalid_grant');
    });

    it('when the Basic credentials are wrong, then 401 invalid_client with a WWW-Authenticate challenge', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const wrongRp = await f.relyingParty(client, 'A'.repeat(43));
      const failure = await oauthFailure(
        oidc.authorizationCodeGrant(wrongRp, callback, {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
        }),
      );
      assert.equal(failure.status, 401);
      assert.equal(failure.error, 'invalid_client');
      assert.match(failure.wwwAuthenticate ?? '', /^Basic /);

      const unknown = await f.post('/oauth/token', { grant_type: 'client_credentials' }, [
        'lkc_AAAAAAAAAAAAAAAAAAAAAA',
        secret,
      ]);
      assert.equal(unknown.status, 401);
      assert.match(unknown.headers.get('www-authenticate') ?? '', /^Basic /);
      assert.equal((await oauthErrorOf(unknown)).error, 'invalid_client');
    });

    it('when a client_secret_post secret is wrong, then 401 invalid_client', async () => {
      const res = await f.post('/oauth/token', {
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: 'B'.repeat(43),
      });
      assert.deepEqual(await oauthErrorOf(res), { status: 401, error: 'invalid_client' });
    });

    it('when a confidential client only names itself, then 401 invalid_client', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const res = await f.post('/oauth/token', {
        grant_type: 'authorization_code',
        client_id: client.id,
        code: callback.searchParams.get('code')!,
        redirect_uri: REDIRECT_URI,
        code_verifier: request.verifier,
      });
      assert.deepEqual(await oauthErrorOf(res), { status: 401, error: 'invalid_client' });
    });

    it('when a public client asks for client_credentials, then it is refused', async () => {
      const mobile = await f.registerPublicClient({ name: 'Ads Mobile 2' });
      const mobileRp = await f.relyingParty(mobile.client, null);
      const failure = await oauthFailure(oidc.clientCredentialsGrant(mobileRp));
      assert.equal(failure.status, 400);
      assert.equal(failure.error, 'unauthorized_client');
    });

    it('when the grant type is not one Latchkey supports, then unsupported_grant_type', async () => {
      const failure = await oauthFailure(
        oidc.genericGrantRequest(rp, 'password', { username: 'alice', password: 'x' }),
      );
      assert.equal(failure.status, 400);
      assert.equal(failure.error, 'unsupported_grant_type');
      const implicit = await f.post('/oauth/token', { grant_type: 'implicit' }, [
        client.id,
        secret,
      ]);
      assert.deepEqual(await oauthErrorOf(implicit), {
        status: 400,
        error: 'unsupported_grant_type',
      });
    });

    it('when tokens are issued, then the response says not to cache it (RFC 6749 §5.1)', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const res = await f.post(
        '/oauth/token',
        {
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          redirect_uri: REDIRECT_URI,
          code_verifier: request.verifier,
        },
        [client.id, secret],
      );
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('pragma'), 'no-cache');
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 300);
    });

    it('when a token request parameter is given twice, then invalid_request (RFC 6749 §3.2)', async () => {
      const { token } = await f.openSession();
      const request = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(request.url, token);
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: REDIRECT_URI,
        code_verifier: request.verifier,
      });
      body.append('code_verifier', request.verifier);
      const res = await fetch(`${f.t.issuer}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`,
        },
        body: body.toString(),
      });
      assert.deepEqual(await oauthErrorOf(res), { status: 400, error: 'invalid_request' });
    });

    it('when the token request is not form-encoded, then invalid_request', async () => {
      const res = await fetch(`${f.t.issuer}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`,
        },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      assert.deepEqual(await oauthErrorOf(res), { status: 400, error: 'invalid_request' });
    });
  });
});

describe('OAuth 2 authorization code lifetime', () => {
  // Codes live in Redis, which expires them on its own clock: a fake clock cannot move
  // it, so this app is given a 1 s code lifetime and the test waits past it.
  let f: OAuthFixture;
  before(async () => {
    f = await startOAuthFixture({ env: { LATCHKEY_TOKENS_AUTHORIZATION_CODE_TTL_SECONDS: '1' } });
  });
  after(async () => {
    await f.close();
  });

  it('when a code is redeemed after its lifetime, then invalid_grant', async () => {
    const { client, secret } = await f.registerClient();
    const rp = await f.relyingParty(client, secret);
    const { token } = await f.openSession();
    const request = await f.authorizationRequest(rp);
    const callback = await f.authorizeRedirect(request.url, token);
    await sleep(1200);
    f.syncClock();
    const failure = await oauthFailure(
      oidc.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      }),
    );
    assert.equal(failure.error, 'invalid_grant');
  });
});

describe('OAuth 2 / OIDC discovery with RS256 signing keys', () => {
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
    assert.equal(headerOf(tokens.id_token!).alg, 'RS256');
  });
});
