import { Cluster, Redis } from 'ioredis';

/** A single Redis or a Redis Cluster: the stores use only what both offer. */
export type RedisClient = Redis | Cluster;

export interface RedisOptions {
  url: string;
  /** Treat url as a seed node of a Redis Cluster (keys carry hash tags where scripts need it). */
  cluster?: boolean;
  keyPrefix: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** Told once each time the connection goes down, with why (never on every retry). */
  onDown?: (error: Error) => void;
  onUp?: () => void;
}

/**
 * A Redis connection that fails fast: commands are never queued while disconnected
 * (enableOfflineQueue: false) and each has a timeout, so a dead Redis turns into a quick
 * 503 rather than hanging requests. It reconnects on its own, forever, with capped backoff.
 */
export function createRedisClient(options: RedisOptions): RedisClient {
  const retryStrategy = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 5), 1000);
  const nodeOptions = {
    // Commands issued in the same tick share one write (and Redis answers them in one
    // read): many concurrent requests cost a few syscalls instead of one per command.
    enableAutoPipelining: true,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: 0,
  };
  const client: RedisClient = options.cluster
    ? new Cluster([options.url], {
        keyPrefix: options.keyPrefix,
        enableAutoPipelining: true,
        enableOfflineQueue: false,
        lazyConnect: true,
        clusterRetryStrategy: retryStrategy,
        redisOptions: nodeOptions,
      })
    : new Redis(options.url, {
        ...nodeOptions,
        keyPrefix: options.keyPrefix,
        enableOfflineQueue: false,
        lazyConnect: true,
        retryStrategy,
      });
  let down = false;
  client.on('ready', () => {
    if (down) options.onUp?.();
    down = false;
  });
  client.on('error', (error: Error) => {
    if (!down) options.onDown?.(error);
    down = true;
  });
  return client;
}

/** Opens the connection, waiting at most timeoutMs; resolves false if Redis is not there yet. */
export async function connectRedis(client: RedisClient, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      client.connect().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A separate connection for pub/sub (a subscribed connection can do nothing else), like
 * the given one but without key prefix (channels are named in full) and queueing its
 * SUBSCRIBE until connected; it resubscribes by itself after reconnecting.
 */
export function createSubscriber(client: RedisClient): RedisClient {
  return client instanceof Cluster
    ? client.duplicate(undefined, { keyPrefix: '', enableOfflineQueue: true, lazyConnect: false })
    : client.duplicate({ keyPrefix: '', enableOfflineQueue: true, lazyConnect: false });
}

/** The key prefix the client adds to every key (not to channel names). */
export const keyPrefixOf = (client: RedisClient): string => client.options.keyPrefix ?? '';

/**
 * A second connection like the given one but without auto-pipelining, for libraries that
 * define Lua commands on the client (rate-limiter-flexible's `rlflxIncr`): ioredis's
 * auto-pipelining queues a command on a pipeline made before the command was defined,
 * which misaligns every answer of that pipeline (ioredis #1931: `results[i] is not
 * iterable` thrown uncaught, the other commands' promises never settled).
 */
export function createUnpipelinedClient(client: RedisClient): RedisClient {
  const unpipelined =
    client instanceof Cluster
      ? client.duplicate(undefined, {
          enableAutoPipelining: false,
          redisOptions: { ...client.options.redisOptions, enableAutoPipelining: false },
        })
      : client.duplicate({ enableAutoPipelining: false });
  // Outages are reported by the main connection (createRedisClient's onDown/onUp); its
  // commands fail fast meanwhile, like the main connection's.
  unpipelined.on('error', () => undefined);
  return unpipelined;
}
