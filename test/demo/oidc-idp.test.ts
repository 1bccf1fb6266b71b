import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { startDemoOidcIdp, type DemoAccount, type DemoOidcIdp } from '../../src/demo/oidc-idp.js';
import { createFormBrowser, type FormBrowser } from '../support/form-browser.js';
import { freePort } from '../support/tcp-proxy.js';

/** Nothing listens here: the tests read the redirect back to the client, never follow it. */
const REDIRECT_URI = 'http://127.0.0.1:47616/login/oidc/callback';
const POST_LOGOUT_URI = 'http://127.0.0.1:47616/signed-out';
const SECRET = 'demo-client-secret-for-tests';

const ALICE: DemoAccount = {
  sub: 'demo-alice',
  email: 'alice@acme.test',
  email_verified: true,
  name: 'Alice Martin',
  groups: ['ads-managers'],
};
const MALLORY: DemoAccount = {
  sub: 'demo-mallory',
  email: 'mallory@acme.test',
  email_verified: false,
  name: 'Mallory Moss',
  groups: [],
};

describe('development OIDC IdP', () => {
  let idp: DemoOidcIdp;
  let rp: oidc.Configuration;
  let rpEs256: oidc.Configuration;

  before(async () => {
    idp = await startDemoOidcIdp({
      host: '127.0.0.1',
      port: await freePort(),
      displayName: 'Acme IdP',
      clients: [
        {
          client_id: 'latchkey',
          client_secret: SECRET,
          redirect_uris: [REDIRECT_URI],
          post_logout_redirect_uris: [POST_LOGOUT_URI],
        },
        {
          client_id: 'latchkey-es256',
          client_secret: SECRET,
          redirect_uris: [REDIRECT_URI],
          id_token_signed_response_alg: 'ES256',
        },
      ],
      accounts: [ALICE, MALLORY],
    });
    const relyingParty = (clientId: string) =>
      oidc.discovery(new URL(idp.issuer), clientId, undefined, oidc.ClientSecretBasic(SECRET), {
        execute: [oidc.allowInsecureRequests],
      });
    rp = await relyingParty('latchkey');
    rpEs256 = await relyingParty('latchkey-es256');
  });
  after(async () => {
    await idp.close();
  });

  /** An authorization request as a strict RP sends it: PKCE S256, state, nonce. */
  const authorizationRequest = async (config = rp, scope = 'openid email profile groups') => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, verifier, state, nonce };
  };

  /** Opens the sign-in page of a new authorization request in a fresh browser. */
  const openLoginPage = async (browser: FormBrowser, url: URL) => {
    const { hops, page } = await browser.follow(url, idp.issuer);
    assert.ok(page, `the authorization request ends on a page, went ${JSON.stringify(hops)}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const uid = /action="\/interaction\/([A-Za-z0-9_-]+)\/login"/.exec(html)?.[1];
    assert.ok(uid, 'the page is the sign-in form');
    return { html, loginUrl: `${idp.issuer}/interaction/${uid}/login`, uid };
  };

  /** The whole browser part: sign in, then follow the redirects back to the client. */
  const signIn = async (email: string, config = rp) => {
    const request = await authorizationRequest(config);
    const browser = createFormBrowser();
    const { loginUrl } = await openLoginPage(browser, request.url);
    const posted = await browser.postForm(loginUrl, { email, password: 'anything at all' });
    assert.equal(posted.res.status, 303);
    const { leftTo } = await browser.follow(posted.location!, idp.issuer);
    assert.ok(leftTo, 'the browser is sent back to the client');
    return { ...request, callback: leftTo, browser };
  };

  it('when its discovery document is fetched, then it advertises the endpoints, S256 PKCE and RFC 9207 iss', async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const meta = (await res.json()) as Record<string, unknown>;
    assert.equal(meta.issuer, idp.issuer);
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'userinfo_endpoint',
      'end_session_endpoint',
    ]) {
      assert.match(String(meta[endpoint]), new RegExp(`^${idp.issuer}/`), endpoint);
    }
    assert.ok((meta.code_challenge_methods_supported as string[]).includes('S256'));
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(meta.response_types_supported, ['code']);
    for (const claim of ['sub', 'email', 'email_verified', 'name', 'groups', 'sid']) {
      assert.ok((meta.claims_supported as string[]).includes(claim), claim);
    }
    const jwks = (await (await fetch(String(meta.jwks_uri))).json()) as {
      keys: Array<{ alg: string; d?: string }>;
    };
    assert.deepEqual(jwks.keys.map((k) => k.alg).sort(), ['ES256', 'RS256']);
    assert.ok(
      jwks.keys.every((k) => k.d === undefined),
      'only public keys are published',
    );
  });

  it('when alice signs in with any password, then openid-client redeems the code for an ID token with her claims and a sid', async () => {
    const { callback, verifier, state, nonce } = await signIn('alice@acme.test');
    assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
    assert.equal(callback.searchParams.get('iss'), idp.issuer, 'RFC 9207 iss is sent');
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    assert.equal(claims.iss, idp.issuer);
    assert.equal(claims.aud, 'latchkey');
    assert.equal(claims.sub, 'demo-alice');
    assert.equal(claims.email, 'alice@acme.test');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, 'Alice Martin');
    assert.deepEqual(claims.groups, ['ads-managers']);
    assert.equal(typeof claims.sid, 'string');
    assert.ok((claims.sid as string).length > 0);
    assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'RS256');
  });

  it('when the account has an unverified email, then the ID token says email_verified false', async () => {
    const { callback, verifier, state, nonce } = await signIn('mallory@acme.test');
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(tokens.claims()!.email, 'mallory@acme.test');
    assert.equal(tokens.claims()!.email_verified, false);
  });

  it('when a client is registered for ES256, then its ID tokens are signed with the ES256 key', async () => {
    const { callback, verifier, state, nonce } = await signIn('alice@acme.test', rpEs256);
    const tokens = await oidc.authorizationCodeGrant(rpEs256, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'ES256');
    assert.equal(tokens.claims()!.email, 'alice@acme.test');
  });

  it('when the browser signs in again in the same session, then no form is shown and the sid is the same', async () => {
    const first = await signIn('alice@acme.test');
    const firstTokens = await oidc.authorizationCodeGrant(rp, first.callback, {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
      expectedNonce: first.nonce,
    });
    const again = await authorizationRequest();
    const { leftTo, page } = await first.browser.follow(again.url, idp.issuer);
    assert.equal(page, null, 'no page: the IdP session signs the browser in');
    assert.ok(leftTo);
    const tokens = await oidc.authorizationCodeGrant(rp, leftTo, {
      pkceCodeVerifier: again.verifier,
      expectedState: again.state,
      expectedNonce: again.nonce,
    });
    assert.equal(tokens.claims()!.sid, firstTokens.claims()!.sid);
  });

  it('when the client sends the browser to end_session and the user confirms, then the IdP session ends and the browser returns to the client', async () => {
    const { callback, verifier, state, nonce, browser } = await signIn('alice@acme.test');
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const endSession = oidc.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'bye',
    });
    const confirm = await browser.get(endSession);
    assert.equal(confirm.res.status, 200);
    const html = await confirm.res.text();
    assert.match(html, /Sign out of Acme IdP\?/);
    const action = /<form id="op\.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(action && xsrf, 'the confirmation is a plain form');
    const confirmed = await browser.postForm(new URL(action, idp.issuer), { xsrf, logout: 'yes' });
    const { leftTo } = await browser.follow(confirmed.location!, idp.issuer);
    assert.ok(leftTo);
    assert.equal(leftTo.origin + leftTo.pathname, POST_LOGOUT_URI);
    assert.equal(leftTo.searchParams.get('state'), 'bye');
    // Signed out: the next authorization request asks for the password again.
    const next = await authorizationRequest();
    await openLoginPage(browser, next.url);
  });

  it('when an unknown email is submitted, then the sign-in form is shown again with a visible error', async () => {
    const request = await authorizationRequest();
    const browser = createFormBrowser();
    const { loginUrl } = await openLoginPage(browser, request.url);
    const refused = await browser.postForm(loginUrl, {
      email: 'nobody@acme.test',
      password: 'whatever',
    });
    assert.equal(refused.res.status, 422);
    assert.equal(refused.location, null, 'no redirect: nobody is signed in');
    const html = await refused.res.text();
    assert.match(html, /role="alert"[^>]*>There is no Acme IdP account for that email\./);
    assert.match(html, /value="nobody@acme\.test"/, 'the email typed is kept');
    // The same interaction still works with a known account.
    const accepted = await browser.postForm(loginUrl, {
      email: 'alice@acme.test',
      password: 'x',
    });
    assert.equal(accepted.res.status, 303);
  });

  it('when the user presses Cancel, then the client receives error=access_denied with state and iss', async () => {
    const request = await authorizationRequest();
    const browser = createFormBrowser();
    const { html, uid } = await openLoginPage(browser, request.url);
    assert.match(html, new RegExp(`formaction="/interaction/${uid}/abort"[^>]*formnovalidate`));
    const cancelled = await browser.postForm(`${idp.issuer}/interaction/${uid}/abort`, {
      email: '',
      password: '',
    });
    assert.equal(cancelled.res.status, 303);
    const { leftTo } = await browser.follow(cancelled.location!, idp.issuer);
    assert.ok(leftTo);
    assert.equal(leftTo.origin + leftTo.pathname, REDIRECT_URI);
    assert.equal(leftTo.searchParams.get('error'), 'access_denied');
    assert.equal(leftTo.searchParams.get('state'), request.state);
    assert.equal(leftTo.searchParams.get('iss'), idp.issuer);
    await assert.rejects(
      oidc.authorizationCodeGrant(rp, leftTo, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      }),
      (error: unknown) =>
        error instanceof oidc.AuthorizationResponseError && error.error === 'access_denied',
    );
  });

  it('when a client asks with prompt=none and the browser has no IdP session, then it receives error=login_required', async () => {
    const request = await authorizationRequest();
    request.url.searchParams.set('prompt', 'none');
    const { leftTo, page } = await createFormBrowser().follow(request.url, idp.issuer);
    assert.equal(page, null, 'no page is shown');
    assert.ok(leftTo);
    assert.equal(leftTo.origin + leftTo.pathname, REDIRECT_URI);
    assert.equal(leftTo.searchParams.get('error'), 'login_required');
    assert.equal(leftTo.searchParams.get('iss'), idp.issuer);
  });

  it('when an authorization request has no PKCE challenge, then it is refused', async () => {
    const url = new URL(`${idp.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: 'latchkey',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      state: 'no-pkce',
    }).toString();
    const { location } = await createFormBrowser().get(url);
    assert.ok(location);
    assert.equal(location.origin + location.pathname, REDIRECT_URI);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description') ?? '', /PKCE/);
  });

  it('when the interaction page is opened in another browser, then it answers that the sign-in expired', async () => {
    const request = await authorizationRequest();
    const { loginUrl } = await openLoginPage(createFormBrowser(), request.url);
    const stranger = await createFormBrowser().postForm(loginUrl, {
      email: 'alice@acme.test',
      password: 'x',
    });
    assert.equal(stranger.res.status, 400);
    assert.equal(stranger.location, null);
    assert.match(await stranger.res.text(), /This sign-in has expired/);
  });
});
