import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_REDIS_URL } from '../support/services.js';
import { proxyInFrontOf, type tcpProxy } from '../support/tcp-proxy.js';

/** Polls until check() holds, for at most `attempts` tries; the last failure is rethrown. */
async function eventually(
  check: () => Promise<void>,
  attempts = 100,
  intervalMs = 100,
): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await check();
      return;
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(intervalMs);
    }
  }
}

describe('health, readiness and metrics on real Postgres and Redis', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('when both dependencies answer, then /healthz and /readyz are 200', async () => {
    const health = await request(t.app.http).get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await request(t.app.http).get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('when /metrics or /slo is asked of the public listener, then it is 404; the management listener answers 200', async () => {
    for (const path of ['/metrics', '/slo']) {
      const res = await request(t.app.http).get(path);
      assert.equal(res.status, 404, `public ${path}`);
      assert.doesNotMatch(res.text, /process_cpu_seconds_total|error_budget_remaining/);
      assert.equal((await request(t.app.management).get(path)).status, 200, `management ${path}`);
    }
    assert.match(
      (await request(t.app.management).get('/slo')).headers['content-type'] ?? '',
      /json/,
    );
  });

  it('when /healthz and /readyz are asked of either listener, then both answer 200', async () => {
    for (const listener of [t.app.http, t.app.management]) {
      assert.deepEqual((await request(listener).get('/healthz')).body, { status: 'ok' });
      const ready = await request(listener).get('/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
    }
  });

  it('when anything else is asked of the management listener, then it is 404 problem+json', async () => {
    const res = await request(t.app.management).get('/.well-known/jwks.json');
    assert.equal(res.status, 404);
    assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
    assert.ok(res.headers['x-request-id']);
  });

  it('when the JWKS is fetched, then it holds the active public key and no private material', async () => {
    const res = await request(t.app.http).get('/.well-known/jwks.json');
    assert.equal(res.status, 200);
    const { keys } = JSON.parse(res.text) as { keys: Array<Record<string, unknown>> };
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kid, t.app.keyRing.signingKey().kid);
    assert.equal(keys[0]!.alg, 'ES256');
    assert.equal(keys[0]!.d, undefined);
  });

  it('when requests are served, then the management /metrics has default metrics and durations by route template', async () => {
    await request(t.app.http).get('/healthz');
    await request(t.app.http).get(
      '/api/v1/orgs/0192f1f4-aaaa-7bbb-8ccc-123456789abc/users/whatever',
    );
    await request(t.app.http).get('/some/random/path/12345');
    const res = await request(t.app.management).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
    assert.match(res.text, /process_cpu_seconds_total/);
    assert.match(res.text, /nodejs_eventloop_lag_seconds/);
    assert.match(
      res.text,
      /http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/healthz",http_response_status_code="200"\} \d+/,
    );
    assert.match(res.text, /http_route="unmatched",http_response_status_code="404"/);
    // Raw paths never become labels.
    assert.doesNotMatch(res.text, /12345|0192f1f4/);
  });
});

describe('readiness follows Redis', () => {
  let t: TestApp;
  let proxy: ReturnType<typeof tcpProxy>;
  before(async () => {
    let redisUrl: string;
    ({ proxy, url: redisUrl } = await proxyInFrontOf(TEST_REDIS_URL));
    // Redis "is" at a port where nothing listens yet.
    t = await startTestApp({ redisUrl });
  });
  after(async () => {
    await proxy.stop();
    await t.close();
  });

  it('when Redis is unreachable, then /readyz is 503 naming redis, and /healthz stays 200', async () => {
    const res = await request(t.app.http).get('/readyz');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, {
      status: 'unavailable',
      checks: { postgres: 'ok', redis: 'failed' },
      failed: ['redis'],
    });
    assert.equal((await request(t.app.http).get('/healthz')).status, 200);
    // The management listener reads the same checks.
    assert.equal((await request(t.app.management).get('/readyz')).status, 503);
    assert.equal((await request(t.app.management).get('/healthz')).status, 200);
  });

  it('when Redis comes back, then /readyz returns to 200 by itself', async () => {
    await proxy.start();
    await eventually(async () => {
      const res = await request(t.app.http).get('/readyz');
      assert.equal(res.status, 200);
    });
  });

  it('when Redis goes away again, then /readyz is 503 again, quickly and without hanging', async () => {
    await proxy.stop();
    await eventually(async () => {
      const res = await request(t.app.http).get('/readyz');
      assert.equal(res.status, 503);
      assert.deepEqual((res.body as { failed: string[] }).failed, ['redis']);
    });
  });
});
