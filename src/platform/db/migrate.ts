import { createHash } from 'node:crypto';
import type { Database } from './database.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

export class MigrationError extends Error {
  readonly code = 'migration_failed';
}

// Any fixed 64-bit number: serialises concurrent migrators (several processes starting).
const MIGRATION_LOCK = 7_461_276_517_101;

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Applies pending migrations in order, each in its own transaction with its bookkeeping
 * row, under an advisory lock so several processes starting at once apply each one once.
 * Refuses to run when an applied migration was edited or is unknown to this build
 * (forward-only: a newer schema than the code means the code is too old).
 */
export async function migrate(
  db: Database,
  migrations: Migration[] = allMigrations,
): Promise<{ applied: string[] }> {
  // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin: lock first.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const existing = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [migration.version],
      );
      if (existing.rows[0]) {
        if (existing.rows[0].checksum !== checksum(migration.sql)) {
          throw new MigrationError(
            `migration ${migration.version} was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      // A migration may rewrite a large table: no statement timeout for it.
      if (db.kind === 'postgres') await tx.query('SET LOCAL statement_timeout = 0');
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
        migration.version,
        checksum(migration.sql),
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  const known = new Set(migrations.map((m) => m.version));
  const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  const unknown = rows.map((r) => r.version).filter((v) => !known.has(v));
  if (unknown.length) {
    throw new MigrationError(
      `the database has migrations this build does not know (${unknown.join(', ')}); deploy a newer build`,
    );
  }
  return { applied };
}
