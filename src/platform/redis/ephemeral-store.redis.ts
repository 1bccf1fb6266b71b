import { Cluster } from 'ioredis';
import type { RedisClient } from './client.js';
import type { EphemeralStore, StoreWrite } from './ephemeral-store.js';
import { redisScript } from './script.js';

/** KEYS: key, usedKey[, markKey]; ARGV: usedTtlMs[, markTtlMs, markValue]. Returns {0|1, value} or nil. */
const REDEEM = redisScript(`
local value = redis.call('GETDEL', KEYS[1])
if value then
  redis.call('SET', KEYS[2], value, 'PX', ARGV[1])
  if KEYS[3] then redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[2]) end
  return {0, value}
end
local used = redis.call('GET', KEYS[2])
if used then return {1, used} end
return false
`);

/** KEYS: list; ARGV: ttlMs, maxLength, members… (one key: atomic on Redis Cluster too). */
const APPEND_TO_LIST = redisScript(`
redis.call('RPUSH', KEYS[1], unpack(ARGV, 3))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
`);

/**
 * putAll on a single Redis, in order and in one atomic step. KEYS: one per write; ARGV,
 * per write: 'v', ttlMs, value; or 'l', ttlMs, maxLength, count, members….
 */
const PUT_ALL = redisScript(`
local a = 1
for _, key in ipairs(KEYS) do
  if ARGV[a] == 'v' then
    redis.call('SET', key, ARGV[a + 2], 'PX', ARGV[a + 1])
    a = a + 3
  else
    local n = tonumber(ARGV[a + 3])
    redis.call('RPUSH', key, unpack(ARGV, a + 4, a + 3 + n))
    redis.call('LTRIM', key, -tonumber(ARGV[a + 2]), -1)
    redis.call('PEXPIRE', key, ARGV[a + 1])
    a = a + 4 + n
  end
end
`);

const putAllArgs = (write: StoreWrite) =>
  'value' in write
    ? ['v', write.ttlMs, write.value]
    : ['l', write.ttlMs, write.maxLength, write.append.length, ...write.append];

/** EphemeralStore on Redis: every operation is one atomic command. */
export function createRedisEphemeralStore(redis: RedisClient, namespace = 'eph:'): EphemeralStore {
  const k = (key: string) => namespace + key;
  return {
    async put(key, value, ttlMs) {
      await redis.set(k(key), value, 'PX', ttlMs);
    },
    get: (key) => redis.get(k(key)),
    take: (key) => redis.getdel(k(key)),
    async redeem(key, usedKey, usedTtlMs, mark) {
      const out = (await REDEEM(
        redis,
        mark ? [k(key), k(usedKey), k(mark.key)] : [k(key), k(usedKey)],
        mark ? [usedTtlMs, mark.ttlMs, mark.value] : [usedTtlMs],
      )) as [number, string] | null;
      return out ? { value: out[1], used: out[0] === 1 } : null;
    },
    async claim(key, ttlMs) {
      return (await redis.set(k(key), '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async addToSet(key, member, ttlMs) {
      await redis.multi().sadd(k(key), member).pexpire(k(key), ttlMs).exec();
    },
    setMembers: (key) => redis.smembers(k(key)),
    async putAll(all) {
      const writes = all.filter((w) => 'value' in w || w.append.length);
      if (!(redis instanceof Cluster)) {
        if (writes.length)
          await PUT_ALL(
            redis,
            writes.map((w) => k(w.key)),
            writes.flatMap(putAllArgs),
          );
        return;
      }
      await Promise.all(
        writes.map((w) =>
          'value' in w
            ? redis.set(k(w.key), w.value, 'PX', w.ttlMs)
            : APPEND_TO_LIST(redis, [k(w.key)], [w.ttlMs, w.maxLength, ...w.append]),
        ),
      );
    },
    putAllIsAtomic: !(redis instanceof Cluster),
    listMembers: (key) => redis.lrange(k(key), 0, -1),
    async delete(key) {
      return (await redis.del(k(key))) > 0;
    },
    async ping() {
      await redis.ping();
    },
    async incarnation() {
      if (redis instanceof Cluster) return null;
      const info = await redis.info('server');
      return /^run_id:(\w+)/m.exec(info)?.[1] ?? null;
    },
    async close() {
      // The client is shared and closed by its owner (the composition root).
    },
  };
}
