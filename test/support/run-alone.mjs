/**
 * Loaded into every test file's process by `npm test` (scripts/run-tests.mjs) when it runs
 * files several at a time (machines with four cores or more). A file whose source holds
 * the line
 *
 *     // @run-alone: <why>
 *
 * runs with no other test file beside it: it takes an exclusive PostgreSQL advisory lock
 * before its tests start, and every other file holds the same lock shared for its whole
 * life. PostgreSQL queues a shared request behind a waiting exclusive one, so once a
 * run-alone file asks, the files running finish, none starts, it runs, and the rest go on.
 * For tests that hold the real clock against a limit (a flood against a rate-limit window,
 * an outage against a latency bound), which a neighbour sharing the cores could tip.
 *
 * The lock is per run (`LATCHKEY_TEST_LOCK`, set by run-tests.mjs), so two runs on one
 * machine do not wait for each other; a file run on its own (no variable) takes nothing.
 * Plain JavaScript: worker threads load it too, before any TypeScript loader is theirs.
 * The lock's connection is unreferenced: it never keeps a finished file's process alive,
 * and ends (releasing the lock) with the process.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

const RUN_ALONE = /^\/\/ @run-alone: \S/m;
const LOCK_CLASS = 0x4c4b5431; // 'LKT1': the tests' advisory locks, apart from the app's

async function holdRunLock() {
  const key = Number(process.env.LATCHKEY_TEST_LOCK);
  // Processes this file starts (the app, the CLI, a validator) take nothing: waiting
  // behind a queued run-alone file while their test file holds its share, they would
  // deadlock.
  delete process.env.LATCHKEY_TEST_LOCK;
  const file = process.argv[1];
  if (!process.env.NODE_TEST_CONTEXT || !Number.isInteger(key) || !file) return;
  const alone = RUN_ALONE.test(readFileSync(file, 'utf8'));
  const client = new pg.Client({
    connectionString:
      process.env.TEST_DATABASE_URL ??
      process.env.DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/postgres',
    application_name: 'latchkey-test-run-lock',
  });
  try {
    await client.connect();
    await client.query(
      alone ? 'SELECT pg_advisory_lock($1, $2)' : 'SELECT pg_advisory_lock_shared($1, $2)',
      [LOCK_CLASS, key],
    );
  } catch (error) {
    // The tests that need PostgreSQL fail on their own with what to start.
    process.stderr.write(`run-alone lock not taken (${error.message}): is PostgreSQL running?\n`);
    await client.end().catch(() => undefined);
    return;
  }
  client.on('error', () => undefined);
  // pg keeps its socket on the connection; unreferenced, it holds the lock, not the process.
  client.connection.stream.unref();
}

await holdRunLock();
