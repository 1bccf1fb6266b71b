import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config/index.js';
import type { Config } from '../../src/platform/config/index.js';
import type { Clock } from '../../src/platform/clock.js';
import type { TxtResolver } from '../../src/orgs/index.js';
import { createLogger } from '../../src/platform/logger.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from './services.js';

/** Log lines an app wrote, for asserting what is (and is not) logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: App;
  config: Config;
  logs: LogCapture;
  database: TestDatabase;
  redis: TestRedis;
  keysDir: string;
  close(): Promise<void>;
}

/**
 * A whole Latchkey on real Postgres (a fresh database) and real Redis (a fresh prefix),
 * with its own keys folder and a captured log.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    redisUrl?: string;
    /** The URL the app uses for its (fresh) database, e.g. through a TCP proxy. */
    databaseUrl?: (direct: string) => string;
    resolveTxt?: TxtResolver;
  } = {},
): Promise<TestApp> {
  // Already migrated (a copy of the migrated template): the app's own migrate finds
  // nothing to apply.
  const database = await createTestDatabase({ migrated: true });
  const redis = await createTestRedis();
  const keysDir = await mkdtemp(path.join(tmpdir(), 'latchkey-keys-'));
  const config = loadConfig({
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl ? options.databaseUrl(database.url) : database.url,
      REDIS_URL: options.redisUrl ?? redis.url,
      LATCHKEY_REDIS_KEY_PREFIX: redis.keyPrefix,
      LATCHKEY_KEYS_DIR: keysDir,
      LATCHKEY_SERVER_PORT: '0',
      ...options.env,
    },
  });
  const logs = new LogCapture();
  const app = await buildApp(config, {
    logger: createLogger({ level: 'info', destination: logs }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.resolveTxt ? { resolveTxt: options.resolveTxt } : {}),
  });
  return {
    app,
    config,
    logs,
    database,
    redis,
    keysDir,
    async close() {
      await app.close();
      await database.drop();
      await redis.cleanup();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
