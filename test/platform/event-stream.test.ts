import { createMemoryEventStream, createRedisEventStream } from '../../src/platform/redis/index.js';
import { eventStreamContract } from '../contracts/event-stream.contract.js';
import { connectedRedisClient, createTestRedis } from '../support/services.js';

eventStreamContract('memory', () =>
  Promise.resolve({ stream: createMemoryEventStream(), teardown: () => Promise.resolve() }),
);

eventStreamContract('redis', async () => {
  const redis = await createTestRedis();
  const client = await connectedRedisClient({ url: redis.url, keyPrefix: redis.keyPrefix });
  return {
    stream: createRedisEventStream(client),
    teardown: async () => {
      client.disconnect();
      await redis.cleanup();
    },
  };
});
