import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Database } from '../../src/platform/db/index.js';
import { createTableMaintenance } from '../../src/platform/db/table-maintenance.js';
import { startTestApp } from '../support/app.js';
import { freshPostgres } from '../support/databases.js';
import { createTestDatabase } from '../support/services.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';

/** Dead rows as PostgreSQL's statistics report them, once they have caught up. */
async function deadRows(db: Database, table: string, atLeast: number): Promise<number> {
  for (let i = 0; ; i++) {
    const { rows } = await db.query<{ n: string }>(
      'SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = $1',
      [table],
    );
    const n = Number(rows[0]?.n ?? 0);
    // Each backend reports its counts within about a second of going idle.
    if (n >= atLeast || i >= 50) return n;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('table maintenance: VACUUM of the churned tables, whatever autovacuum says', () => {
  let test: { url: string };
  let db: Database;
  let teardown: () => Promise<void>;

  before(async () => {
    const fresh = await freshPostgres({ poolMax: 2 });
    ({ db, teardown } = fresh);
    test = fresh;
    // This test decides when the churned table is vacuumed, not the server's autovacuum.
    await db.query('ALTER TABLE audit_relay_positions SET (autovacuum_enabled = false)');
  });
  after(() => teardown());

  /** Rows written and deleted again in one of the tables Latchkey churns. */
  const churn = async (rows: number) => {
    await db.query(
      `INSERT INTO audit_relay_positions (chain_id, seq)
       SELECT gen_random_uuid(), 0 FROM generate_series(1, $1)`,
      [rows],
    );
    await db.query('DELETE FROM audit_relay_positions');
  };

  const maintenance = (deadRowsThreshold: number) =>
    createTableMaintenance({
      url: test.url,
      deadRows: deadRowsThreshold,
      statementTimeoutMs: 60_000,
      connectTimeoutMs: 3000,
    });

  it('when a queue table holds more dead rows than the threshold, then a pass vacuums it and its dead rows are gone', async () => {
    await churn(3000);
    assert.ok(
      (await deadRows(db, 'audit_relay_positions', 3000)) >= 3000,
      'the churn left dead rows',
    );

    const done = await maintenance(2000).runOnce();

    const churned = done.find((d) => d.table === 'audit_relay_positions');
    assert.ok(churned, `audit_relay_positions vacuumed (vacuumed: ${JSON.stringify(done)})`);
    assert.ok(churned.deadRows >= 3000);
    const { rows } = await db.query<{ n: number; vacuumed: boolean; analysed: boolean }>(
      `SELECT n_dead_tup AS n, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analysed
       FROM pg_stat_user_tables WHERE relname = 'audit_relay_positions'`,
    );
    assert.deepEqual(
      { ...rows[0], n: Number(rows[0]?.n) },
      { n: 0, vacuumed: true, analysed: true },
    );
  });

  it('when no table passes the threshold, then a pass vacuums nothing', async () => {
    await churn(100);
    await deadRows(db, 'audit_relay_positions', 100);
    assert.deepEqual(await maintenance(2000).runOnce(), []);
  });

  it('when PostgreSQL cannot be reached, then the pass fails with the connection error and a later pass works', async () => {
    const unreachable = createTableMaintenance({
      url: 'postgres://postgres@127.0.0.1:1/nowhere',
      deadRows: 1,
      statementTimeoutMs: 1000,
      connectTimeoutMs: 500,
    });
    await assert.rejects(unreachable.runOnce(), /ECONNREFUSED|connect/);
    await churn(2500);
    await deadRows(db, 'audit_relay_positions', 2500);
    assert.ok((await maintenance(2000).runOnce()).some((d) => d.table === 'audit_relay_positions'));
  });
});

describe('table maintenance while PostgreSQL is stalled', () => {
  it('when a pass hangs on a stalled network, then stop() returns within about a second', async () => {
    const test = await createTestDatabase();
    const { proxy, url } = await proxyInFrontOf(test.url);
    await proxy.start();
    try {
      const maintenance = createTableMaintenance({
        url,
        deadRows: 1,
        statementTimeoutMs: 60_000,
        connectTimeoutMs: 30_000,
      });
      proxy.stall();
      // The scheduled pass hangs in its connection's start-up (connect timeout 30 s).
      maintenance.start(50);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const startedAt = performance.now();
      await maintenance.stop();
      const waited = performance.now() - startedAt;
      assert.ok(waited < 2000, `stop() waited ${Math.round(waited)} ms on a stalled pass`);
    } finally {
      await proxy.stop();
      await test.drop();
    }
  });
});

describe('table maintenance in the app', () => {
  it('when Latchkey runs on PostgreSQL, then the job runs; with vacuumIntervalSeconds 0 there is none', async () => {
    const on = await startTestApp();
    const off = await startTestApp({ env: { LATCHKEY_DATABASE_VACUUM_INTERVAL_SECONDS: '0' } });
    try {
      assert.ok(on.app.tableMaintenance, 'a job on PostgreSQL');
      assert.ok(Array.isArray(await on.app.tableMaintenance.runOnce()));
      assert.equal(off.app.tableMaintenance, null);
    } finally {
      await on.close();
      await off.close();
    }
  });
});
