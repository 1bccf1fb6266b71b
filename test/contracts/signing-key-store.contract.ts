import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSqlSigningKeyStore, type SigningKeyStore } from '../../src/tokens/index.js';
import type { DatabaseHarness } from '../support/databases.js';

/** The behaviour every SigningKeyStore must have, on PostgreSQL and PGlite alike. */
export function signingKeyStoreContract(name: string, setup: () => Promise<DatabaseHarness>): void {
  describe(`SigningKeyStore contract: ${name}`, () => {
    let harness: DatabaseHarness;
    let store: SigningKeyStore;
    let n = 0;
    const t0 = Date.UTC(2026, 0, 1);
    const newKey = async () => {
      n += 1;
      const kid = `test-key-${String(n).padStart(4, '0')}-${'x'.repeat(8)}`;
      await store.insertNext({
        kid,
        alg: 'ES256',
        publicJwk: { kty: 'EC', crv: 'P-256', x: `x${n}`, y: `y${n}`, kid },
        createdAt: new Date(t0 + n * 1000),
      });
      return kid;
    };
    const stateOf = async (kid: string) => (await store.get(kid))?.state;

    before(async () => {
      harness = await setup();
      store = createSqlSigningKeyStore(harness.db);
    });
    after(async () => {
      await harness.teardown();
    });

    it('when a key is inserted, then it reads back as next with its public JWK and dates', async () => {
      const kid = await newKey();
      const record = await store.get(kid);
      assert.ok(record);
      assert.equal(record.state, 'next');
      assert.equal(record.alg, 'ES256');
      assert.deepEqual(record.publicJwk, { kty: 'EC', crv: 'P-256', x: `x${n}`, y: `y${n}`, kid });
      assert.ok(record.createdAt instanceof Date);
      assert.equal(record.createdAt.getTime(), t0 + n * 1000);
      assert.equal(record.activatedAt, null);
      assert.equal(record.retiredAt, null);
      assert.equal(await store.get('no-such-key-000000'), null);
    });

    it('when a kid is inserted twice, then the second insert fails', async () => {
      const kid = await newKey();
      await assert.rejects(
        store.insertNext({ kid, alg: 'ES256', publicJwk: {}, createdAt: new Date() }),
      );
    });

    it('when a next key is activated, then it is the only active key and the previous one is retired', async () => {
      const first = await newKey();
      const second = await newKey();
      const at1 = new Date(t0 + 100_000);
      const r1 = await store.activate(first, at1);
      assert.equal(r1.activated, true);
      const at2 = new Date(t0 + 200_000);
      const r2 = await store.activate(second, at2);
      assert.deepEqual(r2, { activated: true, previousKid: first });
      const all = await store.list();
      assert.deepEqual(
        all.filter((k) => k.state === 'active').map((k) => k.kid),
        [second],
      );
      const old = await store.get(first);
      assert.equal(old?.state, 'retired');
      assert.equal(old?.retiredAt?.getTime(), at2.getTime());
      assert.equal((await store.get(second))?.activatedAt?.getTime(), at2.getTime());
    });

    it('when a key that is not next is activated, then nothing changes', async () => {
      const kid = await newKey();
      await store.activate(kid, new Date());
      const before = await store.list();
      assert.deepEqual(await store.activate(kid, new Date()), {
        activated: false,
        previousKid: null,
      });
      assert.deepEqual(await store.activate('missing-key-00000000', new Date()), {
        activated: false,
        previousKid: null,
      });
      assert.deepEqual(await store.list(), before);
    });

    it('when two next keys are activated at once, then exactly one active key remains', async () => {
      const a = await newKey();
      const b = await newKey();
      const results = await Promise.allSettled([
        store.activate(a, new Date()),
        store.activate(b, new Date()),
      ]);
      assert.ok(results.some((r) => r.status === 'fulfilled' && r.value.activated));
      const active = (await store.list()).filter((k) => k.state === 'active');
      assert.equal(active.length, 1);
    });

    it('when a next key is retired, then it is retired; an active key cannot be retired that way', async () => {
      const kid = await newKey();
      assert.equal(await store.retireNext(kid, new Date(t0 + 5000)), true);
      assert.equal(await stateOf(kid), 'retired');
      assert.equal(await store.retireNext(kid, new Date()), false);
      const active = (await store.list()).find((k) => k.state === 'active');
      assert.ok(active);
      assert.equal(await store.retireNext(active.kid, new Date()), false);
      assert.equal(await stateOf(active.kid), 'active');
    });

    it('when a key is removed, then only retired keys go', async () => {
      const kid = await newKey();
      assert.equal(await store.removeRetired(kid), false);
      await store.retireNext(kid, new Date());
      assert.equal(await store.removeRetired(kid), true);
      assert.equal(await store.get(kid), null);
      const active = (await store.list()).find((k) => k.state === 'active');
      assert.equal(await store.removeRetired(active!.kid), false);
    });

    it('when listed, then keys come oldest first', async () => {
      const kids = (await store.list()).map((k) => k.createdAt.getTime());
      assert.deepEqual(
        kids,
        [...kids].sort((x, y) => x - y),
      );
    });
  });
}
