import {
  createPgliteDatabase,
  createPostgresDatabase,
  migrate,
  type Database,
} from '../../src/platform/db/index.js';
import { createTestDatabase } from './services.js';

export interface DatabaseHarness {
  db: Database;
  teardown(): Promise<void>;
}

/** A migrated, empty database of each kind, for the store contract suites. */
export const databaseKinds: Record<'postgres' | 'pglite', () => Promise<DatabaseHarness>> = {
  async postgres() {
    const test = await createTestDatabase();
    const db = createPostgresDatabase({
      url: test.url,
      poolMax: 5,
      statementTimeoutMs: 5000,
      queryTimeoutMs: 6000,
      connectTimeoutMs: 3000,
    });
    await migrate(db);
    return {
      db,
      teardown: async () => {
        await db.close();
        await test.drop();
      },
    };
  },
  async pglite() {
    const db = await createPgliteDatabase('memory://');
    await migrate(db);
    return { db, teardown: () => db.close() };
  },
};
