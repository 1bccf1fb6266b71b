import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  migrate,
  MigrationError,
  type Database,
} from '../../src/platform/db/index.js';
import { migrations } from '../../src/platform/db/migrations/index.js';
import type { DatabaseHarness } from '../support/databases.js';
import { createTestDatabase, type TestDatabase } from '../support/services.js';

describe('migrations on a fresh PostgreSQL database', () => {
  let test: TestDatabase;
  const open: Database[] = [];
  const connect = () => {
    const db = createPostgresDatabase({
      url: test.url,
      poolMax: 3,
      statementTimeoutMs: 5000,
      queryTimeoutMs: 6000,
      connectTimeoutMs: 3000,
    });
    open.push(db);
    return db;
  };
  before(async () => {
    test = await createTestDatabase();
  });
  after(async () => {
    for (const db of open) await db.close();
    await test.drop();
  });

  it('when several processes migrate at once, then each migration is applied exactly once', async () => {
    const results = await Promise.all([connect(), connect(), connect()].map((db) => migrate(db)));
    const applied = results.flatMap((r) => r.applied).sort();
    assert.deepEqual(applied, migrations.map((m) => m.version).sort());
    const { rows } = await connect().query<{ n: number }>(
      'SELECT count(*) AS n FROM schema_migrations',
    );
    assert.equal(rows[0]!.n, migrations.length);
  });

  it('when migrations run again, then nothing is applied', async () => {
    assert.deepEqual(await migrate(connect()), { applied: [] });
  });

  it('when an applied migration was edited, then migrating is refused', async () => {
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: m.sql + '\n-- edited' } : m));
    await assert.rejects(
      migrate(connect(), edited),
      (error) => error instanceof MigrationError && error.code === 'migration_failed',
    );
  });

  it('when the database is newer than this build, then migrating is refused', async () => {
    await assert.rejects(migrate(connect(), migrations.slice(0, 0)), MigrationError);
  });

  it('when a new migration fails, then it leaves no trace and later runs can retry', async () => {
    const broken = [
      ...migrations,
      {
        version: '9999-broken',
        sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;',
      },
    ];
    await assert.rejects(migrate(connect(), broken));
    const { rows } = await connect().query(`SELECT to_regclass('half_done') AS t`);
    assert.equal(rows[0]!.t, null);
    const { rows: versions } = await connect().query(
      `SELECT version FROM schema_migrations WHERE version = '9999-broken'`,
    );
    assert.equal(versions.length, 0);
  });
});

describe('migrations on embedded PGlite', () => {
  let h: DatabaseHarness;
  before(async () => {
    // Migrated here from initdb, not from the suites' migrated copy (databaseKinds.pglite).
    const db = await createPgliteDatabase('memory://');
    await migrate(db);
    h = { db, teardown: () => db.close() };
  });
  after(async () => {
    await h.teardown();
  });

  it('when PGlite is migrated, then it has the same tables and bookkeeping as PostgreSQL', async () => {
    const { rows } = await h.db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    assert.deepEqual(
      rows.map((r) => r.version),
      migrations.map((m) => m.version),
    );
    assert.deepEqual(await migrate(h.db), { applied: [] });
    const { rows: tables } = await h.db.query<{ t: string | null }>(
      `SELECT to_regclass('signing_keys')::text AS t`,
    );
    assert.equal(tables[0]!.t, 'signing_keys');
  });
});
