import type { Config } from '../platform/config/index.js';
import type { Logger } from '../platform/logger.js';
import type { Database } from '../platform/db/index.js';
import { createPgliteDatabase } from '../platform/db/pglite.js';
import { createPostgresDatabase } from '../platform/db/postgres.js';
import { migrate } from '../platform/db/migrate.js';
import {
  connectRedis,
  createMemoryEphemeralStore,
  createMemoryEventStream,
  createRedisClient,
  createRedisEphemeralStore,
  createRedisEventStream,
  createUnpipelinedClient,
  type EphemeralStore,
  type EventStream,
  type RedisClient,
} from '../platform/redis/index.js';
import { instrumentDatabase, watchRedisErrors, type Metrics } from '../metrics/index.js';
import type { Runtime } from './runtime.js';

/** The stores the app runs on: PostgreSQL or PGlite; Redis or memory. */
export interface Stores {
  db: Database;
  redis: RedisClient | null;
  ephemeral: EphemeralStore;
  /** Where audit events are relayed: Redis Streams, or memory without Redis. */
  eventStream: EventStream;
  /** The rate limiter's own connection (no auto-pipelining: see createUnpipelinedClient). */
  limiterRedis: RedisClient | null;
}

/** Opens the database chosen by config and brings its schema up to date. */
export async function openDatabase(
  config: Config,
  logger: Logger,
  metrics?: Pick<Metrics, 'countDbError'>,
): Promise<Database> {
  const db = config.database.url
    ? createPostgresDatabase({
        url: config.database.url,
        poolMax: config.database.poolMax,
        statementTimeoutMs: config.database.statementTimeoutMs,
        queryTimeoutMs: config.database.queryTimeoutMs,
        connectTimeoutMs: config.database.connectTimeoutMs,
        onError: (error) => {
          metrics?.countDbError('postgresql', 'connection');
          logger.warn({ err: error }, 'idle postgres connection failed');
        },
        onCommitOutcomeUnknown: (error) => {
          metrics?.countDbError('postgresql', 'commit_outcome_unknown');
          logger.error(
            { err: error },
            'postgres connection lost after a COMMIT or a write was sent: it may have been applied although its caller was answered 503',
          );
        },
        onAvailability: (available, error) =>
          available
            ? logger.info('postgres available again')
            : logger.error({ err: error }, 'postgres unavailable; answering 503 until it is back'),
      })
    : await createPgliteDatabase(config.database.pgliteDir);
  try {
    const { applied } = await migrate(db);
    if (applied.length) logger.info({ applied }, 'database migrations applied');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

/** Redis when config names one (started even while it is down), else memory. */
async function openEphemeral(rt: Runtime): Promise<Omit<Stores, 'db'>> {
  const { config, logger, clock, metrics } = rt;
  if (!config.redis.url) {
    logger.warn('no REDIS_URL: using the in-memory store (single process, development only)');
    return {
      redis: null,
      limiterRedis: null,
      ephemeral: createMemoryEphemeralStore({ clock }),
      eventStream: createMemoryEventStream({ clock }),
    };
  }
  const redis = createRedisClient({
    url: config.redis.url,
    cluster: config.redis.cluster,
    keyPrefix: config.redis.keyPrefix,
    commandTimeoutMs: config.redis.commandTimeoutMs,
    connectTimeoutMs: config.redis.connectTimeoutMs,
    onDown: (error) =>
      logger.error({ err: { message: error.message } }, 'redis unavailable; retrying'),
    onUp: () => logger.info('redis available again'),
  });
  watchRedisErrors(redis, metrics);
  rt.onClose(async () => {
    redis.disconnect();
    return Promise.resolve();
  });
  const limiterRedis = createUnpipelinedClient(redis);
  rt.onClose(async () => {
    limiterRedis.disconnect();
    return Promise.resolve();
  });
  // Start even when Redis is down: /readyz says so and the client keeps reconnecting.
  const [up] = await Promise.all([
    connectRedis(redis, config.redis.connectTimeoutMs),
    connectRedis(limiterRedis, config.redis.connectTimeoutMs),
  ]);
  if (!up) {
    logger.warn('redis not reachable at start; serving 503 where it is needed until it is');
  }
  return {
    redis,
    limiterRedis,
    ephemeral: createRedisEphemeralStore(redis),
    eventStream: createRedisEventStream(redis),
  };
}

/** Step 1: the database (migrated, its errors counted) and the hot store. */
export async function openStores(rt: Runtime): Promise<Stores> {
  const db = instrumentDatabase(await openDatabase(rt.config, rt.logger, rt.metrics), rt.metrics);
  rt.onClose(() => db.close());
  const hot = await openEphemeral(rt);
  rt.onClose(() => hot.ephemeral.close());
  return { db, ...hot };
}
