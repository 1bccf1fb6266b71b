import { createPostgresDatabase, migrate, type Database } from '../../src/platform/db/index.js';
import { freshPglite } from './pglite-template.js';
import { createTestDatabase } from './services.js';

export interface DatabaseHarness {
  db: Database;
  teardown: () => Promise<void>;
}

/**
 * A fresh PostgreSQL database of its own and a pool on it (migrated unless `migrated` is
 * false); teardown closes the pool and drops the database.
 */
export async function freshPostgres(
  options: { poolMax?: number; migrated?: boolean } = {},
): Promise<DatabaseHarness & { url: string }> {
  const test = await createTestDatabase();
  const db = createPostgresDatabase({
    url: test.url,
    poolMax: options.poolMax ?? 5,
    statementTimeoutMs: 5000,
    queryTimeoutMs: 6000,
    connectTimeoutMs: 3000,
  });
  if (options.migrated !== false) await migrate(db);
  return {
    db,
    url: test.url,
    teardown: async () => {
      await db.close();
      await test.drop();
    },
  };
}

/**
 * A migrated, empty database of each kind, for the store contract suites (PGlite's starts
 * from a migrated copy: test/support/pglite-template.ts).
 */
export const databaseKinds: Record<'postgres' | 'pglite', () => Promise<DatabaseHarness>> = {
  postgres: () => freshPostgres(),
  async pglite() {
    const db = await freshPglite();
    return { db, teardown: () => db.close() };
  },
};
