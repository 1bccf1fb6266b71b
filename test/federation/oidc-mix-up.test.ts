import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { Browser } from '../support/saml-sp-fixture.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/**
 * The mix-up attack (RFC 9700 §4.4) by a tenant: evil's OIDC connection points at an
 * "IdP" evil runs. globex's IdP is honest but, like many, does not send RFC 9207's `iss`.
 *
 * 1. The attacker starts a globex login in their own browser and keeps its state, nonce
 *    and PKCE challenge (never going to globex's IdP).
 * 2. The victim is sent to a Latchkey login at evil; evil's "IdP" sends the victim on to
 *    globex's IdP as Latchkey's client there, with the victim's state but the attacker's
 *    nonce and challenge. The victim signs in at globex's own page; globex's IdP sends the
 *    code back to Latchkey's callback. Latchkey, going by the state, redeems it at evil's
 *    token endpoint: evil now has a code for the victim, bound to the attacker's challenge.
 * 3. The attacker completes their own globex login with that code.
 *
 * RFC 9700 §4.4.2: a client of several authorization servers MUST tell which one an
 * authorization response came from: by `iss`, or by a redirect URI of its own per server.
 */
describe('OIDC mix-up: a tenant’s IdP cannot obtain and inject another IdP’s code', () => {
  let t: LiveApp;
  let globexIdp: FakeIdp;
  let evil: Server;
  let evilIssuer = '';
  const stolen: string[] = [];
  /** What the attacker's own globex login asked globex's IdP for. */
  let planted = { nonce: '', challenge: '', redirectUri: '' };

  before(async () => {
    globexIdp = await startFakeIdp({ issParameter: false });
    evil = createServer((req, res) => {
      const url = new URL(req.url ?? '/', evilIssuer);
      if (url.pathname === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer: evilIssuer,
            authorization_endpoint: `${evilIssuer}/authorize`,
            token_endpoint: `${evilIssuer}/token`,
            jwks_uri: `${evilIssuer}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['ES256'],
          }),
        );
        return;
      }
      if (url.pathname === '/authorize') {
        // On to globex's IdP as Latchkey's client there, with the redirect URI registered
        // there (globex's IdP takes no other): the victim's state, the attacker's nonce
        // and PKCE challenge.
        const next = new URL(`${globexIdp.issuer}/authorize`);
        next.searchParams.set('client_id', globexIdp.clientId);
        next.searchParams.set('response_type', 'code');
        next.searchParams.set('scope', 'openid email profile');
        next.searchParams.set('redirect_uri', planted.redirectUri);
        next.searchParams.set('state', url.searchParams.get('state')!);
        next.searchParams.set('nonce', planted.nonce);
        next.searchParams.set('code_challenge', planted.challenge);
        next.searchParams.set('code_challenge_method', 'S256');
        res.writeHead(302, { location: next.toString() }).end();
        return;
      }
      if (url.pathname === '/token') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const code = new URLSearchParams(Buffer.concat(chunks).toString()).get('code');
          if (code) stolen.push(code);
          res
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'invalid_grant' }));
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilIssuer = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;

    t = await startLiveApp();
    for (const [slug, domain, issuer, clientId, clientSecret] of [
      ['globex', 'globex.test', globexIdp.issuer, globexIdp.clientId, globexIdp.clientSecret],
      ['evil', 'evil.test', evilIssuer, 'latchkey-at-evil', 'evil-secret'],
    ] as const) {
      const org = await t.app.orgs.create({ slug, name: slug }, platform, ctx);
      await verifiedDomain(t, org.id, domain);
      // Evil's IdP publishes no keys: it could pass the checks at activation and change after.
      await activeOidcConnection(
        t,
        org.id,
        { issuer, clientId, clientSecret },
        { name: `${slug} IdP` },
        { broken: slug === 'evil' },
      );
    }
  });

  after(async () => {
    await t.close();
    await globexIdp.close();
    await new Promise<void>((resolve) => {
      evil.closeAllConnections();
      evil.close(() => resolve());
    });
  });

  it('when evil’s IdP relays the victim to globex’s IdP, then the code never reaches evil, and the attacker cannot sign in as the victim', async () => {
    // 1. The attacker's own globex login, stopped before globex's IdP.
    const attacker = new Browser();
    const own = await attacker.get(`${t.issuer}/login?login_hint=x%40globex.test`);
    assert.equal(own.status, 303);
    const toGlobex = new URL(own.headers.get('location')!);
    assert.equal(toGlobex.origin, globexIdp.issuer);
    planted = {
      nonce: toGlobex.searchParams.get('nonce')!,
      challenge: toGlobex.searchParams.get('code_challenge')!,
      redirectUri: toGlobex.searchParams.get('redirect_uri')!,
    };
    const attackerState = toGlobex.searchParams.get('state')!;

    // 2. The victim, sent to a login at evil, signs in at globex's IdP.
    globexIdp.next({
      sub: 'idp-victim',
      email: 'victim@globex.test',
      email_verified: true,
      name: 'Victim',
    });
    const victim = new Browser();
    const atEvil = await victim.get(`${t.issuer}/login?login_hint=x%40evil.test`);
    assert.equal(atEvil.status, 303);
    assert.ok(atEvil.headers.get('location')!.startsWith(evilIssuer));
    const relayed = await fetch(atEvil.headers.get('location')!, { redirect: 'manual' });
    const atGlobex = await fetch(relayed.headers.get('location')!, { redirect: 'manual' });
    const callback = atGlobex.headers.get('location')!;
    assert.ok(callback.startsWith(t.issuer), callback);
    await victim.get(callback);

    // 3. Whatever evil got, the attacker completes their own globex login with it.
    for (const code of stolen) {
      const injected = new URL(callback);
      injected.searchParams.set('state', attackerState);
      injected.searchParams.set('code', code);
      const res = await attacker.get(injected.toString());
      assert.notEqual(
        res.status === 303 && res.headers.get('location') === '/account',
        true,
        'the attacker is signed in as the victim',
      );
    }
    assert.deepEqual(stolen, [], 'globex’s code was sent to evil’s token endpoint');
  });
});
