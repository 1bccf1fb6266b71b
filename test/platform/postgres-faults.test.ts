// @run-alone: holds each call against the query timeout (800 ms), a bound a neighbour sharing the cores could tip.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPostgresDatabase, type Database } from '../../src/platform/db/index.js';
import { UnavailableError } from '../../src/platform/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/services.js';
import { proxyInFrontOf, type tcpProxy } from '../support/tcp-proxy.js';

const QUERY_TIMEOUT_MS = 800;

/** Rejects with UnavailableError('database'), as every outage must (a 503, never a 500). */
async function assertUnavailable(work: Promise<unknown>) {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof UnavailableError, `expected UnavailableError, got ${String(error)}`);
    assert.equal(error.code, 'dependency_unavailable');
    assert.equal(error.status, 503);
    return true;
  });
}

const elapsed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work().catch(() => undefined);
  return performance.now() - started;
};

describe('PostgreSQL faults through a TCP proxy', () => {
  let test: TestDatabase;
  let proxy: ReturnType<typeof tcpProxy>;
  let db: Database;
  const availability: boolean[] = [];
  let outcomeUnknown = 0;

  before(async () => {
    test = await createTestDatabase();
    let url: string;
    ({ proxy, url } = await proxyInFrontOf(test.url));
    await proxy.start();
    db = createPostgresDatabase({
      url,
      poolMax: 4,
      statementTimeoutMs: 5000,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
      connectTimeoutMs: QUERY_TIMEOUT_MS,
      onAvailability: (available) => availability.push(available),
      onCommitOutcomeUnknown: () => {
        outcomeUnknown += 1;
      },
    });
    await db.query('CREATE TABLE items (id integer PRIMARY KEY)');
  });
  after(async () => {
    await db.close();
    await proxy.stop();
    await test.drop();
  });

  it('when PostgreSQL refuses connections, then every call is a 503 and the next one after it is back succeeds', async () => {
    await proxy.stop();
    await assertUnavailable(db.query('SELECT 1'));
    await assertUnavailable(db.transaction((tx) => tx.query('INSERT INTO items VALUES (1)')));
    await assertUnavailable(db.ping());
    await proxy.start();
    // The first call after the outage is the breaker's probe: it goes through.
    await db.ping();
    assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM items')).rows, [{ n: 0 }]);
    assert.deepEqual(availability.slice(-2), [false, true]);
  });

  it('when PostgreSQL stalls, then a query fails within the query timeout and the others at once, and all recover after', async () => {
    await db.query('SELECT 1');
    proxy.stall();
    try {
      const first = elapsed(() => db.query('SELECT 1'));
      // Calls made while the first waits on the stalled server also end within the bound.
      const crowd = Array.from({ length: 10 }, () => elapsed(() => db.query('SELECT 2')));
      const times = await Promise.all([first, ...crowd]);
      for (const ms of times) assert.ok(ms < QUERY_TIMEOUT_MS * 2 + 500, `a call took ${ms} ms`);
      // Once the outage is known, one call at a time probes the server; every other call
      // is answered without waiting.
      const probe = elapsed(() => db.query('SELECT 3'));
      const later = await elapsed(() => db.query('SELECT 4'));
      assert.ok(later < QUERY_TIMEOUT_MS / 2, `a call during the known outage took ${later} ms`);
      await assertUnavailable(db.query('SELECT 5'));
      await probe;
    } finally {
      proxy.resume();
    }
    // The stalled connections were dropped, not handed out again.
    for (let i = 0; i < 6; i += 1) await db.query('SELECT 5').catch(() => undefined);
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO items VALUES (2)');
    });
    assert.deepEqual((await db.query('SELECT id FROM items')).rows, [{ id: 2 }]);
  });

  it('when a transaction breaks on a stalled connection, then it is a 503 and nothing of it is committed', async () => {
    await db.query('SELECT 1').catch(() => undefined);
    await db.query('SELECT 1');
    await assertUnavailable(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (3)');
        proxy.stall();
        await tx.query('INSERT INTO items VALUES (4)');
      }),
    );
    proxy.resume();
    for (let i = 0; i < 6; i += 1) await db.query('SELECT 1').catch(() => undefined);
    // The server rolls the broken transaction back when it notices the connection gone.
    const deadline = Date.now() + 5000;
    let ids: number[] = [];
    while (Date.now() < deadline) {
      ids = (await db.query<{ id: number }>('SELECT id FROM items ORDER BY id')).rows.map(
        (r) => r.id,
      );
      const open = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      if (open.rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(ids, [2]);
  });

  it('when the answer to a write outside a transaction is lost, then it is a 503 counted as of unknown outcome; a lost read, or a transaction broken before its COMMIT, is not counted', async () => {
    const recover = async () => {
      for (let i = 0; i < 50; i += 1) {
        if (
          await db.query('SELECT 1').then(
            () => true,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail('the database did not come back');
    };
    const lost = async (work: () => Promise<unknown>) => {
      await recover();
      proxy.stall();
      try {
        await assertUnavailable(work());
      } finally {
        proxy.resume();
      }
    };
    const before = outcomeUnknown;
    await lost(() => db.query('INSERT INTO items VALUES (20)'));
    assert.equal(outcomeUnknown, before + 1, 'a write whose answer was lost may have applied');
    await lost(() => db.query('SELECT id FROM items'));
    await lost(() =>
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (21)');
      }),
    );
    assert.equal(
      outcomeUnknown,
      before + 1,
      'a read, or a transaction before COMMIT, changed nothing',
    );
    await recover();
  });

  it('when a statement is cancelled by the server, then it is a 503 and the database stays available', async () => {
    await assertUnavailable(
      db.transaction(async (tx) => {
        await tx.query("SET LOCAL statement_timeout = '50ms'");
        await tx.query('SELECT pg_sleep(1)');
      }),
    );
    await db.query('SELECT 1');
  });

  it('when a query is wrong, then the error is the database error as it is, not a 503', async () => {
    await assert.rejects(db.query('SELECT * FROM no_such_table'), (error: unknown) => {
      assert.ok(!(error instanceof UnavailableError));
      assert.equal((error as { code?: string }).code, '42P01');
      return true;
    });
    await db.query('SELECT 1');
  });
});
