import {
  createMemoryActiveSessionLedger,
  createRedisActiveSessionLedger,
} from '../../src/metrics/index.js';
import { activeSessionLedgerContract } from '../contracts/active-session-ledger.contract.js';
import { connectedRedisClient, createTestRedis } from '../support/services.js';

activeSessionLedgerContract('memory', () => {
  // One process: "another process" is the same store.
  const ledger = createMemoryActiveSessionLedger();
  return Promise.resolve({ ledger, otherProcess: ledger, teardown: () => ledger.close() });
});

activeSessionLedgerContract('redis', async () => {
  const redis = await createTestRedis();
  const connect = async () => {
    const client = await connectedRedisClient({ url: redis.url, keyPrefix: redis.keyPrefix });
    return client;
  };
  const [one, two] = [await connect(), await connect()];
  return {
    ledger: createRedisActiveSessionLedger(one),
    otherProcess: createRedisActiveSessionLedger(two),
    teardown: async () => {
      one.disconnect();
      two.disconnect();
      await redis.cleanup();
    },
  };
});
