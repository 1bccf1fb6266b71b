import { expectForwardPage } from '../support/forward.js';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { generateKeyPair, SignJWT } from 'jose';
import {
  BACKCHANNEL_EVENT,
  claimsOf,
  headerOf,
  oauthFailure,
  POST_LOGOUT_URI,
  startLogoutReceiver,
  startOAuthFixture,
  type OAuthFixture,
} from '../support/oauth.js';

type Registered = Awaited<ReturnType<OAuthFixture['registerClient']>>;
type Receiver = Awaited<ReturnType<typeof startLogoutReceiver>>;

/** The code an HTML error page shows. */
async function errorPageCode(res: Response): Promise<string> {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const code = /<dt>Reason<\/dt>\s*<dd><code>([^<]*)<\/code><\/dd>/.exec(await res.text())?.[1];
  assert.ok(code, 'the error page names its reason');
  return code;
}

/** The Set-Cookie that removes the session cookie, if the response has one. */
function clearedCookie(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('latchkey=') && /Expires=Thu, 01 Jan 1970/i.test(cookie));
}

/** The hidden fields of the first form on a page. */
function formFields(page: string): { action: string; method: string; fields: URLSearchParams } {
  const form = /<form method="(\w+)" action="([^"]+)">([\s\S]*?)<\/form>/.exec(page);
  assert.ok(form, 'the page has a form');
  const fields = new URLSearchParams();
  for (const input of form[3]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields.append(input[1]!, input[2]!.replaceAll('&amp;', '&'));
  }
  return { method: form[1]!, action: form[2]!, fields };
}

describe('RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0)', () => {
  let f: OAuthFixture;
  let app: Registered;
  let rp: oidc.Configuration;

  const signedIn = async () => {
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    return { sessionToken: token, session, tokens };
  };
  const isLive = async (sessionId: string) =>
    (await f.t.app.sessions.get(f.org.id, sessionId)) !== null;

  before(async () => {
    f = await startOAuthFixture();
    app = await f.registerClient();
    rp = await f.relyingParty(app.client, app.secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  it('when the RP sends id_token_hint, a registered post_logout_redirect_uri and state, then the browser returns there with state, the session is ended and the cookie cleared', async () => {
    const { sessionToken, session, tokens } = await signedIn();
    const state = oidc.randomState();
    const url = oidc.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state,
    });
    const res = await f.browse(url, sessionToken);
    assert.equal(res.status, 303);
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.origin + back.pathname, POST_LOGOUT_URI);
    assert.equal(back.searchParams.get('state'), state);
    assert.ok(clearedCookie(res), 'the session cookie is cleared');
    assert.equal(await isLive(session.id), false);
    assert.deepEqual(await f.introspect(rp, tokens.access_token), { active: false });
    assert.equal(
      (await oauthFailure(oidc.refreshTokenGrant(rp, tokens.refresh_token!))).error,
      'invalid_grant',
    );
  });

  it('when only an id_token_hint arrives (no cookie), then the session it names is ended and a signed-out page shown', async () => {
    const { session, tokens } = await signedIn();
    const res = await f.browse(
      oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token! }),
      null,
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(await isLive(session.id), false);
  });

  it('when the id_token_hint has expired, then it still identifies the session to end', async () => {
    const { sessionToken, session, tokens } = await signedIn();
    f.clock.set((claimsOf(tokens.id_token!).exp! + 600) * 1000);
    const res = await f.browse(
      oidc.buildEndSessionUrl(rp, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: POST_LOGOUT_URI,
      }),
      sessionToken,
    );
    assert.equal(res.status, 303);
    assert.equal(await isLive(session.id), false);
  });

  for (const [what, uri] of [
    ['unregistered', 'https://attacker.example/signed-out'],
    ['a near miss (trailing slash)', `${POST_LOGOUT_URI}/`],
    ['a near miss (query added)', `${POST_LOGOUT_URI}?x=1`],
  ] as const) {
    it(`when the post_logout_redirect_uri is ${what}, then a 400 page, no redirect, and the session lives on`, async () => {
      const { sessionToken, session, tokens } = await signedIn();
      const res = await f.browse(
        oidc.buildEndSessionUrl(rp, {
          id_token_hint: tokens.id_token!,
          post_logout_redirect_uri: uri,
          state: 'abc',
        }),
        sessionToken,
      );
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.equal(await errorPageCode(res), 'invalid_request');
      assert.equal(clearedCookie(res), undefined);
      assert.equal(await isLive(session.id), true);
    });
  }

  it('when the post_logout_redirect_uri is registered by another client, then a 400 page', async () => {
    const other = await f.registerClient({
      name: 'Other app',
      post_logout_redirect_uris: ['http://127.0.0.1:47615/other-signed-out'],
    });
    const { sessionToken, session, tokens } = await signedIn();
    const url = oidc.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:47615/other-signed-out',
    });
    const res = await f.browse(url, sessionToken);
    assert.equal(res.status, 400);
    assert.equal(await errorPageCode(res), 'invalid_request');
    assert.equal(await isLive(session.id), true);

    url.searchParams.set('client_id', other.client.id);
    const mismatch = await f.browse(url, sessionToken);
    assert.equal(mismatch.status, 400, 'client_id must match the id_token_hint audience');
    assert.equal(await isLive(session.id), true);
  });

  it('when the id_token_hint is not one Latchkey signed, then a 400 page and the session lives on', async () => {
    const { sessionToken, session, tokens } = await signedIn();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claimsOf(tokens.id_token!))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: headerOf(tokens.id_token!).kid! })
      .sign(privateKey);
    const res = await f.browse(
      oidc.buildEndSessionUrl(rp, {
        id_token_hint: forged,
        post_logout_redirect_uri: POST_LOGOUT_URI,
      }),
      sessionToken,
    );
    assert.equal(res.status, 400);
    assert.equal(await errorPageCode(res), 'invalid_request');
    assert.equal(await isLive(session.id), true);
  });

  it('when there is no id_token_hint but a session cookie, then the user is asked first (logout CSRF); confirming with the form signs out and returns to the client', async () => {
    const { sessionToken, session } = await signedIn();
    const state = oidc.randomState();
    const ask = await f.browse(
      oidc.buildEndSessionUrl(rp, { post_logout_redirect_uri: POST_LOGOUT_URI, state }),
      sessionToken,
    );
    assert.equal(ask.status, 200);
    assert.match(ask.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(clearedCookie(ask), undefined);
    assert.equal(await isLive(session.id), true, 'nothing happens before confirmation');
    const { method, action, fields } = formFields(await ask.text());
    assert.equal(method, 'post');
    assert.equal(action, '/oauth/logout');
    assert.ok(fields.get('csrf'));

    const confirm = await f.browse(`${f.t.issuer}${action}`, sessionToken, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    // A form POST from Latchkey's page: the browser is handed on by a page, not a 303.
    const back = new URL(await expectForwardPage(confirm));
    assert.equal(back.origin + back.pathname, POST_LOGOUT_URI);
    assert.equal(back.searchParams.get('state'), state);
    assert.ok(clearedCookie(confirm));
    assert.equal(await isLive(session.id), false);
  });

  it("when the id_token_hint names another session than the browser's, then the user is asked before the browser's session ends (RP-Initiated Logout §2: MUST ask)", async () => {
    // Logout CSRF with a hint: anyone can get an ID token of their own for this RP.
    const mallory = await f.makeUser('mallory', ['ads.viewer']);
    const malloryBrowser = await f.openSession(mallory.id);
    const { tokens: malloryTokens } = await f.signIn(rp, malloryBrowser.token);
    const victim = await signedIn();

    const ask = await f.browse(
      oidc.buildEndSessionUrl(rp, {
        id_token_hint: malloryTokens.id_token!,
        post_logout_redirect_uri: POST_LOGOUT_URI,
      }),
      victim.sessionToken,
    );
    assert.equal(ask.status, 200, 'a confirmation page, not a sign-out');
    assert.equal(clearedCookie(ask), undefined);
    assert.equal(await isLive(victim.session.id), true);
    const { action, fields } = formFields(await ask.text());

    // The user agrees: the browser's session ends, and the hinted one the RP asked about.
    const confirm = await f.browse(`${f.t.issuer}${action}`, victim.sessionToken, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    assert.ok(await expectForwardPage(confirm));
    assert.equal(await isLive(victim.session.id), false);
    assert.equal(await isLive(malloryBrowser.session.id), false);
  });

  it('when the confirmation carries a wrong or missing csrf, or comes without the cookie, then it is refused and the session lives on', async () => {
    const { sessionToken, session } = await signedIn();
    const ask = await f.browse(oidc.buildEndSessionUrl(rp), sessionToken);
    const { action, fields } = formFields(await ask.text());
    const post = (body: URLSearchParams, cookie: string | null) =>
      f.browse(`${f.t.issuer}${action}`, cookie, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });

    const wrong = new URLSearchParams(fields);
    wrong.set('csrf', 'f'.repeat(64));
    const missing = new URLSearchParams(fields);
    missing.delete('csrf');
    // A csrf made for another session's cookie.
    const other = await f.openSession();
    const otherAsk = await f.browse(oidc.buildEndSessionUrl(rp), other.token);
    const foreign = formFields(await otherAsk.text()).fields;

    for (const [what, body, cookie] of [
      ['wrong csrf', wrong, sessionToken],
      ['missing csrf', missing, sessionToken],
      ["another session's csrf", foreign, sessionToken],
      ['no cookie', fields, null],
    ] as const) {
      const res = await post(body, cookie);
      assert.equal(res.status, 400, what);
      assert.equal(await errorPageCode(res), 'invalid_request', what);
      assert.equal(clearedCookie(res), undefined, what);
      assert.equal(await isLive(session.id), true, what);
    }
    assert.equal(await isLive(other.session.id), true);
  });
});

describe('back-channel logout (OpenID Connect Back-Channel Logout 1.0) and the account page', () => {
  let f: OAuthFixture;
  let receiver: Receiver;
  let notified: Registered;
  let notifiedRp: oidc.Configuration;
  let second: Registered;
  let secondRp: oidc.Configuration;
  let bystander: Registered;

  /** A session signed in to the notified client (and optionally the second one). */
  const signedIn = async (options: { alsoSecond?: boolean; userId?: string } = {}) => {
    const { token, session } = await f.openSession(options.userId);
    const { tokens } = await f.signIn(notifiedRp, token);
    if (options.alsoSecond) await f.signIn(secondRp, token);
    return { sessionToken: token, session, tokens };
  };

  /** Logout tokens received for this sid, after every delivery finished. */
  const logoutTokensFor = async (sid: string) => {
    await f.t.app.backchannel.settled();
    return receiver.received
      .filter((r) => r.logoutToken && claimsOf(r.logoutToken).sid === sid)
      .map((r) => ({ ...r, logoutToken: r.logoutToken! }));
  };

  /** Checks a logout token the way an RP must (§2.6), and returns its claims. */
  const verifyLogoutToken = async (token: string, clientId: string) => {
    const { payload, protectedHeader } = await f.verify(token, 'logout+jwt');
    assert.equal(protectedHeader.typ, 'logout+jwt');
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.iss, f.t.issuer);
    assert.equal(payload.aud, clientId);
    assert.ok(typeof payload.iat === 'number');
    assert.ok(typeof payload.jti === 'string');
    assert.deepEqual(payload.events, { [BACKCHANNEL_EVENT]: {} });
    assert.equal('nonce' in payload, false, 'a logout token never has a nonce');
    return payload;
  };

  /** Exactly one verified logout token to the notified client for this session. */
  const assertNotified = async (sid: string, userId = f.user.id) => {
    const tokens = await logoutTokensFor(sid);
    assert.equal(tokens.length, 1, 'one logout token');
    assert.equal(tokens[0]!.contentType, 'application/x-www-form-urlencoded');
    const claims = await verifyLogoutToken(tokens[0]!.logoutToken, notified.client.id);
    assert.equal(claims.sid, sid);
    assert.equal(claims.sub, userId);
  };

  before(async () => {
    f = await startOAuthFixture();
    receiver = await startLogoutReceiver();
    notified = await f.registerClient({
      name: 'Ads Manager',
      backchannel_logout_uri: receiver.url,
    });
    notifiedRp = await f.relyingParty(notified.client, notified.secret);
    second = await f.registerClient({
      name: 'Ads Billing',
      backchannel_logout_uri: `${receiver.url}?client=billing`,
    });
    secondRp = await f.relyingParty(second.client, second.secret);
    // Registered a URI, but no session here ever signs in to it.
    bystander = await f.registerClient({
      name: 'Ads Studio',
      backchannel_logout_uri: `${receiver.url}?client=studio`,
    });
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
    await receiver.close();
  });

  it('when the user logs out at the RP (RP-initiated), then each client the session signed in to receives a verifiable logout token for the sid', async () => {
    const { sessionToken, session, tokens } = await signedIn({ alsoSecond: true });
    const res = await f.browse(
      oidc.buildEndSessionUrl(notifiedRp, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: POST_LOGOUT_URI,
      }),
      sessionToken,
    );
    assert.equal(res.status, 303);
    const received = await logoutTokensFor(session.id);
    const audiences = received.map((r) => claimsOf(r.logoutToken).aud).sort();
    assert.deepEqual(audiences, [notified.client.id, second.client.id].sort());
    for (const r of received) {
      const aud = claimsOf(r.logoutToken).aud as string;
      const claims = await verifyLogoutToken(r.logoutToken, aud);
      assert.equal(claims.sid, session.id);
      assert.equal(claims.sub, f.user.id);
    }
    assert.ok(
      !receiver.received.some(
        (r) => r.logoutToken && claimsOf(r.logoutToken).aud === bystander.client.id,
      ),
      'a client the session never signed in to hears nothing',
    );
  });

  it('when an admin ends the session, then the client receives a logout token', async () => {
    const { session } = await signedIn();
    await f.t.app.sessions.end(f.org.id, session.id, 'admin');
    await assertNotified(session.id);
  });

  it('when a rotated refresh token is reused, then the session ends and the client receives a logout token', async () => {
    const { session, tokens } = await signedIn();
    const next = await oidc.refreshTokenGrant(notifiedRp, tokens.refresh_token!);
    // Once the successor is used, the rotated token can only be a leaked copy.
    await oidc.refreshTokenGrant(notifiedRp, next.refresh_token!);
    assert.equal(
      (await oauthFailure(oidc.refreshTokenGrant(notifiedRp, tokens.refresh_token!))).error,
      'invalid_grant',
    );
    await assertNotified(session.id);
  });

  it('when an authorization code is reused, then the session ends and the client receives a logout token', async () => {
    const { token, session } = await f.openSession();
    const request = await f.authorizationRequest(notifiedRp);
    const callback = await f.authorizeRedirect(request.url, token);
    const checks = {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    };
    await oidc.authorizationCodeGrant(notifiedRp, callback, checks);
    await oauthFailure(oidc.authorizationCodeGrant(notifiedRp, callback, checks));
    await assertNotified(session.id);
  });

  it('when the user is deactivated, then every session of theirs is announced to its clients', async () => {
    const carol = await f.makeUser('carol', ['ads.viewer']);
    const first = await signedIn({ userId: carol.id });
    const other = await signedIn({ userId: carol.id });
    await f.t.app.users.deactivate(
      f.org.id,
      carol.id,
      { scope: 'platform:admin', keyId: 'test' },
      {
        requestId: null,
        ip: null,
        userAgent: null,
      },
    );
    await assertNotified(first.session.id, carol.id);
    await assertNotified(other.session.id, carol.id);
  });

  it('when the account page is opened without a session, then the browser is sent to sign in', async () => {
    const res = await f.browse(`${f.t.issuer}/account`, null);
    assert.equal(res.status, 303);
    const login = new URL(res.headers.get('location')!, f.t.issuer);
    assert.equal(login.pathname, '/login');
    assert.equal(login.searchParams.get('return_to'), '/account');
  });

  it('when the user ends another session on the account page, then its refresh token fails at once, its access token is inactive, and its client is told', async () => {
    const dave = await f.makeUser('dave', ['ads.viewer']);
    const here = await f.openSession(dave.id);
    const elsewhere = await signedIn({ userId: dave.id });
    const page = await f.browse(`${f.t.issuer}/account`, here.token);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(
      html.includes(`/account/sessions/${elsewhere.session.id}/end`),
      'the other session is listed',
    );
    // This device's own row signs this device out (issue 20), under its own label.
    assert.match(
      html,
      new RegExp(
        `action="/account/sessions/${here.session.id}/end">[\\s\\S]*?Sign out of this device`,
      ),
    );
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(csrf);

    const res = await f.browse(
      `${f.t.issuer}/account/sessions/${elsewhere.session.id}/end`,
      here.token,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf }).toString(),
      },
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account?ended=1');
    assert.equal(
      (await oauthFailure(oidc.refreshTokenGrant(notifiedRp, elsewhere.tokens.refresh_token!)))
        .error,
      'invalid_grant',
    );
    assert.deepEqual(await f.introspect(notifiedRp, elsewhere.tokens.access_token), {
      active: false,
    });
    await assertNotified(elsewhere.session.id, dave.id);
    assert.ok(await f.t.app.sessions.get(f.org.id, here.session.id), 'this session lives on');
  });

  it('when the account page form carries a wrong csrf, then 403 and nothing ends', async () => {
    const erin = await f.makeUser('erin', ['ads.viewer']);
    const here = await f.openSession(erin.id);
    const elsewhere = await f.openSession(erin.id);
    for (const path of [
      `/account/sessions/${elsewhere.session.id}/end`,
      '/account/sessions/end-others',
      '/account/sessions/end-all',
    ]) {
      const res = await f.browse(`${f.t.issuer}${path}`, here.token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: '0'.repeat(64) }).toString(),
      });
      assert.equal(res.status, 403, path);
      assert.equal(await errorPageCode(res), 'csrf_failed', path);
    }
    assert.ok(await f.t.app.sessions.get(f.org.id, elsewhere.session.id));
    assert.ok(await f.t.app.sessions.get(f.org.id, here.session.id));
  });

  it("when the account page is asked to end someone else's session, then 404 and it lives on", async () => {
    const frank = await f.makeUser('frank', ['ads.viewer']);
    const here = await f.openSession(frank.id);
    const victim = await f.openSession();
    const csrf = /name="csrf" value="([^"]+)"/.exec(
      await (await f.browse(`${f.t.issuer}/account`, here.token)).text(),
    )?.[1];
    const res = await f.browse(
      `${f.t.issuer}/account/sessions/${victim.session.id}/end`,
      here.token,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: csrf! }).toString(),
      },
    );
    assert.equal(res.status, 404);
    assert.equal(await errorPageCode(res), 'not_found');
    assert.ok(await f.t.app.sessions.get(f.org.id, victim.session.id));
  });

  it('when the user signs out everywhere on the account page, then every session ends, each client is told, and the cookie is cleared', async () => {
    const grace = await f.makeUser('grace', ['ads.viewer']);
    const here = await signedIn({ userId: grace.id });
    const elsewhere = await signedIn({ userId: grace.id });
    const csrf = /name="csrf" value="([^"]+)"/.exec(
      await (await f.browse(`${f.t.issuer}/account`, here.sessionToken)).text(),
    )?.[1];
    const res = await f.browse(`${f.t.issuer}/account/sessions/end-all`, here.sessionToken, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf! }).toString(),
    });
    assert.equal(res.status, 200);
    assert.ok(clearedCookie(res));
    await assertNotified(here.session.id, grace.id);
    await assertNotified(elsewhere.session.id, grace.id);
    assert.deepEqual(await f.introspect(notifiedRp, here.tokens.access_token), { active: false });
    assert.deepEqual(await f.introspect(notifiedRp, elsewhere.tokens.refresh_token!), {
      active: false,
    });
  });
});
