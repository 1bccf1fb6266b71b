import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../support/app.js';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

const FLOOD = 5000;
const CONCURRENCY = 50;

type Rule = { points: number; windowSeconds: number };
/** config/default.yaml's limits, which config/test.yaml raises out of reach. */
const DEFAULT_LIMITS = (
  parse(readFileSync(new URL('../../config/default.yaml', import.meta.url), 'utf8')) as {
    limits: Record<string, unknown>;
  }
).limits;
const rule = (name: string) => DEFAULT_LIMITS[name] as Rule;
const upperSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
/**
 * A window no flood here outlasts: the budgets are the defaults, but each window is an hour,
 * so the count of admitted starts cannot depend on how long 5000 requests take on a busy
 * machine (a flood straddling two one-minute windows would be admitted twice over).
 */
const FLOOD_WINDOW_SECONDS = 3600;
/** The env that sets test.yaml's raised budgets back to the defaults (windows: an hour). */
const defaultLimitEnv = Object.fromEntries(
  Object.entries(DEFAULT_LIMITS).flatMap(([name, value]) => {
    const r = value as Partial<Rule>;
    if (typeof r.points !== 'number' || typeof r.windowSeconds !== 'number') return [];
    return [
      [`LATCHKEY_LIMITS_${upperSnake(name)}_POINTS`, String(r.points)],
      [`LATCHKEY_LIMITS_${upperSnake(name)}_WINDOW_SECONDS`, String(FLOOD_WINDOW_SECONDS)],
    ];
  }),
);
/** The limiter counters' policies (their key prefix rl:<policy>:) and the rule of each. */
const POLICY_RULES: Record<string, string> = {
  'login-ip': 'loginPerIp',
  'login-start-org-ip': 'loginStartPerOrgAndIp',
  'login-start-org': 'loginStartPerOrg',
  'login-start-email': 'loginStartPerEmail',
};

/**
 * Keys the service keeps whatever the traffic, not per request: the SLO buckets of each
 * hour and day (metrics/slo-recorder.redis.ts, expiring) and the audit stream (trimmed).
 */
const BOOKKEEPING = /^(slo:\{[a-z_]+\}:[mh]:\d+|audit:events)$/;
const isLimiterCounter = (key: string) => key.startsWith('rl:');
const isTransaction = (key: string) => key.includes('ltx:');

/** Every key under the test's Redis prefix (SCAN, never KEYS). */
async function keysUnder(t: TestApp): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await t.redis.client.scan(
      cursor,
      'MATCH',
      `${t.redis.keyPrefix}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const key of batch) keys.add(key.slice(t.redis.keyPrefix.length));
  } while (cursor !== '0');
  return keys;
}

/** Audit rows written since `seen` (the ids before), by type. */
async function auditSince(t: TestApp, seen: string[]): Promise<Record<string, number>> {
  const { rows } = await t.app.db.query<{ type: string; n: string }>(
    `SELECT type, count(*) AS n FROM audit_events WHERE NOT (id = ANY($1::uuid[])) GROUP BY type`,
    [seen],
  );
  return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
}

const AUDIT_STREAM = (t: TestApp) => `${t.redis.keyPrefix}audit:events`;
/** The id of the audit stream's newest entry ('0' when empty). */
const auditStreamEnd = async (t: TestApp) =>
  (await t.redis.client.xrevrange(AUDIT_STREAM(t), '+', '-', 'COUNT', 1))[0]?.[0] ?? '0';
/**
 * The types of the events the audit relay streamed after `end` that are not among the
 * rows `seen` before the flood (the relay streams rows written before it a little later).
 */
async function streamedSince(t: TestApp, end: string, seen: string[]): Promise<string[]> {
  const before = new Set(seen);
  const entries = await t.redis.client.xrange(AUDIT_STREAM(t), `(${end}`, '+');
  return entries.flatMap(([, flat]) => {
    const fields = Object.fromEntries(
      Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]),
    ) as Record<string, string>;
    return before.has(fields.id ?? '') ? [] : [fields.type ?? ''];
  });
}

const auditIds = async (t: TestApp) =>
  (await t.app.db.query<{ id: string }>('SELECT id FROM audit_events')).rows.map((r) => r.id);

/**
 * A flood of anonymous login starts (the form's POST /login/start at an active OIDC
 * connection), CONCURRENCY at a time; `from(i)` is the X-Forwarded-For of the i-th, if any.
 * Returns how many got each status.
 */
async function flood(
  server: Server,
  connectionId: string,
  from: (i: number) => string | null,
): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < FLOOD) {
      const i = next;
      next += 1;
      const req = request(server).post('/login/start').type('form');
      const address = from(i);
      if (address) req.set('X-Forwarded-For', address);
      const res = await req.send({ connection: connectionId });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return statuses;
}

/** An app with an org, its verified domain and an active OIDC connection, on a real port. */
async function floodTarget(idp: FakeIdp, env: Record<string, string>) {
  const t = await startTestApp({ env: { ...defaultLimitEnv, ...env } });
  const org = await t.app.orgs.create({ slug: 'flooded', name: 'Flooded' }, platform, ctx);
  await verifiedDomain(t, org.id, 'flooded.test');
  const connection = await activeOidcConnection(t, org.id, idp, { name: 'Flooded IdP' });
  const server = createServer(t.app.http);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    t,
    orgId: org.id,
    connectionId: connection.id,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

type Target = Awaited<ReturnType<typeof floodTarget>>;

/** Since `seen`: no audit rows (nor streamed events) but a handful of throttle events. */
async function assertOnlyThrottleEvents(t: TestApp, seen: string[], streamEnd: string) {
  const { 'security.rate_limited': throttled = 0, ...rest } = await auditSince(t, seen);
  assert.deepEqual(rest, {}, 'no audit rows but the throttle events');
  assert.ok(throttled >= 1 && throttled <= 3, `a handful of throttle events, got ${throttled}`);
  const streamed = await streamedSince(t, streamEnd, seen);
  assert.ok(
    streamed.every((type) => type === 'security.rate_limited'),
    `streamed: ${streamed.join(', ')}`,
  );
}

describe('a flood of anonymous login starts under the default limits', () => {
  let idp: FakeIdp;
  const targets: Target[] = [];

  before(async () => {
    idp = await startFakeIdp();
  });
  after(async () => {
    for (const target of targets) await target.close();
    await idp?.close();
  });

  it(`when ${FLOOD} login starts come from one address, then at most the per-org+address budget of login transactions and a few limiter counters are kept, and nothing but a few security.rate_limited rows is audited`, async () => {
    const target = await floodTarget(idp, {});
    targets.push(target);
    const { t } = target;
    const keysBefore = await keysUnder(t);
    const seen = await auditIds(t);
    const streamEnd = await auditStreamEnd(t);

    const statuses = await flood(target.server, target.connectionId, () => null);
    const budget = rule('loginStartPerOrgAndIp').points;
    assert.deepEqual(statuses, { 200: budget, 429: FLOOD - budget });

    await sleep(300); // audit appends are group-committed after the responses
    const created = [...(await keysUnder(t))].filter((key) => !keysBefore.has(key));
    assert.equal(
      created.filter(isTransaction).length,
      budget,
      'one transaction per admitted start',
    );
    // login-ip, login-start-org-ip and login-start-org of the one address and org.
    const counters = created.filter(isLimiterCounter);
    assert.ok(counters.length <= 3, `a few limiter counters, got: ${counters.join(', ')}`);
    const others = created.filter((key) => !isTransaction(key) && !isLimiterCounter(key));
    assert.deepEqual(
      others.filter((key) => !BOOKKEEPING.test(key)),
      [],
      'no other keys',
    );
    assert.ok(others.length <= 6, `bookkeeping keys: ${others.join(', ')}`);

    await assertOnlyThrottleEvents(t, seen, streamEnd);
  });

  it(`when ${FLOOD} login starts come from ${FLOOD} addresses (trustProxy) at an org with a budget of 100 a window, then at most 100 login transactions are kept, every other key expires within its window, and nothing but the throttle events is audited`, async () => {
    const perOrg = 100;
    const target = await floodTarget(idp, {
      LATCHKEY_SERVER_TRUST_PROXY: 'true',
      LATCHKEY_LIMITS_LOGIN_START_PER_ORG_POINTS: String(perOrg),
    });
    targets.push(target);
    const { t } = target;
    const keysBefore = await keysUnder(t);
    const seen = await auditIds(t);
    const streamEnd = await auditStreamEnd(t);

    const statuses = await flood(
      target.server,
      target.connectionId,
      (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    );
    assert.deepEqual(statuses, { 200: perOrg, 429: FLOOD - perOrg });

    await sleep(300);
    const created = [...(await keysUnder(t))].filter((key) => !keysBefore.has(key));
    const transactions = created.filter(isTransaction);
    assert.ok(transactions.length <= perOrg, `${transactions.length} login transactions`);
    const others = created.filter((key) => !isTransaction(key));
    const pipeline = t.redis.client.pipeline();
    for (const key of others) pipeline.pttl(`${t.redis.keyPrefix}${key}`);
    const ttls = ((await pipeline.exec()) ?? []).map(([, ttl]) => Number(ttl));
    const limits = t.config.limits as unknown as Record<string, Rule>;
    others.forEach((key, i) => {
      const ttl = ttls[i]!;
      if (key === 'audit:events') return; // a stream trimmed to its length, checked below
      if (BOOKKEEPING.test(key)) {
        assert.ok(ttl > 0, `${key} expires: ${ttl}`);
        return;
      }
      const ruleName = POLICY_RULES[/^rl:([a-z-]+):/.exec(key)?.[1] ?? ''];
      assert.ok(ruleName, `a limiter counter of a sign-in policy: ${key}`);
      const windowMs = limits[ruleName]!.windowSeconds * 1000;
      assert.ok(ttl > 0 && ttl <= windowMs, `${key} expires within ${windowMs} ms: ${ttl}`);
    });

    await assertOnlyThrottleEvents(t, seen, streamEnd);
  });
});
