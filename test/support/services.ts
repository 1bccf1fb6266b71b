/**
 * Real PostgreSQL and Redis for the tests, never mocks. Each test file gets its own
 * database and its own Redis key prefix, so runs (and files within a run) cannot collide.
 * A missing service fails the test with what to start; nothing is skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
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

/** CREATE DATABASE latchkey_test_<run>_<pid>_<random>; drop() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
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
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
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
