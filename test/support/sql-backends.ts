import { after, before, describe } from 'node:test';
import type { Database } from '../../src/platform/db/index.js';
import { databaseKinds, type DatabaseHarness } from './databases.js';

/** Returns the block's migrated database; call it from a hook or a test, not while declaring. */
export type OpenSqlBackend = () => Database;

/**
 * Declares `body` once per SQL backend Latchkey runs on: a fresh, migrated PostgreSQL test
 * database (test/support/services.ts) and a fresh, migrated in-memory PGlite (what
 * `npm run dev` uses). Each block gets its own database, dropped when the block ends, so a
 * store contract suite states behaviour once and both backends must show it.
 */
export function forEachSqlBackend(name: string, body: (open: OpenSqlBackend) => void): void {
  for (const kind of ['postgres', 'pglite'] as const) {
    describe(`${name} on ${kind}`, () => {
      let harness: DatabaseHarness | undefined;
      before(async () => {
        harness = await databaseKinds[kind]();
      });
      after(async () => {
        await harness?.teardown();
      });
      body(() => {
        if (!harness) throw new Error(`the ${kind} database is opened in a before hook`);
        return harness.db;
      });
    });
  }
}
