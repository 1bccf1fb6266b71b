import { Redis } from 'ioredis';

export type RedisClient = Redis;

export interface RedisOptions {
  url: string;
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
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 5), 1000),
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
