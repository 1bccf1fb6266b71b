import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createFakeClock } from '../../src/platform/clock.js';
import type { Database } from '../../src/platform/db/index.js';
import {
  connectRedis,
  createRedisClient,
  createRedisEphemeralStore,
  type EphemeralStore,
  type RedisClient,
} from '../../src/platform/redis/index.js';
import {
  createRevocationMirror,
  createRevocations,
  createSqlRevocationLog,
  REVOCATIONS_LOADED_KEY,
  type RecordedRevocation,
  type Revocation,
  type RevocationLog,
  type RevocationMirror,
} from '../../src/signals/index.js';
import { databaseKinds, type DatabaseHarness } from '../support/databases.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';

/**
 * The durable revocation log and its fast copy in Redis (a server of the test's own, so
 * it can be flushed and killed), on real PostgreSQL.
 */
describe('revocation log and its fast copy', () => {
  let database: DatabaseHarness;
  let db: Database;
  let own: OwnRedis;
  let client: RedisClient;
  let store: EphemeralStore;
  let log: RevocationLog;
  let mirror: RevocationMirror;
  const clock = createFakeClock(Date.now());
  const applied: string[] = [];
  let n = 0;

  const revocation = (over: Partial<Revocation> = {}): Revocation => ({
    kind: 'session',
    subject: `sid-${++n}`,
    orgId: 'org-1',
    userId: 'user-1',
    clientId: null,
    reason: 'admin',
    revokedAtMs: clock.nowMs(),
    expiresAtMs: clock.nowMs() + 3600_000,
    ...over,
  });
  /** The client reconnects with a backoff of its own: ready() answers once it has. */
  const readyOnceRedisAnswers = async () => {
    for (let i = 0; ; i += 1) {
      try {
        return await mirror.ready();
      } catch (error) {
        if (i > 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const record = (entries: Revocation[]) => db.transaction((tx) => log.record(tx, entries));

  before(async () => {
    database = await databaseKinds.postgres();
    db = database.db;
    own = await startOwnRedis();
    client = createRedisClient({
      url: own.url,
      keyPrefix: 'mirror-test:',
      commandTimeoutMs: 500,
      connectTimeoutMs: 500,
    });
    assert.ok(await connectRedis(client, 2000));
    store = createRedisEphemeralStore(client);
    log = createSqlRevocationLog(db);
    mirror = createRevocationMirror({
      log,
      store,
      clock,
      tombstoneTtlMs: 3660_000,
      appliers: {
        session: (r: RecordedRevocation) => {
          applied.push(r.subject);
          return Promise.resolve();
        },
      },
    });
  });
  beforeEach(async () => {
    applied.length = 0;
    clock.set(Date.now());
    await readyOnceRedisAnswers();
  });
  after(async () => {
    client.disconnect();
    await own.stop();
    await database.teardown();
  });

  it('when the same subject is revoked twice, then it is recorded once, and the second call gets nothing back', async () => {
    const entry = revocation();
    assert.equal((await record([entry])).length, 1);
    assert.deepEqual(await record([{ ...entry, reason: 'logout' }]), []);
  });

  it('when a revocation is made, then it is durable first, applied after, and marked mirrored', async () => {
    const revocations = createRevocations({ db, log, mirror });
    const [made] = await revocations.revoke([revocation()]);
    assert.ok(made);
    assert.deepEqual(applied, [made.subject]);
    assert.equal(await store.get(`revoked:${made.subject}`), 'admin');
    assert.equal(await mirror.isRevoked('session', made.subject), true);
    const left = await log.unmirrored(clock.nowMs() + 10_000, 1000);
    assert.ok(!left.some((r) => r.subject === made.subject), 'nothing left for the sweep');
  });

  it('when a writer died between its commit and Redis, then the sweep applies its revocation', async () => {
    const [orphan] = await record([revocation({ revokedAtMs: clock.nowMs() - 5000 })]);
    assert.equal(await store.get(`revoked:${orphan!.subject}`), null);
    await mirror.sweep();
    assert.ok(applied.includes(orphan!.subject));
    assert.equal(await store.get(`revoked:${orphan!.subject}`), 'admin');
  });

  it('when Redis is flushed, then the next check reloads every revocation still in force, and only those', async () => {
    const [inForce] = await record([revocation()]);
    const [expired] = await record([
      revocation({ revokedAtMs: clock.nowMs() - 7200_000, expiresAtMs: clock.nowMs() - 1 }),
    ]);
    const [jti] = await record([revocation({ kind: 'access_token', subject: 'jti-1' })]);
    await mirror.sweep();
    await own.client().flushall();
    applied.length = 0;
    await mirror.sweep();
    assert.equal(await store.get(`revoked:${inForce!.subject}`), 'admin');
    assert.equal(await store.get(`revoked-jti:${jti!.subject}`), 'admin');
    assert.equal(await store.get(`revoked:${expired!.subject}`), null);
    assert.ok(applied.includes(inForce!.subject), 'the session applier ran again');
    assert.ok(!applied.includes(expired!.subject));
    assert.notEqual(await store.get(REVOCATIONS_LOADED_KEY), null, 'the marker is back');
  });

  it('when Redis restarted, then the marker names another run and the revocations are reloaded', async () => {
    const [made] = await record([revocation()]);
    await mirror.sweep();
    const before = await store.get(REVOCATIONS_LOADED_KEY);
    await own.save();
    await own.kill();
    await own.start();
    mirror.invalidate();
    await readyOnceRedisAnswers();
    const after = await store.get(REVOCATIONS_LOADED_KEY);
    assert.notEqual(after, before, 'loaded into the new run');
    assert.equal(after, await store.incarnation());
    assert.equal(await store.get(`revoked:${made!.subject}`), 'admin');
  });

  it('when Redis is down, then ready() is a 503, and it recovers when Redis is back', async () => {
    await own.kill();
    mirror.invalidate();
    await assert.rejects(mirror.ready(), (e: unknown) => (e as { status?: number }).status === 503);
    await own.start();
    await readyOnceRedisAnswers();
  });

  it('when revocations expire, then the purge forgets them', async () => {
    const [gone] = await record([
      revocation({ revokedAtMs: clock.nowMs() - 7200_000, expiresAtMs: clock.nowMs() - 1000 }),
    ]);
    assert.ok((await log.purgeExpired(clock.nowMs(), 1000)) >= 1);
    const { rows } = await db.query('SELECT 1 FROM revocations WHERE position = $1', [
      gone!.position,
    ]);
    assert.equal(rows.length, 0);
  });
});
