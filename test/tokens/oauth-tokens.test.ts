import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as oidc from 'openid-client';
import { base64url, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { signJwt } from '../../src/tokens/index.js';
import {
  claimsOf,
  headerOf,
  oauthErrorOf,
  oauthFailure,
  startOAuthFixture,
  type OAuthFixture,
} from '../support/oauth.js';
import { TEST_REDIS_URL } from '../support/services.js';
import { proxyInFrontOf, type tcpProxy } from '../support/tcp-proxy.js';

type Registered = Awaited<ReturnType<OAuthFixture['registerClient']>>;

describe('OAuth 2 tokens: refresh, client credentials, introspection, revocation, userinfo', () => {
  let f: OAuthFixture;
  let app: Registered;
  let rp: oidc.Configuration;

  /** A fresh session signed in to the app: its tokens, through openid-client. */
  const signedIn = async () => {
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    return { session, sessionToken: token, tokens };
  };

  before(async () => {
    f = await startOAuthFixture();
    app = await f.registerClient({
      allowed_scopes: ['openid', 'profile', 'email', 'offline_access', 'ads:read', 'ads:write'],
      allowed_audiences: ['https://ads-api.example', 'urn:ads:reports'],
    });
    rp = await f.relyingParty(app.client, app.secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  describe('refresh tokens (RFC 6749 §6, RFC 9700 §4.14)', () => {
    it('when a refresh token is used, then it is rotated every time and each new pair works', async () => {
      const { tokens, session } = await signedIn();
      const seen = new Set([tokens.refresh_token!]);
      let current: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers = tokens;
      for (let i = 0; i < 3; i += 1) {
        const next = await oidc.refreshTokenGrant(rp, current.refresh_token!);
        assert.ok(next.refresh_token, 'a new refresh token');
        assert.ok(!seen.has(next.refresh_token), 'never the same one');
        seen.add(next.refresh_token);
        const claims = claimsOf(next.access_token);
        assert.equal(claims.sid, session.id);
        assert.equal(claims.sub, f.user.id);
        assert.notEqual(claims.jti, claimsOf(current.access_token).jti);
        assert.equal(next.claims()?.sid, session.id, 'a refreshed ID token for the same session');
        assert.equal(next.claims()?.auth_time, session.authTime);
        assert.equal((await f.introspect(rp, next.refresh_token, 'refresh_token')).active, true);
        assert.equal(
          (await f.introspect(rp, current.refresh_token!, 'refresh_token')).active,
          false,
        );
        current = next;
      }
    });

    it('when a rotated refresh token is presented again, then invalid_grant and the whole session ends: the newest refresh token fails and introspection says inactive', async () => {
      const { tokens, session } = await signedIn();
      const rotated = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
      const newest = await oidc.refreshTokenGrant(rp, rotated.refresh_token!);

      const reuse = await oauthFailure(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
      assert.equal(reuse.status, 400);
      assert.equal(reuse.error, 'invalid_grant');

      assert.equal(await f.t.app.sessions.get(f.org.id, session.id), null, 'the session ended');
      assert.equal(await f.t.app.sessions.isRevoked(session.id), true, 'and is tombstoned');
      assert.equal(
        (await oauthFailure(oidc.refreshTokenGrant(rp, newest.refresh_token!))).error,
        'invalid_grant',
      );
      assert.equal((await f.introspect(rp, newest.access_token)).active, false);
      assert.equal((await f.introspect(rp, newest.refresh_token!)).active, false);
      assert.equal((await f.introspect(rp, tokens.access_token)).active, false);
    });

    it('when a narrower scope is asked for, then the access token has it, and the refresh token keeps the scope originally granted (RFC 6749 §6)', async () => {
      const { tokens } = await signedIn();
      const narrow = await oidc.refreshTokenGrant(rp, tokens.refresh_token!, { scope: 'openid' });
      assert.equal(narrow.scope, 'openid');
      assert.equal(claimsOf(narrow.access_token).scope, 'openid');
      assert.equal(narrow.claims()?.email, undefined, 'no email claim without the email scope');

      const refreshIntrospection = await f.introspect(rp, narrow.refresh_token!, 'refresh_token');
      assert.equal(refreshIntrospection.scope, 'openid email profile offline_access');
      const full = await oidc.refreshTokenGrant(rp, narrow.refresh_token!);
      assert.equal(full.scope, 'openid email profile offline_access');
    });

    it('when a wider scope is asked for, then invalid_scope and no token is issued', async () => {
      const { tokens } = await signedIn();
      const failure = await oauthFailure(
        oidc.refreshTokenGrant(rp, tokens.refresh_token!, { scope: 'openid ads:write' }),
      );
      assert.equal(failure.status, 400);
      assert.equal(failure.error, 'invalid_scope');
    });

    it('when another client presents the refresh token, then invalid_grant', async () => {
      const { tokens } = await signedIn();
      const other = await f.registerClient({ name: 'Other app' });
      const otherRp = await f.relyingParty(other.client, other.secret);
      const failure = await oauthFailure(oidc.refreshTokenGrant(otherRp, tokens.refresh_token!));
      assert.equal(failure.error, 'invalid_grant');
    });

    it('when the refresh token is not one Latchkey issued, then invalid_grant', async () => {
      const failure = await oauthFailure(oidc.refreshTokenGrant(rp, 'rt_forged-refresh-token'));
      assert.equal(failure.error, 'invalid_grant');
    });

    it('when the session ended, then its refresh token fails with invalid_grant', async () => {
      const { tokens, session } = await signedIn();
      await f.t.app.sessions.end(f.org.id, session.id, 'admin');
      assert.equal(
        (await oauthFailure(oidc.refreshTokenGrant(rp, tokens.refresh_token!))).error,
        'invalid_grant',
      );
    });

    it('when a public client refreshes, then it needs no secret and rotation applies too', async () => {
      const mobile = await f.registerPublicClient();
      const mobileRp = await f.relyingParty(mobile.client, null);
      const { token } = await f.openSession();
      const { tokens } = await f.signIn(mobileRp, token);
      const next = await oidc.refreshTokenGrant(mobileRp, tokens.refresh_token!);
      assert.notEqual(next.refresh_token, tokens.refresh_token);
      // Once the successor is used, the rotated token can only be a leaked copy.
      await oidc.refreshTokenGrant(mobileRp, next.refresh_token!);
      assert.equal(
        (await oauthFailure(oidc.refreshTokenGrant(mobileRp, tokens.refresh_token!))).error,
        'invalid_grant',
      );
    });

    it('when a client has no refresh_token grant, then the code flow issues no refresh token', async () => {
      const noRefresh = await f.registerClient({
        name: 'Ads dashboard',
        grant_types: ['authorization_code'],
      });
      const noRefreshRp = await f.relyingParty(noRefresh.client, noRefresh.secret);
      const { token } = await f.openSession();
      const { tokens } = await f.signIn(noRefreshRp, token);
      assert.equal(tokens.refresh_token, undefined);
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

  describe('client credentials (RFC 6749 §4.4)', () => {
    it('when a backend service asks for a token, then it stands for the client itself: sub = client_id, no session, no user claims', async () => {
      const tokens = await oidc.clientCredentialsGrant(rp);
      assert.equal(tokens.refresh_token, undefined);
      assert.equal(tokens.id_token, undefined);
      const header = headerOf(tokens.access_token);
      assert.equal(header.typ, 'at+jwt');
      assert.equal(header.alg, 'ES256');
      const { payload } = await f.verify(tokens.access_token, 'at+jwt');
      assert.equal(payload.sub, app.client.id);
      assert.equal(payload.client_id, app.client.id);
      assert.equal(payload.iss, f.t.issuer);
      for (const absent of ['sid', 'org_id', 'roles', 'auth_time', 'amr'])
        assert.equal(payload[absent], undefined, `no ${absent}`);
      assert.ok(payload.jti);
      assert.equal(payload.exp! - Math.floor(payload.iat!), 300);
      assert.equal((await f.introspect(rp, tokens.access_token)).active, true);
    });

    it('when scopes are asked for, then allowed ones are granted, user-only ones dropped, and others refused with invalid_scope', async () => {
      const none = await oidc.clientCredentialsGrant(rp);
      assert.equal(claimsOf(none.access_token).scope, '');

      const granted = await oidc.clientCredentialsGrant(rp, {
        scope: 'ads:read openid offline_access',
      });
      assert.equal(granted.scope, 'ads:read');
      assert.equal(claimsOf(granted.access_token).scope, 'ads:read');

      const refused = await oauthFailure(oidc.clientCredentialsGrant(rp, { scope: 'ads:admin' }));
      assert.equal(refused.status, 400);
      assert.equal(refused.error, 'invalid_scope');
    });

    it('when an audience is asked for with resource, then it is the only aud; one not allowed is invalid_target', async () => {
      const all = await oidc.clientCredentialsGrant(rp);
      assert.deepEqual(claimsOf(all.access_token).aud, [
        'https://ads-api.example',
        'urn:ads:reports',
      ]);
      const one = await oidc.clientCredentialsGrant(rp, { resource: 'urn:ads:reports' });
      assert.equal(claimsOf(one.access_token).aud, 'urn:ads:reports');
      const refused = await oauthFailure(
        oidc.clientCredentialsGrant(rp, { resource: 'https://billing.example' }),
      );
      assert.equal(refused.error, 'invalid_target');
    });

    it('when a client without the grant asks, then unauthorized_client', async () => {
      const dashboard = await f.registerClient({
        name: 'Dashboard only',
        grant_types: ['authorization_code'],
      });
      const dashboardRp = await f.relyingParty(dashboard.client, dashboard.secret);
      const refused = await oauthFailure(oidc.clientCredentialsGrant(dashboardRp));
      assert.equal(refused.error, 'unauthorized_client');
    });
  });

  describe('introspection (RFC 7662)', () => {
    it('when the caller does not authenticate, then 401 invalid_client; a public client cannot introspect', async () => {
      const { tokens } = await signedIn();
      const anonymous = await f.post('/oauth/introspect', { token: tokens.access_token });
      assert.deepEqual(await oauthErrorOf(anonymous), { status: 401, error: 'invalid_client' });

      const mobile = await f.registerPublicClient({ name: 'Introspecting mobile' });
      const asPublic = await f.post('/oauth/introspect', {
        token: tokens.access_token,
        client_id: mobile.client.id,
      });
      assert.deepEqual(await oauthErrorOf(asPublic), { status: 401, error: 'invalid_client' });

      const wrongSecret = await f.post('/oauth/introspect', { token: tokens.access_token }, [
        app.client.id,
        'C'.repeat(43),
      ]);
      assert.equal(wrongSecret.status, 401);
      assert.match(wrongSecret.headers.get('www-authenticate') ?? '', /^Basic /);
    });

    it('when a live access token is introspected, then it is active with its claims', async () => {
      const { tokens, session } = await signedIn();
      const result = await f.introspect(rp, tokens.access_token);
      assert.equal(result.active, true);
      assert.equal(result.sub, f.user.id);
      assert.equal(result.client_id, app.client.id);
      assert.equal(result.sid, session.id);
      assert.equal(result.iss, f.t.issuer);
      assert.equal(result.scope, 'openid email profile offline_access');
      assert.equal(result.exp, claimsOf(tokens.access_token).exp);
    });

    it('when a live refresh token is introspected, then it is active as a refresh_token of its client', async () => {
      const { tokens, session } = await signedIn();
      for (const hint of [undefined, 'refresh_token', 'access_token'] as const) {
        const result = await f.introspect(rp, tokens.refresh_token!, hint);
        assert.equal(result.active, true, String(hint));
        assert.equal(result.token_type, 'refresh_token');
        assert.equal(result.client_id, app.client.id);
        assert.equal(result.sub, f.user.id);
        assert.equal(result.sid, session.id);
      }
    });

    /** A backend API: it only introspects, and its registered audience is the Ads API. */
    const adsApi = async () => {
      const registered = await f.registerClient({
        name: 'Ads API',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        post_logout_redirect_uris: [],
        allowed_audiences: ['https://ads-api.example'],
      });
      return f.relyingParty(registered.client, registered.secret);
    };

    it('when another client introspects a live access token, then exactly { active: false }, as for an unknown token (RFC 7662 §4)', async () => {
      const { tokens } = await signedIn();
      const service = await oidc.clientCredentialsGrant(rp);
      const other = await f.registerClient({ name: 'Nosy app' });
      const nosy = await f.relyingParty(other.client, other.secret);
      for (const token of [tokens.access_token, service.access_token]) {
        for (const hint of [undefined, 'access_token', 'refresh_token'] as const) {
          assert.deepEqual(await f.introspect(nosy, token, hint), { active: false }, String(hint));
        }
        assert.equal((await f.introspect(rp, token)).active, true, 'its own client still sees it');
      }
    });

    it('when a resource server introspects a token issued for its audience, then it is active with its claims', async () => {
      const resourceServer = await adsApi();
      const { tokens, session } = await signedIn();
      assert.deepEqual(claimsOf(tokens.access_token).aud, [
        'https://ads-api.example',
        'urn:ads:reports',
      ]);
      const result = await f.introspect(resourceServer, tokens.access_token);
      assert.equal(result.active, true);
      assert.equal(result.client_id, app.client.id);
      assert.equal(result.sub, f.user.id);
      assert.equal(result.sid, session.id);
      assert.equal(result.scope, 'openid email profile offline_access');

      const forIt = await oidc.clientCredentialsGrant(rp, { resource: 'https://ads-api.example' });
      const served = await f.introspect(resourceServer, forIt.access_token);
      assert.equal(served.active, true);
      assert.equal(served.aud, 'https://ads-api.example');
      assert.equal(served.client_id, app.client.id);
    });

    it('when a resource server introspects a token issued for another audience, then { active: false }', async () => {
      const resourceServer = await adsApi();
      const reports = await oidc.clientCredentialsGrant(rp, { resource: 'urn:ads:reports' });
      assert.equal(claimsOf(reports.access_token).aud, 'urn:ads:reports');
      assert.deepEqual(await f.introspect(resourceServer, reports.access_token), {
        active: false,
      });
      assert.equal((await f.introspect(rp, reports.access_token)).active, true);
    });

    it('when another client or a resource server of its audience introspects a live refresh token, then { active: false }; its own client sees it', async () => {
      const { tokens } = await signedIn();
      const other = await f.registerClient({ name: 'Nosy app' });
      const callers = {
        'another client': await f.relyingParty(other.client, other.secret),
        'a resource server of its audience': await adsApi(),
      };
      for (const [who, caller] of Object.entries(callers)) {
        for (const hint of [undefined, 'refresh_token', 'access_token'] as const) {
          assert.deepEqual(
            await f.introspect(caller, tokens.refresh_token!, hint),
            { active: false },
            `${who}, hint ${String(hint)}`,
          );
        }
      }
      const own = await f.introspect(rp, tokens.refresh_token!, 'refresh_token');
      assert.equal(own.active, true);
      assert.equal(own.client_id, app.client.id);
    });

    it('when the session ends, then its access and refresh tokens introspect as inactive', async () => {
      const { tokens, session } = await signedIn();
      await f.t.app.sessions.end(f.org.id, session.id, 'admin');
      assert.deepEqual(await f.introspect(rp, tokens.access_token), { active: false });
      assert.deepEqual(await f.introspect(rp, tokens.refresh_token!), { active: false });
    });

    it('when the user is deactivated, then every token of theirs introspects as inactive', async () => {
      const bob = await f.makeUser('bob', ['ads.viewer']);
      const { token } = await f.openSession(bob.id);
      const { tokens } = await f.signIn(rp, token);
      await f.t.app.users.deactivate(
        f.org.id,
        bob.id,
        { scope: 'platform:admin', keyId: 'test' },
        {
          requestId: null,
          ip: null,
          userAgent: null,
        },
      );
      assert.equal((await f.introspect(rp, tokens.access_token)).active, false);
      assert.equal((await f.introspect(rp, tokens.refresh_token!)).active, false);
    });

    it('when an access token has expired by the clock, then it introspects as inactive', async () => {
      const { tokens } = await signedIn();
      const { exp } = claimsOf(tokens.access_token);
      f.clock.set((exp! - 1) * 1000);
      assert.equal((await f.introspect(rp, tokens.access_token)).active, true, 'just before exp');
      // Past exp and the 5 s tolerance for skew between Latchkey processes.
      f.clock.set((exp! + 6) * 1000);
      assert.deepEqual(await f.introspect(rp, tokens.access_token), { active: false });
    });

    it('when the token is forged or tampered with in any way, then it introspects as inactive and userinfo refuses it', async () => {
      const { tokens } = await signedIn();
      const genuine = tokens.access_token;
      const claims = claimsOf(genuine);
      const { kid } = headerOf(genuine);
      const jwks = (await (await fetch(`${f.t.issuer}/.well-known/jwks.json`)).json()) as {
        keys: JWK[];
      };
      const publicJwk = jwks.keys.find((k) => k.kid === kid)!;
      const publicPem = createPublicKey({ key: publicJwk as never, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
      const [, , signature] = genuine.split('.');
      const withClaims = (extra: JWTPayload) => ({ ...claims, ...extra });
      const withoutExp = Object.fromEntries(
        Object.entries(claims).filter(([name]) => name !== 'exp'),
      ) as JWTPayload;
      const otherKey = await generateKeyPair('ES256');

      const forged: Record<string, string> = {
        'alg none': `${encode({ alg: 'none', typ: 'at+jwt', kid })}.${encode(claims)}.`,
        'alg none without signature part': `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(claims)}`,
        'HS256 keyed with the public key (PEM)': await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
          .sign(new TextEncoder().encode(publicPem)),
        'HS256 keyed with the public key (JWK JSON)': await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
          .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
        'an unknown kid': await new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'not-a-latchkey-key' })
          .sign(otherKey.privateKey),
        'another ES256 key with the same kid': await new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
          .sign(otherKey.privateKey),
        'a modified payload': `${encode({ alg: 'ES256', typ: 'at+jwt', kid })}.${encode(
          withClaims({ roles: ['ads.admin'] }),
        )}.${signature}`,
        'a modified header (typ dropped)': `${encode({ alg: 'ES256', kid })}.${genuine.split('.')[1]}.${signature}`,
        // Signed with Latchkey's own key, so only the claim checks can refuse them.
        'a missing exp': await signJwt(f.t.app.keyRing, 'at+jwt', withoutExp),
        'typ JWT instead of at+jwt': await signJwt(f.t.app.keyRing, 'JWT', claims),
        'a wrong iss': await signJwt(
          f.t.app.keyRing,
          'at+jwt',
          withClaims({ iss: 'https://evil.example' }),
        ),
        'an ID token': tokens.id_token!,
        'not a JWT': 'abc.def.ghi',
      };
      for (const [what, token] of Object.entries(forged)) {
        assert.deepEqual(await f.introspect(rp, token), { active: false }, what);
        const userinfo = await fetch(`${f.t.issuer}/oauth/userinfo`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(userinfo.status, 401, what);
        assert.equal((await oauthErrorOf(userinfo)).error, 'invalid_token', what);
      }
      assert.equal((await f.introspect(rp, genuine)).active, true, 'the genuine token still is');
    });

    it('when the token parameter is missing, then invalid_request', async () => {
      const res = await f.post('/oauth/introspect', {}, [app.client.id, app.secret!]);
      assert.deepEqual(await oauthErrorOf(res), { status: 400, error: 'invalid_request' });
    });
  });

  describe('revocation (RFC 7009)', () => {
    it('when a refresh token is revoked, then it cannot be used nor introspected', async () => {
      const { tokens, session } = await signedIn();
      await oidc.tokenRevocation(rp, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
      assert.equal(
        (await oauthFailure(oidc.refreshTokenGrant(rp, tokens.refresh_token!))).error,
        'invalid_grant',
      );
      assert.deepEqual(await f.introspect(rp, tokens.refresh_token!), { active: false });
      assert.ok(
        await f.t.app.sessions.get(f.org.id, session.id),
        'revoking a grant is not a logout',
      );
    });

    it('when a refresh token is revoked after rotation, then the newest one is dead too', async () => {
      const { tokens } = await signedIn();
      const rotated = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
      await oidc.tokenRevocation(rp, rotated.refresh_token!);
      assert.equal(
        (await oauthFailure(oidc.refreshTokenGrant(rp, rotated.refresh_token!))).error,
        'invalid_grant',
      );
    });

    it('when a refresh token is revoked, then the access tokens its grant issued are revoked with it (RFC 7009 §2.1)', async () => {
      const { tokens, session } = await signedIn();
      const rotated = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
      const other = await signedIn();
      await oidc.tokenRevocation(rp, rotated.refresh_token!, { token_type_hint: 'refresh_token' });
      assert.deepEqual(await f.introspect(rp, tokens.access_token), { active: false });
      assert.deepEqual(await f.introspect(rp, rotated.access_token), { active: false });
      assert.equal(
        (await f.introspect(rp, other.tokens.access_token)).active,
        true,
        "another grant's access token lives on",
      );
      assert.ok(await f.t.app.sessions.get(f.org.id, session.id), 'not a logout');
    });

    it('when an access token is revoked, then introspection says inactive and userinfo refuses it', async () => {
      const { tokens } = await signedIn();
      await oidc.tokenRevocation(rp, tokens.access_token, { token_type_hint: 'access_token' });
      assert.deepEqual(await f.introspect(rp, tokens.access_token), { active: false });
      const failure = await oauthFailure(
        oidc.fetchUserInfo(rp, tokens.access_token, oidc.skipSubjectCheck),
      );
      assert.equal(failure.status, 401);
      assert.equal(failure.error, 'invalid_token');
    });

    it('when an unknown or malformed token is revoked, then 200 all the same', async () => {
      for (const token of ['rt_unknown', 'not a token', 'a.b.c']) {
        const res = await f.post('/oauth/revoke', { token }, [app.client.id, app.secret!]);
        assert.equal(res.status, 200, token);
      }
      await oidc.tokenRevocation(rp, 'rt_unknown-through-openid-client');
    });

    it("when a client revokes another client's tokens, then it is refused (RFC 7009 §2.1) and nothing is revoked", async () => {
      const { tokens } = await signedIn();
      const other = await f.registerClient({ name: 'Nosy app' });
      for (const token of [tokens.refresh_token!, tokens.access_token]) {
        const res = await f.post('/oauth/revoke', { token }, [other.client.id, other.secret!]);
        assert.deepEqual(await oauthErrorOf(res), { status: 400, error: 'unauthorized_client' });
      }
      assert.equal((await f.introspect(rp, tokens.access_token)).active, true);
      const next = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
      assert.ok(next.access_token);
    });

    it('when the caller does not authenticate, then 401 invalid_client', async () => {
      const { tokens } = await signedIn();
      const res = await f.post('/oauth/revoke', { token: tokens.refresh_token! });
      assert.deepEqual(await oauthErrorOf(res), { status: 401, error: 'invalid_client' });
    });
  });

  describe('userinfo (OIDC Core §5.3)', () => {
    it('when a live access token is presented, then the user is described: sub, email, org_id, roles', async () => {
      const { tokens } = await signedIn();
      const info = await oidc.fetchUserInfo(rp, tokens.access_token, f.user.id);
      assert.equal(info.sub, f.user.id);
      assert.equal(info.email, 'alice@acme.example');
      assert.equal(info.email_verified, true);
      assert.equal(info.org_id, f.org.id);
      assert.deepEqual(info.roles, ['ads.editor', 'ads.viewer']);
    });

    it('when the session has ended, then 401 invalid_token with a Bearer challenge', async () => {
      const { tokens, session } = await signedIn();
      await f.t.app.sessions.end(f.org.id, session.id, 'logout');
      const res = await fetch(`${f.t.issuer}/oauth/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
      assert.equal((await oauthErrorOf(res)).error, 'invalid_token');
      const failure = await oauthFailure(oidc.fetchUserInfo(rp, tokens.access_token, f.user.id));
      assert.equal(failure.status, 401);
    });

    it('when a client-credentials token (no user, no session) is presented, then 401', async () => {
      const service = await oidc.clientCredentialsGrant(rp, { scope: 'ads:read' });
      const res = await fetch(`${f.t.issuer}/oauth/userinfo`, {
        headers: { authorization: `Bearer ${service.access_token}` },
      });
      assert.equal(res.status, 401);
      assert.equal((await oauthErrorOf(res)).error, 'invalid_token');
    });

    it('when no token is presented, then 401 with a Bearer challenge', async () => {
      const res = await fetch(`${f.t.issuer}/oauth/userinfo`);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
    });

    it('when the access token lacks the openid scope, then 403 insufficient_scope', async () => {
      const { tokens } = await signedIn();
      const narrow = await oidc.refreshTokenGrant(rp, tokens.refresh_token!, {
        scope: 'email',
      });
      const res = await fetch(`${f.t.issuer}/oauth/userinfo`, {
        headers: { authorization: `Bearer ${narrow.access_token}` },
      });
      assert.equal(res.status, 403);
      assert.equal((await oauthErrorOf(res)).error, 'insufficient_scope');
    });
  });
});

describe('OAuth 2 endpoints when Redis is unreachable', () => {
  let f: OAuthFixture;
  let proxy: ReturnType<typeof tcpProxy>;

  /** Waits until the app says it is ready again (its Redis client reconnected). */
  const untilReady = async () => {
    for (;;) {
      const res = await fetch(`${f.t.issuer}/readyz`);
      if (res.status === 200) return;
      await sleep(50);
    }
  };

  before(async () => {
    let redisUrl: string;
    ({ proxy, url: redisUrl } = await proxyInFrontOf(TEST_REDIS_URL));
    await proxy.start();
    f = await startOAuthFixture({ redisUrl });
  });
  after(async () => {
    await f.close();
    await proxy.stop();
  });

  // The timeout only bounds the wait for reconnection if it never comes; nothing is timed.
  it(
    'when Redis goes away, then the token endpoint and introspection answer 503 temporarily_unavailable, and both recover when it returns',
    { timeout: 60_000 },
    async () => {
      const app = await f.registerClient();
      const rp = await f.relyingParty(app.client, app.secret);
      const { token } = await f.openSession();
      const pending = await f.authorizationRequest(rp);
      const callback = await f.authorizeRedirect(pending.url, token);
      const { tokens } = await f.signIn(rp, token);

      await proxy.stop();

      const refresh = await oauthFailure(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
      assert.deepEqual([refresh.status, refresh.error], [503, 'temporarily_unavailable']);
      const code = await oauthFailure(
        oidc.authorizationCodeGrant(rp, callback, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
        }),
      );
      assert.deepEqual([code.status, code.error], [503, 'temporarily_unavailable']);
      for (const candidate of [tokens.access_token, tokens.refresh_token!]) {
        const res = await f.post('/oauth/introspect', { token: candidate }, [
          app.client.id,
          app.secret!,
        ]);
        assert.deepEqual(await oauthErrorOf(res), {
          status: 503,
          error: 'temporarily_unavailable',
        });
      }
      const userinfo = await fetch(`${f.t.issuer}/oauth/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      assert.equal(userinfo.status, 503);
      const authorize = await f.browse((await f.authorizationRequest(rp)).url, token);
      assert.equal(authorize.status, 503, 'no code without a stored session');
      assert.equal(authorize.headers.get('location'), null);

      await proxy.start();
      await untilReady();

      // Nothing was consumed while Redis was away: the same refresh token and code work.
      assert.equal((await f.introspect(rp, tokens.access_token)).active, true);
      const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
      assert.ok(refreshed.access_token);
      const redeemed = await oidc.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      assert.ok(redeemed.access_token);
    },
  );
});
