import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SessionStore, StoredSession } from '../../src/sessions/index.js';

export interface SessionStoreHarness {
  store: SessionStore;
  /** Current time as the store sees it. */
  nowMs(): number;
  /** Lets ms pass for the store (fake clock, or real waiting for Redis). */
  advance(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

/** The behaviour every SessionStore must have: Redis and memory alike. */
export function sessionStoreContract(
  name: string,
  setup: () => Promise<SessionStoreHarness>,
): void {
  describe(`SessionStore contract: ${name}`, () => {
    let h: SessionStoreHarness;
    let n = 0;
    before(async () => {
      h = await setup();
    });
    after(async () => {
      await h.teardown();
    });

    const session = (over: Partial<StoredSession> = {}): StoredSession => {
      n += 1;
      const now = h.nowMs();
      return {
        id: `sid-${n}-${randomUUID()}`,
        secretHash: 'f'.repeat(64),
        userId: 'user-1',
        orgId: randomUUID(),
        connectionId: randomUUID(),
        amr: ['pwd'],
        acr: null,
        authTime: Math.floor(now / 1000),
        createdAtMs: now + n,
        lastSeenAtMs: now,
        idleExpiresAtMs: now + 60_000,
        absoluteExpiresAtMs: now + 120_000,
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 "quoted" ünïcode',
        upstreamSessionId: null,
        upstreamSubject: null,
        ...over,
      };
    };

    it('when a session is created, then it reads back field for field', async () => {
      const s = session({
        upstreamSessionId: 'idp-sid',
        upstreamSubject: 'alice@acme.test',
        amr: ['saml', 'mfa'],
      });
      assert.deepEqual(await h.store.create(s, 10), { evicted: [] });
      assert.deepEqual(await h.store.get(s.orgId, s.id), s);
      assert.equal(await h.store.get(randomUUID(), s.id), null, 'another org never finds it');
    });

    it('when a session is deleted, then it is returned once and gone from every index', async () => {
      const s = session();
      await h.store.create(s, 10);
      assert.deepEqual(await h.store.delete(s.orgId, s.id), s);
      assert.equal(await h.store.delete(s.orgId, s.id), null);
      assert.equal(await h.store.get(s.orgId, s.id), null);
      assert.deepEqual(await h.store.listByUser(s.orgId, s.userId), []);
      assert.deepEqual(await h.store.listByOrg(s.orgId), []);
    });

    it('when a user has sessions, then they are listed oldest first, and only theirs', async () => {
      const orgId = randomUUID();
      const a1 = session({ orgId, userId: 'alice' });
      const b1 = session({ orgId, userId: 'bob' });
      const a2 = session({ orgId, userId: 'alice' });
      for (const s of [a1, b1, a2]) await h.store.create(s, 10);
      assert.deepEqual(
        (await h.store.listByUser(orgId, 'alice')).map((s) => s.id),
        [a1.id, a2.id],
      );
      assert.deepEqual(
        new Set((await h.store.listByOrg(orgId)).map((s) => s.id)),
        new Set([a1.id, b1.id, a2.id]),
      );
    });

    it('when a user exceeds the limit, then the oldest sessions are evicted in the same step', async () => {
      const orgId = randomUUID();
      const made = [session({ orgId }), session({ orgId }), session({ orgId })];
      for (const s of made) assert.deepEqual((await h.store.create(s, 3)).evicted, []);
      const fourth = session({ orgId });
      const { evicted } = await h.store.create(fourth, 3);
      assert.deepEqual(
        evicted.map((s) => s.id),
        [made[0]!.id],
      );
      assert.equal(await h.store.get(orgId, made[0]!.id), null);
      const fifth = session({ orgId });
      const result = await h.store.create(fifth, 2);
      assert.deepEqual(
        result.evicted.map((s) => s.id),
        [made[1]!.id, made[2]!.id],
      );
      assert.deepEqual(
        (await h.store.listByUser(orgId, 'user-1')).map((s) => s.id),
        [fourth.id, fifth.id],
      );
    });

    it("when all of a user's sessions end, then only that user's go", async () => {
      const orgId = randomUUID();
      const mine = [session({ orgId, userId: 'carol' }), session({ orgId, userId: 'carol' })];
      const theirs = session({ orgId, userId: 'dave' });
      for (const s of [...mine, theirs]) await h.store.create(s, 10);
      const ended = await h.store.deleteByUser(orgId, 'carol');
      assert.deepEqual(new Set(ended.map((s) => s.id)), new Set(mine.map((s) => s.id)));
      assert.deepEqual(await h.store.listByUser(orgId, 'carol'), []);
      assert.deepEqual(
        (await h.store.listByOrg(orgId)).map((s) => s.id),
        [theirs.id],
      );
      assert.deepEqual(await h.store.deleteByUser(orgId, 'carol'), []);
    });

    it("when all of an org's sessions end, then every user's go and other orgs keep theirs", async () => {
      const orgId = randomUUID();
      const inOrg = [session({ orgId, userId: 'u1' }), session({ orgId, userId: 'u2' })];
      const elsewhere = session({ userId: 'u1' });
      for (const s of [...inOrg, elsewhere]) await h.store.create(s, 10);
      const ended = await h.store.deleteByOrg(orgId);
      assert.deepEqual(new Set(ended.map((s) => s.id)), new Set(inOrg.map((s) => s.id)));
      assert.deepEqual(await h.store.listByOrg(orgId), []);
      assert.deepEqual(await h.store.listByUser(orgId, 'u1'), []);
      assert.ok(await h.store.get(elsewhere.orgId, elsewhere.id));
    });

    it('when sessions are looked up by upstream subject, then only that connection’s sessions of that subject are found, live ones only', async () => {
      const orgId = randomUUID();
      const connectionId = randomUUID();
      const otherConnection = randomUUID();
      const subject = 'alice@globex.test';
      const mine = [
        session({ orgId, connectionId, upstreamSubject: subject, upstreamSessionId: 'idx-1' }),
        session({ orgId, connectionId, upstreamSubject: subject, upstreamSessionId: 'idx-2' }),
      ];
      const others = [
        session({ orgId, connectionId: otherConnection, upstreamSubject: subject }),
        session({ orgId, connectionId, upstreamSubject: 'bob@globex.test', userId: 'bob' }),
        session({ orgId, connectionId, upstreamSubject: null }),
        session({ connectionId, upstreamSubject: subject }),
      ];
      for (const s of [...mine, ...others]) await h.store.create(s, 10);
      assert.deepEqual(
        new Set(
          (await h.store.listByUpstreamSubject(orgId, connectionId, subject)).map((s) => s.id),
        ),
        new Set(mine.map((s) => s.id)),
      );
      assert.deepEqual(
        (await h.store.listByUpstreamSubject(orgId, connectionId, subject)).find(
          (s) => s.id === mine[0]!.id,
        ),
        mine[0],
      );
      await h.store.delete(orgId, mine[0]!.id);
      assert.deepEqual(
        (await h.store.listByUpstreamSubject(orgId, connectionId, subject)).map((s) => s.id),
        [mine[1]!.id],
      );
      await h.store.deleteByUser(orgId, 'user-1');
      assert.deepEqual(await h.store.listByUpstreamSubject(orgId, connectionId, subject), []);
      assert.deepEqual(
        await h.store.listByUpstreamSubject(randomUUID(), connectionId, subject),
        [],
        'another org never finds them',
      );
    });

    it('when touched, then the new last-seen and idle expiry are kept; a deleted session stays deleted', async () => {
      const s = session();
      await h.store.create(s, 10);
      await h.store.touch(s.orgId, s.id, s.lastSeenAtMs + 5000, s.idleExpiresAtMs + 5000);
      const got = await h.store.get(s.orgId, s.id);
      assert.equal(got?.lastSeenAtMs, s.lastSeenAtMs + 5000);
      assert.equal(got?.idleExpiresAtMs, s.idleExpiresAtMs + 5000);
      await h.store.delete(s.orgId, s.id);
      await h.store.touch(s.orgId, s.id, s.lastSeenAtMs + 9000, s.idleExpiresAtMs + 9000);
      assert.equal(await h.store.get(s.orgId, s.id), null);
    });

    it('when a session reaches its idle or absolute expiry, then it is gone and not counted', async () => {
      const orgId = randomUUID();
      const now = h.nowMs();
      const idle = session({
        orgId,
        idleExpiresAtMs: now + 300,
        absoluteExpiresAtMs: now + 60_000,
      });
      const absolute = session({
        orgId,
        idleExpiresAtMs: now + 60_000,
        absoluteExpiresAtMs: now + 300,
      });
      await h.store.create(idle, 10);
      await h.store.create(absolute, 10);
      await h.advance(600);
      assert.equal(await h.store.get(orgId, idle.id), null);
      assert.equal(await h.store.get(orgId, absolute.id), null);
      assert.deepEqual(await h.store.listByUser(orgId, 'user-1'), []);
      const fresh = session({ orgId });
      assert.deepEqual(
        (await h.store.create(fresh, 1)).evicted,
        [],
        'expired sessions do not count toward the limit',
      );
    });
  });
}
