import {
  createMemoryEventStream,
  createRedisClient,
  createRedisEventStream,
} from '../../src/platform/redis/index.js';
import { eventStreamContract } from '../contracts/event-stream.contract.js';
import { createTestRedis } from '../support/services.js';

eventStreamContract('memory', () =>
  Promise.resolve({ stream: createMemoryEventStream(), teardown: () => Promise.resolve() }),
);

eventStreamContract('redis', async () => {
  const redis = await createTestRedis();
  const client = createRedisClient({
    url: redis.url,
    keyPrefix: redis.keyPrefix,
    commandTimeoutMs: 1000,
    connectTimeoutMs: 2000,
  });
  await client.connect();
  return {
    stream: createRedisEventStream(client),
    teardown: async () => {
      client.disconnect();
      await redis.cleanup();
    },
  };
});
