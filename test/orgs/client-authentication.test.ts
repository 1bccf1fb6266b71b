import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createClientService,
  type AdminPrincipal,
  type ClientService,
} from '../../src/orgs/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { createVerifier } from '../../src/platform/crypto/index.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { GRANT_TYPES } from '../../src/tokens/index.js';

const principal: AdminPrincipal = { scope: 'platform:admin', keyId: 'client-authentication-test' };
const context = { requestId: null, ip: null, userAgent: null };
const otherSecret = () => randomBytes(32).toString('base64url');

/**
 * The token endpoint's view of client secrets: argon2id verifiers, with successful checks
 * cached in process for at most 60 s. The cache is proven without timing: a verifier row
 * is swapped in the database, and the cached answer holds until the fake clock passes
 * the bound.
 */
describe('OAuth client authentication', () => {
  let f: AdminFixture;
  let clients: ClientService;
  const clock = createFakeClock(Date.UTC(2026, 4, 1, 9));

  before(async () => {
    f = await startAdminFixture({ clock });
    clients = createClientService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock,
      allowHttpLoopback: true,
      grantTypes: GRANT_TYPES,
    });
  });
  after(async () => {
    await f.t.close();
  });

  const register = async (overrides: Record<string, unknown> = {}) => {
    const { client, secret } = await clients.create(
      {
        name: 'Ads Manager',
        type: 'confidential',
        redirect_uris: ['https://ads.example.com/callback'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        ...overrides,
      },
      principal,
      context,
    );
    return { client, secret: secret! };
  };

  /** Replaces every stored verifier of a client with one of `secret`, behind the service's back. */
  const swapVerifiers = async (clientId: string, secret: string) => {
    await f.t.app.db.query('UPDATE oauth_client_secrets SET verifier = $2 WHERE client_id = $1', [
      clientId,
      await createVerifier(secret),
    ]);
  };

  it('when the right secret is presented, then the client is returned; anything else is refused', async () => {
    const { client, secret } = await register();
    const authenticated = await clients.authenticateClient(client.id, secret);
    assert.equal(authenticated?.id, client.id);
    assert.deepEqual(authenticated?.redirectUris, ['https://ads.example.com/callback']);
    assert.equal(await clients.authenticateClient(client.id, otherSecret()), null);
    assert.equal(await clients.authenticateClient(client.id, `${secret}x`), null);
    assert.equal(await clients.authenticateClient(client.id, ''), null);
    assert.equal(await clients.authenticateClient('lkc_AAAAAAAAAAAAAAAAAAAAAA', secret), null);
    assert.equal(await clients.authenticateClient('not-a-client', secret), null);
    const other = await register({ name: 'Other app' });
    assert.equal(
      await clients.authenticateClient(other.client.id, secret),
      null,
      'not across clients',
    );
  });

  it('when a public client is named, then it never authenticates (it has no secret)', async () => {
    const { client } = await clients.create(
      {
        name: 'SPA',
        type: 'public',
        redirect_uris: ['https://spa.example.com/cb'],
        grant_types: ['authorization_code'],
      },
      principal,
      context,
    );
    assert.equal(await clients.authenticateClient(client.id, otherSecret()), null);
  });

  it('when a secret checked once is presented again within 60 s, then the cached answer stands without argon2', async () => {
    const { client, secret } = await register();
    assert.ok(await clients.authenticateClient(client.id, secret));
    // Behind the service's back, the stored verifier now belongs to another secret: only
    // a cached answer can still accept the original one.
    const replacement = otherSecret();
    await swapVerifiers(client.id, replacement);
    clock.advance(59_999);
    assert.ok(await clients.authenticateClient(client.id, secret), 'cached');
    clock.advance(1);
    assert.equal(await clients.authenticateClient(client.id, secret), null, '60 s at most');
    assert.ok(await clients.authenticateClient(client.id, replacement));
  });

  it('when a check fails, then the failure is not cached', async () => {
    const { client } = await register();
    const later = otherSecret();
    assert.equal(await clients.authenticateClient(client.id, later), null);
    await swapVerifiers(client.id, later);
    assert.ok(await clients.authenticateClient(client.id, later));
  });

  it('when a client is disabled, even by another process, then it is refused at once, cache or not', async () => {
    const { client, secret } = await register();
    assert.ok(await clients.authenticateClient(client.id, secret));
    // Disabled through the app's own service instance: this instance's cache is not told.
    const res = await f.platform.patch(`/api/v1/clients/${client.id}`, { status: 'disabled' });
    assert.equal(res.status, 200);
    assert.equal(await clients.authenticateClient(client.id, secret), null);
    const got = await clients.getClient(client.id);
    assert.equal(got?.status, 'disabled', 'getClient returns disabled clients');
    await f.platform.patch(`/api/v1/clients/${client.id}`, { status: 'active' });
    assert.ok(await clients.authenticateClient(client.id, secret));
  });

  it('when a secret is rotated through the service, then its cache entries are cleared', async () => {
    const { client, secret } = await register();
    assert.ok(await clients.authenticateClient(client.id, secret));
    await swapVerifiers(client.id, otherSecret());
    assert.ok(await clients.authenticateClient(client.id, secret), 'cached');
    await clients.rotateSecret(client.id, { overlap_seconds: 3600 }, principal, context);
    // Still within its overlap, but the cache is gone: argon2 against the swapped verifier.
    assert.equal(await clients.authenticateClient(client.id, secret), null);
  });

  it('when a client is deleted through the service, then it no longer authenticates nor is found', async () => {
    const { client, secret } = await register();
    assert.ok(await clients.authenticateClient(client.id, secret));
    await clients.remove(client.id, null, principal, context);
    assert.equal(await clients.authenticateClient(client.id, secret), null);
    assert.equal(await clients.getClient(client.id), null);
  });

  it('when a secret is rotated with an overlap, then the old one works until the overlap ends and the new one after', async () => {
    const { client, secret: first } = await register();
    const rotatedAt = clock.nowMs();
    const { client: rotated, secret: second } = await clients.rotateSecret(
      client.id,
      { overlap_seconds: 600 },
      principal,
      context,
    );
    assert.notEqual(second, first);
    const old = rotated.secrets.find((s) => s.id === client.secrets[0]!.id);
    assert.equal(old?.expiresAt?.getTime(), rotatedAt + 600_000);
    assert.ok(await clients.authenticateClient(client.id, first));
    assert.ok(await clients.authenticateClient(client.id, second));
    clock.advance(599_999);
    assert.ok(await clients.authenticateClient(client.id, first), 'within the overlap');
    clock.advance(1);
    assert.equal(await clients.authenticateClient(client.id, first), null, 'overlap over');
    assert.ok(await clients.authenticateClient(client.id, second));
  });

  it('when a secret about to expire is cached, then the cache never outlives the secret', async () => {
    const { client, secret: first } = await register();
    await clients.rotateSecret(client.id, { overlap_seconds: 30 }, principal, context);
    assert.ok(await clients.authenticateClient(client.id, first), 'cached until the overlap ends');
    // Behind the service's back: the old secret no longer expires, but its verifier is
    // garbage. Only a cache entry that outlived the secret's expiry could still accept it.
    await f.t.app.db.query(
      'UPDATE oauth_client_secrets SET expires_at = NULL, verifier = $2 WHERE client_id = $1 AND expires_at IS NOT NULL',
      [client.id, await createVerifier(otherSecret())],
    );
    clock.advance(29_999);
    assert.ok(await clients.authenticateClient(client.id, first), 'cached');
    clock.advance(1);
    assert.equal(await clients.authenticateClient(client.id, first), null);
  });

  it('when a rotation has no overlap, then the old secret is refused at once and deleted', async () => {
    const { client, secret: first } = await register();
    assert.ok(await clients.authenticateClient(client.id, first));
    const { client: rotated, secret: second } = await clients.rotateSecret(
      client.id,
      { overlap_seconds: 0 },
      principal,
      context,
    );
    assert.equal(await clients.authenticateClient(client.id, first), null);
    assert.ok(await clients.authenticateClient(client.id, second));
    assert.equal(rotated.secrets.length, 1);
    assert.equal(rotated.secrets[0]!.expiresAt, null);
  });

  it('when a later rotation asks for a longer overlap, then an older secret is never extended', async () => {
    const { client } = await register();
    const start = clock.nowMs();
    const firstRotation = await clients.rotateSecret(
      client.id,
      { overlap_seconds: 3600 },
      principal,
      context,
    );
    clock.advance(1000);
    const secondRotation = await clients.rotateSecret(
      client.id,
      { overlap_seconds: 86_400 },
      principal,
      context,
    );
    const expiryOf = (id: string) =>
      secondRotation.client.secrets.find((s) => s.id === id)?.expiresAt?.getTime();
    assert.equal(expiryOf(client.secrets[0]!.id), start + 3_600_000);
    const firstRotationSecret = firstRotation.client.secrets.find((s) => s.expiresAt === null)!;
    assert.equal(expiryOf(firstRotationSecret.id), clock.nowMs() + 86_400_000);
    assert.ok(await clients.authenticateClient(client.id, firstRotation.secret));
    assert.ok(await clients.authenticateClient(client.id, secondRotation.secret));
  });

  it('when plain-http loopback is not allowed, then a back-channel logout URI on http://localhost is refused', async () => {
    const strict = createClientService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock,
      allowHttpLoopback: false,
      grantTypes: GRANT_TYPES,
    });
    const body = {
      name: 'Prod app',
      type: 'confidential',
      redirect_uris: ['http://127.0.0.1:7000/cb'],
      grant_types: ['authorization_code'],
    };
    await assert.rejects(
      strict.create(
        { ...body, backchannel_logout_uri: 'http://localhost/logout' },
        principal,
        context,
      ),
      (error: { code: string; fields: Array<{ field: string }> }) =>
        error.code === 'validation_failed' &&
        error.fields.map((e) => e.field).join() === 'backchannel_logout_uri',
    );
    // Loopback redirect URIs are for native apps (RFC 8252) and stay allowed.
    const created = await strict.create(
      { ...body, backchannel_logout_uri: 'https://localhost/logout' },
      principal,
      context,
    );
    assert.equal(created.client.backchannelLogoutUri, 'https://localhost/logout');
  });

  it('when an org admin calls the service directly, then insufficient_scope', async () => {
    const orgAdmin: AdminPrincipal = { scope: 'org:admin', keyId: 'k', orgId: f.orgA.id };
    const { client } = await register();
    for (const attempt of [
      () => clients.get(client.id, orgAdmin),
      () => clients.list(orgAdmin, {}),
      () => clients.update(client.id, { name: 'x' }, null, orgAdmin, context),
      () => clients.remove(client.id, null, orgAdmin, context),
      () => clients.rotateSecret(client.id, {}, orgAdmin, context),
      () => clients.create({ name: 'x' }, orgAdmin, context),
    ]) {
      await assert.rejects(
        attempt(),
        (error: { code: string }) => error.code === 'insufficient_scope',
      );
    }
  });

  it('when secrets are created, checked and rotated, then none appears in any log line', async () => {
    const { client, secret } = await register({ name: 'Quiet' });
    await clients.authenticateClient(client.id, secret);
    const { secret: rotated } = await clients.rotateSecret(client.id, {}, principal, context);
    assert.ok(!f.t.logs.text.includes(secret));
    assert.ok(!f.t.logs.text.includes(rotated));
  });
});
