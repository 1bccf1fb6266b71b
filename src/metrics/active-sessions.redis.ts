import type { RedisClient } from '../platform/redis/index.js';
import { ledgerBucketOf, LEDGER_BUCKET_MS, type ActiveSessionLedger } from './active-sessions.js';

/** Sessions live at most 90 days (org settings); the ledger outlives the longest. */
const LEDGER_TTL_MS = 91 * 86_400_000;

/**
 * ActiveSessionLedger on Redis: one hash, field = expiry hour, value = sessions opened
 * minus ended. HINCRBY is atomic, so every process adds to the same figures; hours that
 * have passed are dropped when counted.
 */
export function createRedisActiveSessionLedger(
  redis: RedisClient,
  key = 'metrics:active-sessions',
): ActiveSessionLedger {
  const add = async (expiresAtMs: number, delta: number) => {
    await redis
      .multi()
      .hincrby(key, String(ledgerBucketOf(expiresAtMs)), delta)
      .pexpire(key, LEDGER_TTL_MS)
      .exec();
  };
  return {
    opened: (expiresAtMs) => add(expiresAtMs, 1),
    ended: (expiresAtMs) => add(expiresAtMs, -1),
    async count(nowMs) {
      const fields = await redis.hgetall(key);
      let total = 0;
      const past: string[] = [];
      for (const [field, value] of Object.entries(fields)) {
        if (Number(field) * LEDGER_BUCKET_MS > nowMs) total += Number(value);
        else past.push(field);
      }
      if (past.length) await redis.hdel(key, ...past);
      return Math.max(0, total);
    },
    async close() {
      // The client is shared and closed by its owner (the composition root).
    },
  };
}
