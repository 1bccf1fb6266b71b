export {
  createRedisClient,
  connectRedis,
  createSubscriber,
  createUnpipelinedClient,
  keyPrefixOf,
  type RedisClient,
  type RedisOptions,
} from './client.js';
export type { EphemeralStore, StoreWrite } from './ephemeral-store.js';
export { redisScript } from './script.js';
export { createRedisEphemeralStore } from './ephemeral-store.redis.js';
export { createMemoryEphemeralStore } from './ephemeral-store.memory.js';
export type { EventStream, StreamEntry } from './event-stream.js';
export { createRedisEventStream } from './event-stream.redis.js';
export { createMemoryEventStream } from './event-stream.memory.js';
