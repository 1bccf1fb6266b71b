import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EphemeralStore } from '../../src/platform/redis/index.js';

export interface EphemeralStoreHarness {
  store: EphemeralStore;
  /** Lets ms of time pass for the store (a fake clock, or real waiting for Redis). */
  advance(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

/** The behaviour every EphemeralStore implementation must have (memory and Redis alike). */
export function ephemeralStoreContract(
  name: string,
  setup: () => Promise<EphemeralStoreHarness>,
): void {
  describe(`EphemeralStore contract: ${name}`, () => {
    let h: EphemeralStoreHarness;
    let n = 0;
    const key = () => `k${++n}`;
    before(async () => {
      h = await setup();
    });
    after(async () => {
      await h.teardown();
    });

    it('when a value is put, then get returns it until it is deleted', async () => {
      const k = key();
      await h.store.put(k, 'v1', 60_000);
      assert.equal(await h.store.get(k), 'v1');
      assert.equal(await h.store.delete(k), true);
      assert.equal(await h.store.get(k), null);
      assert.equal(await h.store.delete(k), false);
    });

    it('when a key is put twice, then the second value replaces the first', async () => {
      const k = key();
      await h.store.put(k, 'first', 60_000);
      await h.store.put(k, 'second', 60_000);
      assert.equal(await h.store.get(k), 'second');
    });

    it('when a value is taken, then it is gone: a second take gets null', async () => {
      const k = key();
      await h.store.put(k, 'once', 60_000);
      assert.equal(await h.store.take(k), 'once');
      assert.equal(await h.store.take(k), null);
      assert.equal(await h.store.get(k), null);
    });

    it('when many takes race for one value, then exactly one gets it', async () => {
      const k = key();
      await h.store.put(k, 'prize', 60_000);
      const results = await Promise.all(Array.from({ length: 20 }, () => h.store.take(k)));
      assert.deepEqual(
        results.filter((r) => r !== null),
        ['prize'],
      );
    });

    it('when a value is redeemed, then it moves to its used key: a second redemption says used, with the value', async () => {
      const k = `${key()}:{t}`;
      const used = `${k}:used`;
      await h.store.put(k, 'grant', 60_000);
      assert.deepEqual(await h.store.redeem(k, used, 60_000), { value: 'grant', used: false });
      assert.equal(await h.store.get(k), null, 'taken');
      assert.deepEqual(await h.store.redeem(k, used, 60_000), { value: 'grant', used: true });
      assert.equal(await h.store.redeem(`${key()}:{u}`, `${key()}:{u}:used`, 60_000), null);
    });

    it('when a redemption names a mark, then the first redemption sets it for its ttl and a replay does not', async () => {
      const k = `${key()}:{m}`;
      const used = `${k}:used`;
      const mark = { key: `${k}:mark`, value: 'opened', ttlMs: 150 };
      await h.store.put(k, 'grant', 60_000);
      assert.deepEqual(await h.store.redeem(k, used, 60_000, mark), {
        value: 'grant',
        used: false,
      });
      assert.equal(await h.store.get(mark.key), 'opened');
      await h.advance(400);
      assert.equal(await h.store.get(mark.key), null, 'the mark expired');
      assert.deepEqual(await h.store.redeem(k, used, 60_000, mark), { value: 'grant', used: true });
      assert.equal(await h.store.get(mark.key), null, 'a replay sets no mark');
    });

    it('when many redemptions race for one value, then exactly one is first and the rest see it used', async () => {
      const k = `${key()}:{r}`;
      const used = `${k}:used`;
      await h.store.put(k, 'prize', 60_000);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => h.store.redeem(k, used, 60_000)),
      );
      assert.equal(results.filter((r) => r?.used === false).length, 1);
      assert.equal(results.filter((r) => r?.used === true).length, 19);
    });

    it('when the used marker outlives its ttl, then a late replay is unknown', async () => {
      const k = `${key()}:{e}`;
      const used = `${k}:used`;
      await h.store.put(k, 'short', 60_000);
      await h.store.redeem(k, used, 150);
      await h.advance(400);
      assert.equal(await h.store.redeem(k, used, 150), null);
    });

    it('when a key is claimed, then only the first claim succeeds', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 10 }, () => h.store.claim(k, 60_000)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await h.store.claim(k, 60_000), false);
    });

    it('when the ttl passes, then the value is gone and the key can be claimed again', async () => {
      const k = key();
      const c = key();
      await h.store.put(k, 'short', 150);
      assert.equal(await h.store.claim(c, 150), true);
      await h.advance(400);
      assert.equal(await h.store.get(k), null);
      assert.equal(await h.store.take(k), null);
      assert.equal(await h.store.claim(c, 150), true);
    });

    it('when values hold any text, then they come back byte for byte', async () => {
      const k = key();
      const value = JSON.stringify({
        emoji: '🔐',
        quote: '"',
        nul: '\u0000',
        long: 'x'.repeat(10_000),
      });
      await h.store.put(k, value, 60_000);
      assert.equal(await h.store.get(k), value);
    });

    it('when members are added to a set, then each is listed once until the set expires', async () => {
      const k = key();
      assert.deepEqual(await h.store.setMembers(k), []);
      await h.store.addToSet(k, 'client-a', 300);
      await h.store.addToSet(k, 'client-b', 300);
      await h.store.addToSet(k, 'client-a', 300);
      assert.deepEqual((await h.store.setMembers(k)).sort(), ['client-a', 'client-b']);
      await h.advance(500);
      assert.deepEqual(await h.store.setMembers(k), []);
    });

    it('when a set is deleted, then its members are gone', async () => {
      const k = key();
      await h.store.addToSet(k, 'x', 60_000);
      assert.equal(await h.store.delete(k), true);
      assert.deepEqual(await h.store.setMembers(k), []);
    });

    it('when writes are put all at once, then each value lands and each list keeps its newest maxLength in order, until they expire', async () => {
      const [v, l] = [key(), key()];
      assert.deepEqual(await h.store.listMembers(l), []);
      await h.store.putAll([
        { key: v, value: 'first', ttlMs: 300 },
        { key: l, append: ['a', 'b'], maxLength: 3, ttlMs: 300 },
      ]);
      await h.store.putAll([{ key: l, append: [], maxLength: 3, ttlMs: 300 }]);
      await h.store.putAll([
        { key: l, append: ['c', 'd'], maxLength: 3, ttlMs: 300 },
        { key: v, value: 'second', ttlMs: 300 },
      ]);
      assert.equal(await h.store.get(v), 'second');
      assert.deepEqual(await h.store.listMembers(l), ['b', 'c', 'd']);
      assert.equal(typeof h.store.putAllIsAtomic, 'boolean');
      await h.advance(500);
      assert.equal(await h.store.get(v), null);
      assert.deepEqual(await h.store.listMembers(l), []);
    });

    it('when a list is deleted, then its members are gone', async () => {
      const k = key();
      await h.store.putAll([{ key: k, append: ['x'], maxLength: 10, ttlMs: 60_000 }]);
      assert.equal(await h.store.delete(k), true);
      assert.deepEqual(await h.store.listMembers(k), []);
    });

    it('when the store is up, then ping resolves', async () => {
      await h.store.ping();
    });

    it('when asked twice without a restart, then the incarnation is the same (or unknowable)', async () => {
      const first = await h.store.incarnation();
      assert.equal(await h.store.incarnation(), first);
      if (first !== null) assert.ok(first.length >= 8, `incarnation ${first}`);
    });
  });
}
