import { createPostgresDatabase, type Database } from '../../src/platform/db/index.js';
import { freshPglite } from './pglite-template.js';
import { createTestDatabase } from './services.js';

export interface DatabaseHarness {
  db: Database;
  teardown: () => Promise<void>;
}

/**
 * A fresh PostgreSQL database of its own and a pool on it (a copy of a migrated one
 * unless `migrated` is false); teardown closes the pool and drops the database.
 */
export async function freshPostgres(
  options: { poolMax?: number; migrated?: boolean } = {},
): Promise<DatabaseHarness & { url: string }> {
  const migrated = options.migrated !== false;
  const test = await createTestDatabase({ migrated });
  const db = createPostgresDatabase({
    url: test.url,
    poolMax: options.poolMax ?? 5,
    statementTimeoutMs: 5000,
    queryTimeoutMs: 6000,
    connectTimeoutMs: 3000,
  });
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
