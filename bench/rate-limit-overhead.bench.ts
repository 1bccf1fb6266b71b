/**
 * What the rate limiter adds to the two hottest doors (issue 15: at most 5 % of
 * introspection and client-credentials throughput), measured two ways in one run:
 * - the doors' own CPU per request, in this process on real Redis (the limiter's own
 *   connection, budgets of config/test.yaml: counted, never spent), 50 requests at once;
 * - the server's CPU per introspection and client-credentials request under load (the
 *   limiter included), so the share is read off the same machine at the same time.
 * The before/after throughput of the whole server (the build before the limiter against
 * this one) is in the README; it moves ±10 % run to run on this machine, more than the
 * limiter costs, which is why the share is measured here.
 * Run: npm run build && npm run bench -- bench/rate-limit-overhead.bench.ts
 */
import { loadConfig } from '../src/platform/config/index.js';
import { createUnpipelinedClient, type RedisClient } from '../src/platform/redis/index.js';
import { createDoors, createRateLimiter, type Doors } from '../src/platform/rate-limit/index.js';
import { connectedRedisClient, createTestRedis } from '../test/support/services.js';
import {
  clientCredentialsLoad,
  introspectionLoad,
  machine,
  pinToLoadCore,
  startBenchWorld,
} from './support/harness.js';

pinToLoadCore();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const ROUNDS = 200_000;

/** CPU microseconds per call of `once`, CONNECTIONS calls in flight at a time. */
async function cpuPerCall(once: (i: number) => Promise<void>): Promise<number> {
  const run = async (rounds: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < rounds) await once(next++);
      }),
    );
  };
  await run(20_000); // warm-up: JIT, the counters' first windows
  const start = process.cpuUsage();
  await run(ROUNDS);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / ROUNDS;
}

async function redisCpuMs(redis: RedisClient): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

const testRedis = await createTestRedis();
const main = await connectedRedisClient(testRedis);
const redis = createUnpipelinedClient(main);
await redis.connect();
const config = loadConfig({ env: { NODE_ENV: 'test' } });
const doors: Doors = createDoors({
  limiter: createRateLimiter({
    redis,
    onThrottle: () => undefined,
    onStoreError: () => undefined,
  }),
  rules: config.limits,
  onThrottle: () => undefined,
});
const clientId = 'bench-client';
const ip = '10.1.2.3';

const redisBefore = await redisCpuMs(main);
const tokenDoorUs = await cpuPerCall(async () => {
  await doors.tokenRequest(ip);
  await doors.credentials.check('client_secret', clientId, ip);
  await doors.credentials.succeeded('client_secret', clientId, ip);
  await doors.tokenClient(clientId);
});
const introspectionDoorUs = await cpuPerCall(async () => {
  await doors.credentials.check('client_secret', clientId, ip);
  await doors.credentials.succeeded('client_secret', clientId, ip);
  await doors.introspection(clientId);
});
const redisUsPerCall = (((await redisCpuMs(main)) - redisBefore) * 1000) / (2 * ROUNDS);
main.disconnect();
redis.disconnect();
await testRedis.cleanup();

const world = await startBenchWorld();
try {
  const introspection = await introspectionLoad(world, 'introspection', CONNECTIONS, SECONDS);
  const clientCredentials = await clientCredentialsLoad(
    world,
    'client credentials',
    CONNECTIONS,
    SECONDS,
  );

  const row = (
    name: string,
    doorUs: number,
    load: { perSecond: number; serverCpuMsPerRequest: number | null },
  ) => {
    const requestUs = (load.serverCpuMsPerRequest ?? NaN) * 1000;
    return `| ${name} | ${doorUs.toFixed(1)} µs | ${requestUs.toFixed(0)} µs (${Math.round(load.perSecond)}/s) | ${((100 * doorUs) / requestUs).toFixed(1)} % |`;
  };
  console.log(`\n${machine()}`);
  console.log('| door | limiter CPU / request | server CPU / request (throughput) | share |');
  console.log('|---|---:|---:|---:|');
  console.log(row('token endpoint (client credentials)', tokenDoorUs, clientCredentials));
  console.log(row('introspection', introspectionDoorUs, introspection));
  console.log(
    `Redis CPU per request for the limiter: ${redisUsPerCall.toFixed(2)} µs (one batched INCR per 100 requests a counter)`,
  );
} finally {
  await world.close();
}
