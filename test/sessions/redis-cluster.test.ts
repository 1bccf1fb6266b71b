import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createRedisClient,
  createRedisEphemeralStore,
  type RedisClient,
} from '../../src/platform/redis/index.js';
import { createRedisRevocationBus, createRedisSessionStore } from '../../src/sessions/index.js';
import { ephemeralStoreContract } from '../contracts/ephemeral-store.contract.js';
import { sessionStoreContract } from '../contracts/session-store.contract.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import { connectedRedisClient } from '../support/services.js';

/**
 * The same contract suites as on a single Redis, now on a three-master Redis Cluster:
 * every multi-key script must find its keys in one hash slot, or Redis refuses it.
 */
let cluster: Awaited<ReturnType<typeof startRedisCluster>> | null = null;
const clusterClient = async (): Promise<RedisClient> => {
  cluster ??= await startRedisCluster();
  const client = await connectedRedisClient({
    url: cluster.seedUrl,
    keyPrefix: `lk-cluster:${randomUUID()}:`,
    cluster: true,
  });
  return client;
};

sessionStoreContract('redis cluster', async () => {
  const client = await clusterClient();
  return {
    store: createRedisSessionStore(client, { indexTtlMs: 90 * 86_400_000 }),
    nowMs: () => Date.now(),
    advance: (ms) => sleep(ms),
    teardown: () => Promise.resolve(client.disconnect()),
  };
});

ephemeralStoreContract('redis cluster', async () => {
  const client = await clusterClient();
  return {
    store: createRedisEphemeralStore(client),
    advance: (ms) => sleep(ms),
    teardown: () => Promise.resolve(client.disconnect()),
  };
});

describe('revocations on a Redis Cluster', () => {
  let a: RedisClient;
  let b: RedisClient;
  before(async () => {
    a = await clusterClient();
    b = await clusterClient();
  });
  after(async () => {
    a.disconnect();
    b.disconnect();
    await cluster?.stop();
  });

  it('when one process publishes a revocation, then a subscriber on another connection hears it', async () => {
    // Same key prefix on both: the channel name is derived from it.
    const prefix = `lk-cluster-bus:${randomUUID()}:`;
    const publisher = createRedisRevocationBus(
      createRedisClient({
        url: cluster!.seedUrl,
        cluster: true,
        keyPrefix: prefix,
        commandTimeoutMs: 2000,
        connectTimeoutMs: 2000,
      }),
    );
    const subscriberClient = await connectedRedisClient({
      url: cluster!.seedUrl,
      keyPrefix: prefix,
      cluster: true,
    });
    const bus = createRedisRevocationBus(subscriberClient);
    const heard: string[] = [];
    bus.subscribe((event) => heard.push(event.sid));
    for (let i = 0; i < 100 && heard.length === 0; i++) {
      await publisher
        .publish({ sid: 'sid-1', orgId: 'o', userId: 'u', reason: 'admin', atMs: Date.now() })
        .catch(() => undefined);
      await sleep(50);
    }
    assert.ok(heard.includes('sid-1'));
    await bus.close();
    await publisher.close();
    subscriberClient.disconnect();
  });
});
