import assert from 'node:assert/strict';
import argon2 from 'argon2';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createApiKeyService } from '../../src/orgs/index.js';
import { createSecretChecker } from '../../src/platform/crypto/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { adminClient, startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const KEY_SHAPE = /^lk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

describe('admin API: API keys', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
  });
  after(async () => {
    await f.t.close();
  });

  it('when an org key is created, then its secret is shown once, works, and is never listed or logged', async () => {
    const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/api-keys`, {
      name: 'ci deploys',
    });
    assert.equal(res.status, 201);
    assertMatchesSpec(res, 'post', '/api/v1/orgs/{orgId}/api-keys');
    const created = res.body as { id: string; secret: string; scope: string; org_id: string };
    assert.match(created.secret, KEY_SHAPE);
    assert.equal(created.scope, 'org:admin');
    assert.equal(created.org_id, f.orgA.id);
    assert.equal(res.headers.location, `/api/v1/orgs/${f.orgA.id}/api-keys/${created.id}`);

    const usable = adminClient(f.t, created.secret);
    assert.equal((await usable.get(`/api/v1/orgs/${f.orgA.id}`)).status, 200);

    const list = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/api-keys`);
    assert.equal(list.status, 200);
    assertMatchesSpec(list, 'get', '/api/v1/orgs/{orgId}/api-keys');
    assert.ok(!list.text.includes(created.secret.slice(36)));
    assert.ok(
      (list.body as { items: Array<{ id: string }> }).items.some((k) => k.id === created.id),
    );

    const { rows } = await f.t.app.db.query<{ verifier: string }>(
      'SELECT verifier FROM api_keys WHERE id = $1',
      [created.id],
    );
    assert.match(rows[0]!.verifier, /^\$argon2id\$/);
    assert.ok(!f.t.logs.text.includes(created.secret));
    const audit = await f.t.app.db.query<{ data: unknown }>(
      `SELECT data FROM audit_events WHERE target_id = $1`,
      [created.id],
    );
    assert.ok(!JSON.stringify(audit.rows).includes(created.secret));
  });

  it('when a platform key is created by a platform admin, then it has platform scope', async () => {
    const res = await f.platform.post('/api/v1/api-keys', { name: 'second operator' });
    assert.equal(res.status, 201);
    assertMatchesSpec(res, 'post', '/api/v1/api-keys');
    assert.equal((res.body as { scope: string }).scope, 'platform:admin');
    assert.equal((res.body as { org_id: null }).org_id, null);
    const list = await f.platform.get('/api/v1/api-keys');
    assertMatchesSpec(list, 'get', '/api/v1/api-keys');
    assert.ok(
      (list.body as { items: Array<{ org_id: string | null }> }).items.every(
        (k) => k.org_id === null,
      ),
    );
  });

  it('when a key is revoked, then it stops working at once in this process', async () => {
    const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/api-keys`, {
      name: 'short-lived',
    });
    const { id, secret } = res.body as { id: string; secret: string };
    const client = adminClient(f.t, secret);
    assert.equal((await client.get(`/api/v1/orgs/${f.orgA.id}`)).status, 200);
    const revoke = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/api-keys/${id}`);
    assert.equal(revoke.status, 204);
    assertMatchesSpec(revoke, 'delete', '/api/v1/orgs/{orgId}/api-keys/{keyId}');
    assert.equal((await client.get(`/api/v1/orgs/${f.orgA.id}`)).status, 401);
    const again = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/api-keys/${id}`);
    assert.equal(again.status, 204, 'revoking twice is harmless');
  });

  it('when a key is revoked elsewhere, then a process that cached it stops trusting it within 60 s', async () => {
    const clock = createFakeClock(Date.now());
    const otherProcess = createApiKeyService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock,
      cacheSeconds: 60,
    });
    const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/api-keys`, { name: 'cached' });
    const { id, secret } = res.body as { id: string; secret: string };
    assert.ok(await otherProcess.authenticate(secret));
    await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/api-keys/${id}`);
    clock.advance(59_000);
    assert.ok(await otherProcess.authenticate(secret), 'still cached within the bound');
    clock.advance(1_001);
    assert.equal(
      await otherProcess.authenticate(secret),
      null,
      'refused once the bound has passed',
    );
  });

  it('when the org is deleted while a verification of its key waits for argon2, then that verification does not cache the key: the next request is refused', async () => {
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered = () => {};
    const inArgon2 = new Promise<void>((resolve) => (entered = resolve));
    const service = createApiKeyService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock: createFakeClock(Date.now()),
      cacheSeconds: 60,
      secretChecker: createSecretChecker(
        { maxConcurrent: 2, maxWaiting: 8, maxPerCredential: 4 },
        async (verifier, secret) => {
          entered();
          await gate;
          return argon2.verify(verifier, secret);
        },
      ),
    });
    const doomed = await f.makeOrg('doomed-in-flight');
    const inFlight = service.authenticate(doomed.keySecret);
    // The row is read before argon2: once argon2 is reached, delete the org meanwhile.
    await inArgon2;
    await f.platform.delete(`/api/v1/orgs/${doomed.id}`);
    service.forgetOrg(doomed.id);
    open();
    assert.ok(await inFlight, 'it answers from what it read');
    assert.equal(await service.authenticate(doomed.keySecret), null, 'but did not cache it');
  });

  it('when the cache is configured above 60 s, then it is still held to 60 s', async () => {
    const clock = createFakeClock(Date.now());
    const service = createApiKeyService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock,
      cacheSeconds: 3600,
    });
    const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/api-keys`, { name: 'capped' });
    const { id, secret } = res.body as { id: string; secret: string };
    assert.ok(await service.authenticate(secret));
    await f.t.app.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
    clock.advance(60_001);
    assert.equal(await service.authenticate(secret), null);
  });

  it("when an org admin reaches for another org's keys with any verb, then 404", async () => {
    const bKey = await f.orgB.admin.post(`/api/v1/orgs/${f.orgB.id}/api-keys`, { name: 'b only' });
    const bKeyId = (bKey.body as { id: string }).id;
    const responses = [
      await f.orgA.admin.get(`/api/v1/orgs/${f.orgB.id}/api-keys`),
      await f.orgA.admin.post(`/api/v1/orgs/${f.orgB.id}/api-keys`, { name: 'x' }),
      await f.orgA.admin.delete(`/api/v1/orgs/${f.orgB.id}/api-keys/${bKeyId}`),
      // B's key id under A's own path: still not A's.
      await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/api-keys/${bKeyId}`),
      await f.orgA.admin.delete(
        `/api/v1/orgs/${f.orgA.id}/api-keys/01900000-0000-7000-8000-000000000000`,
      ),
    ];
    for (const res of responses) {
      assert.equal(res.status, 404);
      assert.equal((res.body as { code: string }).code, 'not_found');
    }
    const stillWorks = await request(f.t.app.http)
      .get(`/api/v1/orgs/${f.orgB.id}`)
      .set('Authorization', `Bearer ${(bKey.body as { secret: string }).secret}`);
    assert.equal(stillWorks.status, 200);
  });

  it('when keys are listed past one page, then cursors walk all of them', async () => {
    for (let i = 0; i < 4; i++)
      await f.orgB.admin.post(`/api/v1/orgs/${f.orgB.id}/api-keys`, { name: `k${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await f.orgB.admin.get(
        `/api/v1/orgs/${f.orgB.id}/api-keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200);
      const body = res.body as { items: Array<{ id: string }>; next_cursor: string | null };
      seen.push(...body.items.map((k) => k.id));
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor && pages < 20);
    assert.ok(pages >= 3);
    assert.equal(new Set(seen).size, seen.length);
  });

  it('when a key is created with extra fields or a bad name, then 400', async () => {
    for (const body of [
      { name: 'x', scope: 'platform:admin' },
      { name: 'x', org_id: f.orgB.id },
      { name: '' },
      {},
    ]) {
      const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/api-keys`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assertMatchesSpec(res, 'post', '/api/v1/orgs/{orgId}/api-keys');
    }
  });
});
