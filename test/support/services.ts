/**
 * Real PostgreSQL and Redis for the tests, never mocks. Each test file gets its own
 * database and its own Redis key prefix, so runs (and files within a run) cannot collide.
 * A missing service fails the test with what to start; nothing is skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createPostgresDatabase, migrate } from '../../src/platform/db/index.js';
import { migrations } from '../../src/platform/db/migrations/index.js';
import { createRedisClient, type RedisClient } from '../../src/platform/redis/index.js';

const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL =
  process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN_ID = process.env.TEST_RUN_ID ?? randomBytes(3).toString('hex');

const uniqueSuffix = () => `${RUN_ID}_${process.pid}_${randomBytes(3).toString('hex')}`;

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

const databaseUrl = (name: string): string => {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * A hash of every migration's SQL and the migrator's source (and `extra`): names the
 * migrated copies the tests start from (here and test/support/pglite-template.ts), so a
 * changed or added migration makes, and migrates, a new one.
 */
export const migrationsHash = (extra = ''): string => {
  const hash = createHash('sha256').update(extra);
  hash.update(readFileSync(new URL('../../src/platform/db/migrate.ts', import.meta.url)));
  for (const m of migrations) hash.update(`\0${m.version}\0${m.sql}`);
  return hash.digest('hex').slice(0, 16);
};

const migratedTemplateName = () => `latchkey_test_migrated_${migrationsHash()}`;

/**
 * Makes sure the migrated template exists: built once per set of migrations on this
 * server (CREATE DATABASE + migrate, then renamed into place), under an advisory lock so
 * test files starting at once build it once. Nobody connects to it afterwards: it is only
 * copied (CREATE DATABASE … TEMPLATE), which is much faster than migrating each database.
 */
async function ensureMigratedTemplate(admin: pg.Client): Promise<string> {
  const template = migratedTemplateName();
  const exists = async () =>
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
  if (await exists()) return template;
  await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
  try {
    if (await exists()) return template;
    const building = `${template}_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${building}`);
    await admin.query(`CREATE DATABASE ${building}`);
    const db = createPostgresDatabase({
      url: databaseUrl(building),
      poolMax: 1,
      statementTimeoutMs: 30_000,
      queryTimeoutMs: 30_000,
      connectTimeoutMs: 3000,
    });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    try {
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    } catch (error) {
      // A run on another database of this server (whose lock is not ours) was first.
      if ((error as { code?: string }).code !== '42P04') throw error;
      await admin.query(`DROP DATABASE ${building}`);
    }
    return template;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
  }
}

/**
 * CREATE DATABASE latchkey_test_<run>_<pid>_<random>; drop() removes it. `migrated`: a
 * copy of a database every migration was applied to (as `migrate` leaves it), else empty.
 */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const name = `latchkey_test_${uniqueSuffix()}`;
  const admin = new pg.Client({
    connectionString: ADMIN_DATABASE_URL,
    connectionTimeoutMillis: 3000,
  });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${redactUrl(ADMIN_DATABASE_URL)} (${(error as Error).message}). ` +
        'Start it (`docker compose up -d postgres`, or your local server) or point TEST_DATABASE_URL at one.',
      { cause: error },
    );
  }
  try {
    const template = options.migrated ? await ensureMigratedTemplate(admin) : null;
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(name),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface TestRedis {
  url: string;
  keyPrefix: string;
  /** A plain client (no prefix) for assertions. */
  client: Redis;
  /** Deletes every key under keyPrefix and closes the client. */
  cleanup(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  const keyPrefix = `lk-test:${uniqueSuffix()}:`;
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(
      `Redis is not reachable at ${redactUrl(TEST_REDIS_URL)} (${(error as Error).message}). ` +
        'Start it (`docker compose up -d redis`, or `redis-server --daemonize yes`) or point TEST_REDIS_URL at one.',
      { cause: error },
    );
  }
  return {
    url: TEST_REDIS_URL,
    keyPrefix,
    client,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) await client.del(...keys);
      } while (cursor !== '0');
      client.disconnect();
    },
  };
}

function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

/** A connected client of the app's own kind (createRedisClient) on a test Redis or cluster. */
export async function connectedRedisClient(at: {
  url: string;
  keyPrefix: string;
  cluster?: boolean;
}): Promise<RedisClient> {
  const client = createRedisClient({ ...at, commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
  await client.connect();
  return client;
}
