import { setTimeout as sleep } from 'node:timers/promises';
import { createFakeClock } from '../../src/platform/clock.js';
import { createMemorySessionStore, createRedisSessionStore } from '../../src/sessions/index.js';
import { sessionStoreContract } from '../contracts/session-store.contract.js';
import { connectedRedisClient, createTestRedis } from '../support/services.js';

sessionStoreContract('memory', () => {
  const clock = createFakeClock(Date.now());
  return Promise.resolve({
    store: createMemorySessionStore({ clock }),
    nowMs: () => clock.nowMs(),
    advance: (ms) => Promise.resolve(clock.advance(ms)),
    teardown: () => Promise.resolve(),
  });
});

sessionStoreContract('redis', async () => {
  const redis = await createTestRedis();
  const client = await connectedRedisClient({ url: redis.url, keyPrefix: redis.keyPrefix });
  return {
    store: createRedisSessionStore(client, { indexTtlMs: 90 * 86_400_000 }),
    nowMs: () => Date.now(),
    advance: (ms) => sleep(ms),
    teardown: async () => {
      client.disconnect();
      await redis.cleanup();
    },
  };
});
