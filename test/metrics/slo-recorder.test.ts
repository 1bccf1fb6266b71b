import { createMemorySloRecorder, createRedisSloRecorder } from '../../src/metrics/index.js';
import { sloRecorderContract } from '../contracts/slo-recorder.contract.js';
import { connectedRedisClient, createTestRedis } from '../support/services.js';

const retention = { retentionMs: 30 * 86_400_000 };

sloRecorderContract('memory', () => {
  // One process: "another process" is the same store.
  const recorder = createMemorySloRecorder(retention);
  return Promise.resolve({
    recorder,
    otherProcess: recorder,
    teardown: () => recorder.close(),
  });
});

sloRecorderContract('redis', async () => {
  const redis = await createTestRedis();
  const connect = async () => {
    const client = await connectedRedisClient({ url: redis.url, keyPrefix: redis.keyPrefix });
    return client;
  };
  // Two connections, as two processes have.
  const [one, two] = [await connect(), await connect()];
  return {
    recorder: createRedisSloRecorder(one, retention),
    otherProcess: createRedisSloRecorder(two, retention),
    teardown: async () => {
      one.disconnect();
      two.disconnect();
      await redis.cleanup();
    },
  };
});
