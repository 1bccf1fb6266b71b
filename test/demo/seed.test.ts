import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { seedDemo } from '../../src/demo/seed.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logger.js';
import type { AdminPrincipal } from '../../src/orgs/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { freePort } from '../support/tcp-proxy.js';

const PLATFORM: AdminPrincipal = { scope: 'platform:admin', keyId: 'test' };
const ALL = { limit: 200, afterId: null };

describe('development seed', () => {
  let t: TestApp;
  let idpPort: number;
  before(async () => {
    idpPort = await freePort();
    t = await startTestApp({
      env: {
        LATCHKEY_DEMO_ENABLED: 'true',
        LATCHKEY_DEMO_OIDC_IDP_PORT: String(idpPort),
        LATCHKEY_DEMO_SAML_IDP_PORT: '0',
      },
    });
  });
  after(async () => {
    await t.close();
  });

  /** One development start: seed, then stop the IdP again (as a shutdown does). */
  const seedOnce = async () => {
    const lines: string[] = [];
    const demo = await seedDemo(t.app, (line) => lines.push(line));
    return { lines, demo };
  };

  it('when Latchkey first starts in development, then a working platform key is printed once, and never again: later starts say how to make a new one', async () => {
    const first = await seedOnce();
    await first.demo.close();
    const key = /lk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/.exec(first.lines.join('\n'))?.[0];
    assert.ok(key, 'the key is printed');
    const res = await request(t.app.http).get('/api/v1/orgs').set('Authorization', `Bearer ${key}`);
    assert.equal(res.status, 200);
    const second = await seedOnce();
    await second.demo.close();
    const again = second.lines.join('\n');
    assert.doesNotMatch(again, /lk_/, 'the key is never shown again');
    assert.match(again, /platform:admin key [0-9a-f-]{36} exists/);
    assert.match(again, /npm run cli -- apikeys create --platform/, 'how to make a new one');
    const { rows } = await t.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys WHERE scope = 'platform:admin'`,
    );
    assert.equal(rows[0]!.n, 1);
    assert.ok(!t.logs.text.includes(key), 'the key is printed, never logged');
  });

  it('when the seed runs twice, then acme, its verified domain and one active OIDC connection to the demo IdP exist once', async () => {
    await (await seedOnce()).demo.close();
    const { lines, demo } = await seedOnce();
    try {
      const issuer = `http://127.0.0.1:${idpPort}`;
      assert.equal(demo.oidcIdpIssuer, issuer);

      const orgs = await t.app.orgs.list(PLATFORM, ALL);
      const acme = orgs.items.filter((o) => o.slug === 'acme');
      assert.equal(acme.length, 1);
      assert.equal(acme[0]!.name, 'Acme Retail');
      const orgId = acme[0]!.id;

      const domains = (await t.app.domains.list(orgId, PLATFORM, ALL)).items;
      assert.deepEqual(
        domains.map((d) => [d.domain, d.status, d.verificationMethod]),
        [['acme.test', 'verified', 'attestation']],
      );

      const connections = (await t.app.connections.list(orgId, PLATFORM, ALL)).items;
      assert.equal(connections.length, 1);
      const connection = connections[0]!;
      assert.equal(connection.type, 'oidc');
      assert.equal(connection.name, 'Acme IdP');
      assert.equal(connection.status, 'active');
      assert.deepEqual(
        (await t.app.connections.listActiveConnections(orgId)).map((c) => c.id),
        [connection.id],
      );
      assert.ok(connection.type === 'oidc');
      assert.equal(connection.settings.issuer, issuer);
      assert.equal(connection.settings.clientId, 'latchkey');

      assert.ok(
        lines.some((line) => line.includes(issuer)),
        'the banner names the IdP',
      );
      for (const email of [
        'alice@acme.test',
        'bob@acme.test',
        'eve@outsider.test',
        'mallory@acme.test',
      ]) {
        assert.ok(
          lines.some((line) => line.includes(email)),
          `the banner lists ${email}`,
        );
      }

      // The restarted IdP knows the client secret the connection holds: with it, the token
      // endpoint authenticates the client and only the (made-up) code is refused.
      const stored = await t.app.connections.getConnectionForLogin(connection.id);
      assert.ok(stored?.clientSecret);
      const token = async (secret: string) => {
        const res = await fetch(`${issuer}/token`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`latchkey:${secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: 'not-a-code',
            redirect_uri: `${t.config.server.issuer}/login/oidc/callback/${connection.id}`,
            code_verifier: 'a'.repeat(43),
          }).toString(),
        });
        return ((await res.json()) as { error: string }).error;
      };
      assert.equal(await token(stored.clientSecret), 'invalid_grant');
      assert.equal(await token('some-other-secret'), 'invalid_client');

      // The platform team's org (the admin console's, config console.platformOrg): once,
      // with its own active connection to the same IdP, platform-admins → the admin role.
      const platform = orgs.items.filter((o) => o.slug === t.config.console.platformOrg);
      assert.equal(platform.length, 1);
      const staff = (await t.app.connections.list(platform[0]!.id, PLATFORM, ALL)).items;
      assert.deepEqual(
        staff.map((c) => [c.name, c.status, c.settings.roleMapping]),
        [['Latchkey staff IdP', 'active', { 'platform-admins': 'platform:admin' }]],
      );
      assert.ok(lines.some((line) => line.includes('ops@latchkey.test')));
    } finally {
      await demo.close();
    }
  });

  it('when the seed runs twice, then globex, its verified domain and one active SAML connection to the dev SAML IdP exist once, in line with its current metadata', async () => {
    const first = await seedOnce();
    await first.demo.close();
    const { lines, demo } = await seedOnce();
    try {
      assert.notEqual(demo.samlIdpEntityId, first.demo.samlIdpEntityId, 'port 0: a new port');
      const orgs = (await t.app.orgs.list(PLATFORM, ALL)).items.filter((o) => o.slug === 'globex');
      assert.equal(orgs.length, 1);
      assert.equal(orgs[0]!.name, 'Globex');
      const orgId = orgs[0]!.id;
      const domains = (await t.app.domains.list(orgId, PLATFORM, ALL)).items;
      assert.deepEqual(
        domains.map((d) => [d.domain, d.status, d.verificationMethod]),
        [['globex.test', 'verified', 'attestation']],
      );
      const connections = (await t.app.connections.list(orgId, PLATFORM, ALL)).items;
      assert.equal(connections.length, 1);
      const connection = connections[0]!;
      assert.ok(connection.type === 'saml');
      assert.equal(connection.name, 'Globex IdP');
      assert.equal(connection.status, 'active');
      assert.equal(connection.settings.idpEntityId, demo.samlIdpEntityId);
      assert.deepEqual(
        connection.settings.assurance?.request,
        { mfa: ['https://refeds.org/profile/mfa'] },
        'it asks the dev SAML IdP for MFA when a sign-in must prove it',
      );
      assert.equal(
        connection.settings.idpSloUrl,
        `${new URL(demo.samlIdpEntityId).origin}/saml/slo`,
        'the connection follows the IdP’s SingleLogoutService',
      );
      const metadata = await (await fetch(demo.samlIdpEntityId)).text();
      const certificate = /<(?:ds:)?X509Certificate>([^<]+)</.exec(metadata)?.[1];
      assert.ok(certificate);
      assert.equal(
        connection.settings.idpCertificates[0]!.replace(/-----[A-Z ]+-----|\s/g, ''),
        certificate.replace(/\s/g, ''),
        'the connection holds the running IdP certificate',
      );
      assert.ok(lines.some((line) => line.includes(demo.samlIdpEntityId)));
      for (const email of ['carol@globex.test', 'dan@globex.test']) {
        assert.ok(
          lines.some((line) => line.includes(email)),
          `the banner lists ${email}`,
        );
      }
    } finally {
      await demo.close();
    }
  });

  it('when Latchkey restarts with another IdP port, then the same connection follows the new issuer', async () => {
    await (await seedOnce()).demo.close();
    // A second process on the same database and Redis, with demo.oidcIdpPort 0 (any port).
    const restarted = await buildApp(
      loadConfig({
        env: {
          NODE_ENV: 'test',
          DATABASE_URL: t.database.url,
          REDIS_URL: t.redis.url,
          LATCHKEY_REDIS_KEY_PREFIX: t.redis.keyPrefix,
          LATCHKEY_KEYS_DIR: t.keysDir,
          LATCHKEY_DEMO_ENABLED: 'true',
          LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
          LATCHKEY_DEMO_SAML_IDP_PORT: '0',
        },
      }),
      { logger: createLogger({ level: 'silent' }) },
    );
    try {
      const demo = await seedDemo(restarted, () => undefined);
      try {
        assert.notEqual(demo.oidcIdpIssuer, `http://127.0.0.1:${idpPort}`);
        const orgs = (await restarted.orgs.list(PLATFORM, ALL)).items;
        const orgId = orgs.find((o) => o.slug === 'acme')!.id;
        const connections = (await restarted.connections.list(orgId, PLATFORM, ALL)).items;
        assert.equal(connections.length, 1);
        assert.ok(connections[0]!.type === 'oidc');
        assert.equal(connections[0]!.settings.issuer, demo.oidcIdpIssuer);
        assert.equal(connections[0]!.status, 'active');
      } finally {
        await demo.close();
      }
    } finally {
      await restarted.close();
    }
  });
});
