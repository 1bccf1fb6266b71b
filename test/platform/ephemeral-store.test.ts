import { setTimeout as sleep } from 'node:timers/promises';
import { createFakeClock } from '../../src/platform/clock.js';
import {
  createMemoryEphemeralStore,
  createRedisClient,
  createRedisEphemeralStore,
} from '../../src/platform/redis/index.js';
import { ephemeralStoreContract } from '../contracts/ephemeral-store.contract.js';
import { createTestRedis } from '../support/services.js';

ephemeralStoreContract('memory', () => {
  const clock = createFakeClock();
  const store = createMemoryEphemeralStore({ clock });
  return Promise.resolve({
    store,
    advance: (ms) => Promise.resolve(clock.advance(ms)),
    teardown: () => store.close(),
  });
});

ephemeralStoreContract('redis', async () => {
  const redis = await createTestRedis();
  const client = createRedisClient({
    url: redis.url,
    keyPrefix: redis.keyPrefix,
    commandTimeoutMs: 1000,
    connectTimeoutMs: 2000,
  });
  await client.connect();
  const store = createRedisEphemeralStore(client);
  return {
    store,
    // Redis keeps real time: wait it out.
    advance: (ms) => sleep(ms),
    teardown: async () => {
      client.disconnect();
      await redis.cleanup();
    },
  };
});
