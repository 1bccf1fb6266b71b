import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFakeClock } from '../../src/platform/clock.js';
import {
  createMemoryEphemeralStore,
  createRedisEphemeralStore,
  redisScript,
} from '../../src/platform/redis/index.js';
import { ephemeralStoreContract } from '../contracts/ephemeral-store.contract.js';
import { connectedRedisClient, createTestRedis } from '../support/services.js';

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
  const client = await connectedRedisClient({ url: redis.url, keyPrefix: redis.keyPrefix });
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

describe('Redis scripts run by SHA-1', () => {
  it('when Redis has forgotten a script (restart, SCRIPT FLUSH), then the next call sends the source again and still works', async () => {
    const redis = await createTestRedis();
    const client = await connectedRedisClient({ url: redis.url, keyPrefix: redis.keyPrefix });
    try {
      const echo = redisScript(`return {KEYS[1], ARGV[1], 'echo-script-${redis.keyPrefix}'}`);
      const first = (await echo(client, ['k'], ['v'])) as string[];
      assert.deepEqual(first.slice(0, 2), [`${redis.keyPrefix}k`, 'v']);
      const sha = createHash('sha1')
        .update(`return {KEYS[1], ARGV[1], 'echo-script-${redis.keyPrefix}'}`)
        .digest('hex');
      assert.deepEqual(await client.script('EXISTS', sha), [1]);
      await client.script('FLUSH');
      assert.deepEqual(await client.script('EXISTS', sha), [0]);
      assert.deepEqual(((await echo(client, ['k'], ['v'])) as string[]).slice(0, 2), [
        `${redis.keyPrefix}k`,
        'v',
      ]);
    } finally {
      client.disconnect();
      await redis.cleanup();
    }
  });
});
