import type { RedisClient } from './client.js';
import type { EphemeralStore } from './ephemeral-store.js';

/** EphemeralStore on Redis: every operation is one atomic command. */
export function createRedisEphemeralStore(redis: RedisClient, namespace = 'eph:'): EphemeralStore {
  const k = (key: string) => namespace + key;
  return {
    async put(key, value, ttlMs) {
      await redis.set(k(key), value, 'PX', ttlMs);
    },
    get: (key) => redis.get(k(key)),
    take: (key) => redis.getdel(k(key)),
    async claim(key, ttlMs) {
      return (await redis.set(k(key), '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async addToSet(key, member, ttlMs) {
      await redis.multi().sadd(k(key), member).pexpire(k(key), ttlMs).exec();
    },
    setMembers: (key) => redis.smembers(k(key)),
    async delete(key) {
      return (await redis.del(k(key))) > 0;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      // The client is shared and closed by its owner (the composition root).
    },
  };
}
