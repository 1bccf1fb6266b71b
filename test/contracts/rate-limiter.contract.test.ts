import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from 'ioredis';
import { UnavailableError } from '../../src/platform/errors.js';
import {
  batchOf,
  createCredentialBackoff,
  createRateLimiter,
  RateLimitedError,
  type FailedCredentialRules,
  type Limit,
  type LimitRule,
  type RateLimiter,
  type ThrottleEvent,
} from '../../src/platform/rate-limit/index.js';
import {
  createRedisClient,
  createUnpipelinedClient,
  type RedisClient,
} from '../../src/platform/redis/index.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import { connectedRedisClient, createTestRedis } from '../support/services.js';

/** One process's view of the limiter: its own limiter (and connection) on the shared store. */
interface LimiterProcess {
  limiter: RateLimiter;
  /** Everything its onThrottle was told. */
  events: ThrottleEvent[];
  /** Cuts its store connection (a no-op for memory, which has none) … */
  cut(): void;
  /** … and opens it again. */
  reconnect(): Promise<void>;
}

interface LimiterHarness {
  /** Another process on the same store (memory: a fresh, unshared limiter). */
  process(): Promise<LimiterProcess>;
  /** Master nodes holding keys, and how many each holds (Redis Cluster only). */
  keysByNode?(): Promise<number[]>;
  teardown(): Promise<void>;
}

/** The rate limiter's behaviour on every store: memory, a single Redis, a Redis Cluster. */
function rateLimiterContract(
  name: string,
  options: { shared: boolean },
  setup: () => Promise<LimiterHarness>,
): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let h: LimiterHarness;
    let n = 0;
    /** A fresh policy name: counters are cached per policy and rule. */
    const policy = () => `contract-${++n}`;
    const limit = (p: string, rule: LimitRule, key: string): Limit => ({
      policy: p,
      rule,
      key,
      reason: 'ip',
    });
    /** Two processes on the shared store, one for memory (it shares nothing). */
    const processes = async () =>
      options.shared ? [await h.process(), await h.process()] : [await h.process()];
    const admitted = (results: PromiseSettledResult<void>[]) =>
      results.filter((r) => r.status === 'fulfilled').length;

    before(async () => {
      h = await setup();
    });
    after(async () => {
      await h.teardown();
    });

    it('when N requests spent a budget of N, then the N+1th is refused with 429 and the RateLimit headers', async () => {
      const { limiter } = await h.process();
      const p = policy();
      const rule = { points: 5, windowSeconds: 60 };
      for (let i = 0; i < 5; i++) await limiter.take('token', [limit(p, rule, '203.0.113.1')]);
      const refusal = await limiter.take('token', [limit(p, rule, '203.0.113.1')]).then(
        () => assert.fail('the sixth request was admitted'),
        (error: unknown) => error,
      );
      assert.ok(refusal instanceof RateLimitedError, String(refusal));
      assert.equal(refusal.status, 429);
      assert.equal(refusal.code, 'rate_limited');
      const headers = refusal.headers!;
      const retryAfter = Number(headers['Retry-After']);
      assert.ok(Number.isInteger(retryAfter), `Retry-After ${headers['Retry-After']}`);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(headers['RateLimit-Policy'], `"${p}";q=5;w=60`);
      assert.equal(headers.RateLimit, `"${p}";r=0;t=${retryAfter}`);
    });

    it('when one key spent its budget, then another key of the same policy is unaffected', async () => {
      const { limiter } = await h.process();
      const p = policy();
      const rule = { points: 2, windowSeconds: 60 };
      const take = (key: string) => limiter.take('login', [limit(p, rule, key)]);
      await take('a');
      await take('a');
      await assert.rejects(take('a'), RateLimitedError);
      await take('b');
      await take('b');
      await assert.rejects(take('b'), RateLimitedError);
    });

    it('when the window ends, then the budget is whole again', async () => {
      const { limiter } = await h.process();
      const p = policy();
      const rule = { points: 2, windowSeconds: 1 };
      const take = () => limiter.take('login', [limit(p, rule, 'k')]);
      await take();
      await take();
      const refusal = await take().then(
        () => assert.fail('the third request was admitted'),
        (error: unknown) => error as RateLimitedError,
      );
      assert.ok(refusal.throttle.retryAfterMs <= 1000, `retry ${refusal.throttle.retryAfterMs}`);
      // Poll until the window ends (bounded): locally refused tries cost nothing.
      const deadline = Date.now() + 3000;
      for (;;) {
        const ok = await take().then(
          () => true,
          (error: unknown) => {
            assert.ok(error instanceof RateLimitedError, `while waiting: ${String(error)}`);
            return false;
          },
        );
        if (ok) break;
        assert.ok(Date.now() < deadline, 'the window did not end within 3 s');
        await sleep(100);
      }
      await take();
      await assert.rejects(take(), RateLimitedError, 'the new window holds 2, not more');
    });

    it('when 50 requests race (in two processes), then exactly N are admitted', async () => {
      const procs = await processes();
      const p = policy();
      const rule = { points: 10, windowSeconds: 60 };
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          procs[i % procs.length]!.limiter.take('token', [limit(p, rule, 'race')]),
        ),
      );
      assert.equal(admitted(results), 10);
      for (const r of results)
        if (r.status === 'rejected')
          assert.ok(r.reason instanceof RateLimitedError, `refusal: ${String(r.reason)}`);
    });

    it('when a budget of 1000 is counted in batches, then admissions stay within budget ± batch·processes, and a spent counter is refused without the store', async () => {
      const procs = await processes();
      const p = policy();
      const rule = { points: 1000, windowSeconds: 60 };
      const batch = batchOf(rule);
      assert.equal(batch, 10);
      let count = 0;
      for (let i = 0; i < 1300; i++) {
        const ok = await procs[i % procs.length]!.limiter.take('token', [
          limit(p, rule, 'big'),
        ]).then(
          () => true,
          (error: unknown) => {
            assert.ok(error instanceof RateLimitedError, `request ${i}: ${String(error)}`);
            return false;
          },
        );
        if (ok) count++;
      }
      // batchOf's documented bound: N processes may admit up to N·batch more (or fewer).
      const slack = batch * procs.length;
      assert.ok(count <= 1000 + slack, `${count} admitted, more than 1000 + ${slack}`);
      assert.ok(count >= 1000 - slack, `${count} admitted, fewer than 1000 - ${slack}`);
      for (const proc of procs)
        assert.ok(
          proc.events.some((e) => e.policy === p && e.kind === 'refused'),
          'each process has been refused by the store at least once',
        );
      if (!options.shared) return;
      // Spent and known: refused locally, so a store that is gone changes nothing (429, not 503) …
      for (const proc of procs) proc.cut();
      for (const proc of procs)
        await assert.rejects(proc.limiter.take('token', [limit(p, rule, 'big')]), RateLimitedError);
      // … while a counter that must ask the store now fails closed (503): the cut is real.
      await assert.rejects(
        procs[0]!.limiter.take('token', [limit(p, { points: 5, windowSeconds: 60 }, 'other')]),
        UnavailableError,
      );
    });

    // Memory has no store to lose: the case exists for the shared stores only.
    const ifShared = options.shared ? it : () => undefined;
    void ifShared(
      'when the store cannot answer, then the request is refused with 503, and is not counted once the store is back',
      async () => {
        const proc = await h.process();
        const p = policy();
        const rule = { points: 3, windowSeconds: 60 };
        const take = () => proc.limiter.take('login', [limit(p, rule, 'outage')]);
        await take();
        proc.cut();
        for (let i = 0; i < 5; i++)
          await assert.rejects(take(), UnavailableError, `request ${i} while the store is away`);
        await proc.reconnect();
        await take();
        await take();
        await assert.rejects(take(), RateLimitedError, 'the fourth request counted is refused');
      },
    );

    it('when a limit is crossed by many requests (in two processes), then firstInWindow is reported once per key and window', async () => {
      const procs = await processes();
      const p = policy();
      const rule = { points: 3, windowSeconds: 1 };
      const burst = (key: string) =>
        Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            procs[i % procs.length]!.limiter.take('login', [limit(p, rule, key)]),
          ),
        );
      const firsts = (key: string) =>
        procs
          .flatMap((x) => x.events)
          .filter((e) => e.policy === p && e.key === key && e.firstInWindow).length;
      assert.equal(admitted(await burst('x')), 3);
      assert.equal(admitted(await burst('y')), 3);
      assert.equal(firsts('x'), 1);
      assert.equal(firsts('y'), 1);
      const refused = procs.flatMap((x) => x.events).filter((e) => e.policy === p && e.key === 'x');
      assert.equal(refused.length, 17, 'every refusal is told (metrics)');
      // The next window: once more.
      const deadline = Date.now() + 3000;
      for (;;) {
        const results = await burst('x');
        if (admitted(results) > 0) {
          assert.equal(admitted(results), 3);
          break;
        }
        assert.ok(Date.now() < deadline, 'the window did not end within 3 s');
        await sleep(100);
      }
      assert.equal(firsts('x'), 2);
    });

    describe('failed-credential backoff', () => {
      const rules: FailedCredentialRules = {
        attemptsPerCredentialAndIp: 3,
        attemptsPerIp: 8,
        attemptsPerCredential: 6,
        windowSeconds: 60,
        backoffBaseSeconds: 1,
        backoffCapSeconds: 2,
      };
      const backoffOf = async () => {
        const proc = await h.process();
        return createCredentialBackoff({
          limiter: proc.limiter,
          rules,
          onThrottle: (event) => proc.events.push(event),
        });
      };
      type Backoff = Awaited<ReturnType<typeof backoffOf>>;
      /** The refusal of a check, or null when it passes. */
      const refusalOf = (b: Backoff, credential: string, ip: string) =>
        b.check('client_secret', credential, ip).then(
          () => null,
          (error: unknown) => {
            assert.ok(error instanceof RateLimitedError, `check: ${String(error)}`);
            return error.throttle;
          },
        );
      const fail = (b: Backoff, credential: string, ip: string, times = 1) =>
        (async () => {
          for (let i = 0; i < times; i++) await b.failed('client_secret', credential, ip);
        })();
      const untilAllowed = async (b: Backoff, credential: string, ip: string) => {
        const deadline = Date.now() + 4000;
        while ((await refusalOf(b, credential, ip)) !== null) {
          assert.ok(Date.now() < deadline, 'the backoff did not end within 4 s');
          await sleep(100);
        }
      };
      const assertRetryAbout = (
        throttle: { retryAfterMs: number } | null,
        seconds: number,
        what: string,
      ) => {
        assert.ok(throttle, `${what}: refused`);
        assert.ok(
          throttle.retryAfterMs > seconds * 1000 - 400 && throttle.retryAfterMs <= seconds * 1000,
          `${what}: retry ${throttle.retryAfterMs} ms, expected about ${seconds} s`,
        );
      };

      it('when one credential fails from one address, then it backs off base, 2·base, … up to the cap', async () => {
        const b = await backoffOf();
        const [cred, ip] = [`cred-${randomUUID()}`, '198.51.100.1'];
        await fail(b, cred, ip, 2);
        assert.equal(await refusalOf(b, cred, ip), null, 'two failures are allowed');
        await fail(b, cred, ip);
        const first = await refusalOf(b, cred, ip);
        assertRetryAbout(first, 1, 'third failure');
        assert.equal(first!.reason, 'credential_ip_backoff');
        await untilAllowed(b, cred, ip);
        await fail(b, cred, ip);
        assertRetryAbout(await refusalOf(b, cred, ip), 2, 'fourth failure');
        await untilAllowed(b, cred, ip);
        await fail(b, cred, ip);
        assertRetryAbout(await refusalOf(b, cred, ip), 2, 'fifth failure (capped)');
      });

      it('when the credential then verifies from that address, then its failures there are forgiven', async () => {
        const b = await backoffOf();
        const [cred, ip] = [`cred-${randomUUID()}`, '198.51.100.2'];
        await fail(b, cred, ip, 3);
        assert.notEqual(await refusalOf(b, cred, ip), null);
        await b.succeeded('client_secret', cred, ip);
        assert.equal(await refusalOf(b, cred, ip), null, 'the pair is forgiven');
        await fail(b, cred, ip, 2);
        assert.equal(await refusalOf(b, cred, ip), null, 'counting starts again');
        await fail(b, cred, ip);
        assertRetryAbout(await refusalOf(b, cred, ip), 1, 'base again, not doubled');
      });

      it('when a credential fails from many addresses, then another address is refused only after attemptsPerCredential failures, for one base step', async () => {
        const b = await backoffOf();
        const cred = `cred-${randomUUID()}`;
        const owner = '192.0.2.200';
        for (let i = 1; i <= 5; i++) await fail(b, cred, `192.0.2.${i}`);
        assert.equal(await refusalOf(b, cred, owner), null, 'five failures elsewhere: not yet');
        await fail(b, cred, '192.0.2.6');
        const refusal = await refusalOf(b, cred, owner);
        assertRetryAbout(refusal, 1, 'sixth failure overall');
        assert.equal(refusal!.reason, 'credential_backoff');
        await fail(b, cred, '192.0.2.7');
        await fail(b, cred, '192.0.2.8');
        assertRetryAbout(await refusalOf(b, cred, owner), 1, 'further failures: still one step');
      });

      it('when one address sprays many credentials, then it is refused after attemptsPerIp failures', async () => {
        const b = await backoffOf();
        const ip = '203.0.113.77';
        const cred = () => `spray-${randomUUID()}`;
        for (let i = 0; i < 7; i++) await fail(b, cred(), ip);
        assert.equal(await refusalOf(b, cred(), ip), null, 'seven failures: not yet');
        await fail(b, cred(), ip);
        const refusal = await refusalOf(b, cred(), ip);
        assertRetryAbout(refusal, 1, 'eighth failure');
        assert.equal(refusal!.reason, 'ip_backoff');
        assert.equal(await refusalOf(b, cred(), '203.0.113.78'), null, 'another address is free');
      });
    });

    if (name === 'redis cluster')
      it('on a Redis Cluster, then the counters sit in different slots (on several masters) and every script ran', async () => {
        const nodes = await h.keysByNode!();
        assert.ok(
          nodes.filter((count) => count > 0).length >= 2,
          `keys by master: ${nodes.join(', ')}`,
        );
      });
  });
}

const processOn = (client: RedisClient): LimiterProcess => {
  const events: ThrottleEvent[] = [];
  return {
    limiter: createRateLimiter({
      redis: client,
      onThrottle: (event) => events.push(event),
      onStoreError: () => undefined,
    }),
    events,
    cut: () => client.disconnect(),
    // disconnect() ends the connection a moment later: connect once it has ended, however
    // long that takes on a busy machine (connect() on a cluster still closing never settles).
    async reconnect() {
      if (client.status !== 'end')
        await once(client, 'end', { signal: AbortSignal.timeout(10_000) }).catch(() => {
          throw new Error(`the cut connection did not end within 10 s (${client.status})`);
        });
      await client.connect();
    },
  };
};

rateLimiterContract('memory', { shared: false }, () =>
  Promise.resolve({
    process() {
      const events: ThrottleEvent[] = [];
      return Promise.resolve({
        limiter: createRateLimiter({
          redis: null,
          onThrottle: (event) => events.push(event),
          onStoreError: () => undefined,
        }),
        events,
        cut: () => undefined,
        reconnect: () => Promise.resolve(),
      });
    },
    teardown: () => Promise.resolve(),
  }),
);

rateLimiterContract('redis', { shared: true }, async () => {
  const redis = await createTestRedis();
  const clients: RedisClient[] = [];
  return {
    async process() {
      const client = await connectedRedisClient(redis);
      // As the app opens it (open-stores.ts): the limiter's connection does not pipeline.
      const unpipelined = createUnpipelinedClient(client);
      await unpipelined.connect();
      clients.push(client, unpipelined);
      return processOn(unpipelined);
    },
    async teardown() {
      for (const client of clients) client.disconnect();
      await redis.cleanup();
    },
  };
});

rateLimiterContract('redis cluster', { shared: true }, async () => {
  const cluster = await startRedisCluster();
  const keyPrefix = `lk-cluster:${randomUUID()}:`;
  const clients: RedisClient[] = [];
  return {
    async process() {
      const client = await connectedRedisClient({ url: cluster.seedUrl, keyPrefix, cluster: true });
      const unpipelined = createUnpipelinedClient(client);
      await unpipelined.connect();
      clients.push(client, unpipelined);
      return processOn(unpipelined);
    },
    async keysByNode() {
      const probe = createRedisClient({
        url: cluster.seedUrl,
        cluster: true,
        keyPrefix: '',
        commandTimeoutMs: 2000,
        connectTimeoutMs: 2000,
      }) as Cluster;
      await probe.connect();
      try {
        return await Promise.all(
          probe.nodes('master').map(async (node) => {
            let [cursor, total] = ['0', 0];
            do {
              const [next, keys] = await node.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
              [cursor, total] = [next, total + keys.length];
            } while (cursor !== '0');
            return total;
          }),
        );
      } finally {
        probe.disconnect();
      }
    },
    async teardown() {
      for (const client of clients) client.disconnect();
      await cluster.stop();
    },
  };
});
