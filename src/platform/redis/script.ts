import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';

/**
 * A Lua script run by its SHA-1 (EVALSHA), so hot paths do not send the source with every
 * call; the source goes once more after Redis forgets it (NOSCRIPT: a restart, SCRIPT
 * FLUSH, a failover to a replica that never saw it).
 */
export function redisScript(source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (
    redis: RedisClient,
    keys: string[],
    args: Array<string | number>,
  ): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
