export {
  createRedisClient,
  connectRedis,
  createSubscriber,
  keyPrefixOf,
  type RedisClient,
  type RedisOptions,
} from './client.js';
export type { EphemeralStore } from './ephemeral-store.js';
export { redisScript } from './script.js';
export { createRedisEphemeralStore } from './ephemeral-store.redis.js';
export { createMemoryEphemeralStore } from './ephemeral-store.memory.js';
