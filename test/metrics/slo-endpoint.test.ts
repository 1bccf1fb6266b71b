import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { fileURLToPath } from 'node:url';
import { loadSloFile, type SloReport, type SloStatus } from '../../src/metrics/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { assertMatchesSpec } from '../support/openapi.js';
import { PLATFORM, CONTEXT } from '../support/oauth.js';
import { TEST_REDIS_URL } from '../support/services.js';
import { proxyInFrontOf, type tcpProxy } from '../support/tcp-proxy.js';

const SLO_FILE = fileURLToPath(new URL('../../config/slo.yaml', import.meta.url));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

async function slo(t: TestApp): Promise<Record<string, SloStatus>> {
  const res = await request(t.app.management).get('/slo');
  assert.equal(res.status, 200, res.text);
  assertMatchesSpec(res, 'GET', '/slo');
  const report = res.body as SloReport;
  return Object.fromEntries(report.slos.map((s) => [s.name, s]));
}

const firing = (status: SloStatus) =>
  status.alerts.filter((a) => a.firing).map((a) => `${a.long_window}/${a.short_window}`);

/** Polls until check() holds (a reconnecting Redis), at most `attempts` times. */
async function eventually(check: () => Promise<void>, attempts = 100): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await check();
      return;
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(100);
    }
  }
}

describe('GET /slo: SLIs, error budgets and burn rates over sliding windows, shared through Redis', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 5, 12, 0, 30));
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ clock });
  });
  after(async () => {
    await t.close();
  });

  /** n sign-in requests answered with a status, as the HTTP server records them. */
  const signIns = (app: TestApp, status: number, n: number, route = '/login/oidc/callback') => {
    for (let i = 0; i < n; i++)
      app.app.metrics.httpServerDuration.observe(
        {
          http_request_method: 'GET',
          http_route: route,
          http_response_status_code: String(status),
        },
        0.05,
      );
  };

  it('when nothing has happened yet, then every SLO is listed with no SLI, its whole budget and no alert', async () => {
    const report = await slo(t);
    assert.deepEqual(Object.keys(report).sort(), [
      'introspection_latency',
      'login_availability',
      'token_latency',
    ]);
    const login = report.login_availability!;
    assert.equal(login.objective, 0.999);
    assert.equal(login.window, '30d');
    assert.equal(login.sli, null);
    assert.equal(login.total_events, 0);
    assert.equal(login.error_budget_remaining, 1);
    assert.deepEqual(login.burn_rates, {
      '5m': null,
      '30m': null,
      '1h': null,
      '6h': null,
      '3d': null,
      '30d': null,
    });
    assert.deepEqual(
      login.alerts.map((a) => [a.severity, a.burn_rate_threshold, a.long_window, a.short_window]),
      [
        ['page', 14.4, '1h', '5m'],
        ['page', 6, '6h', '30m'],
        ['ticket', 1, '3d', '6h'],
      ],
    );
    assert.deepEqual(firing(login), []);
  });

  it('when the login SLO names sign-in routes, then the app serves each of them', () => {
    const sli = loadSloFile(SLO_FILE).slos.find((s) => s.name === 'login_availability')!.sli;
    const served = new Set(t.app.routes.map((r) => r.path));
    for (const route of sli.filter.http_route ?? []) assert.ok(served.has(route), route);
    assert.ok((sli.filter.http_route ?? []).length >= 3);
  });

  it('when sign-ins fail because of their users, then they count as events but not against the budget', async () => {
    // Real callbacks without a login transaction: transaction_not_found, the user's doing.
    for (let i = 0; i < 4; i++) {
      const res = await request(t.app.http).get('/login/oidc/callback?state=never-started&code=x');
      assert.equal(res.status, 400);
    }
    const { login_availability: login } = await slo(t);
    assert.equal(login!.total_events, 4);
    assert.equal(login!.good_events, 4);
    assert.equal(login!.sli, 1);
    assert.equal(login!.error_budget_remaining, 1);
  });

  it('when sign-ins fail because a store is down, then the SLI and the budget fall and the burn rates rise', async () => {
    signIns(t, 303, 994);
    signIns(t, 503, 2);
    // Server errors elsewhere are not sign-ins.
    signIns(t, 503, 50, '/oauth/token');
    let { login_availability: status } = await slo(t);
    // 2 bad of 1000: an error ratio of 0.002 is twice the budget of 0.001.
    assert.equal(status!.total_events, 1000);
    assert.equal(status!.good_events, 998);
    assert.equal(status!.sli, 0.998);
    assert.equal(status!.burn_rates['5m'], 2);
    assert.equal(status!.burn_rates['30d'], 2);
    assert.equal(status!.error_budget_remaining, -1);
    assert.deepEqual(firing(status!), ['3d/6h']);

    // An outage: 20 more fail within the minute. 22 of 1020 burn 21.6x: everything pages.
    signIns(t, 500, 20, '/saml/:connectionId/acs');
    ({ login_availability: status } = await slo(t));
    assert.equal(status!.total_events, 1020);
    assert.equal(status!.burn_rates['5m'], 21.56862745);
    assert.deepEqual(firing(status!), ['1h/5m', '6h/30m', '3d/6h']);
  });

  it('when time slides on, then the short windows forget the outage first and the SLO window last', async () => {
    clock.advance(10 * MINUTE);
    let { login_availability: status } = await slo(t);
    assert.equal(status!.burn_rates['5m'], null);
    assert.equal(status!.burn_rates['1h'], 21.56862745);
    // The 5m window no longer burns: the fast page stops; the 30m window still does.
    assert.deepEqual(firing(status!), ['6h/30m', '3d/6h']);

    clock.advance(HOUR);
    ({ login_availability: status } = await slo(t));
    assert.equal(status!.burn_rates['1h'], null);
    assert.deepEqual(firing(status!), ['3d/6h']);

    clock.advance(3 * DAY);
    ({ login_availability: status } = await slo(t));
    assert.equal(status!.burn_rates['3d'], null);
    assert.equal(status!.burn_rates['30d'], 21.56862745);
    assert.equal(status!.sli, 0.9784313725);
    assert.deepEqual(firing(status!), []);

    clock.advance(30 * DAY);
    ({ login_availability: status } = await slo(t));
    assert.equal(status!.total_events, 0);
    assert.equal(status!.sli, null);
    assert.equal(status!.error_budget_remaining, 1);
  });

  it('when token responses are slow, then the token SLI counts those over 100 ms as bad (100 ms itself is good)', async () => {
    // 1000 requests: above the minimum-traffic guard of every alert (720 in 6h at most).
    for (let i = 0; i < 940; i++) t.app.metrics.observeTokenRequest('refresh_token', 200, 0.02);
    for (let i = 0; i < 10; i++) t.app.metrics.observeTokenRequest('authorization_code', 200, 0.1);
    for (let i = 0; i < 50; i++) t.app.metrics.observeTokenRequest('client_credentials', 200, 0.25);
    const { token_latency: token } = await slo(t);
    assert.equal(token!.total_events, 1000);
    assert.equal(token!.good_events, 950);
    assert.equal(token!.sli, 0.95);
    // 5 % slow against a budget of 1 %: 5x, which opens a ticket but pages nobody.
    assert.equal(token!.burn_rates['1h'], 5);
    assert.equal(token!.error_budget_remaining, -4);
    assert.deepEqual(firing(token!), ['3d/6h']);
  });

  it('when a real token request is served, then the token SLI counts it', async () => {
    const { client, secret } = await t.app.clients.create(
      {
        name: 'Ads reporting',
        type: 'confidential',
        redirect_uris: [],
        post_logout_redirect_uris: [],
        grant_types: ['client_credentials'],
      },
      PLATFORM,
      CONTEXT,
    );
    const before = (await slo(t)).token_latency!.total_events;
    const res = await request(t.app.http)
      .post('/oauth/token')
      .auth(client.id, secret!)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    assert.equal(res.status, 200, res.text);
    const after = (await slo(t)).token_latency!;
    assert.equal(after.total_events, before + 1);
    assert.ok(after.good_events <= after.total_events);
  });

  it('when introspection answers in 25 ms, then that is good, and 30 ms is not', async () => {
    for (let i = 0; i < 900; i++) t.app.metrics.observeIntrospection(200, 0.025);
    for (let i = 0; i < 100; i++) t.app.metrics.observeIntrospection(200, 0.03);
    const { introspection_latency: introspection } = await slo(t);
    assert.equal(introspection!.total_events, 1000);
    assert.equal(introspection!.sli, 0.9);
    // 10 % slow against 1 %: 10x pages slowly (6x) but not fast (14.4x).
    assert.deepEqual(firing(introspection!), ['6h/30m', '3d/6h']);
  });

  it('when a handful of slow token requests follow a start, then no alert fires; sustained traffic with the same ratio fires every tier', async () => {
    // A month later: every window is empty, as after a fresh start.
    clock.advance(31 * DAY);
    const slowAndFast = (n: number) => {
      for (let i = 0; i < n; i++) {
        t.app.metrics.observeTokenRequest('client_credentials', 200, 0.5);
        t.app.metrics.observeTokenRequest('client_credentials', 200, 0.02);
      }
    };
    slowAndFast(3);
    let { token_latency: token } = await slo(t);
    assert.equal(token!.total_events, 6);
    // Half slow: 50x the budget in every window, but 6 requests are not 10 in 5m.
    assert.equal(token!.burn_rates['5m'], 50);
    assert.equal(token!.burn_rates['1h'], 50);
    assert.deepEqual(
      token!.alerts.map((a) => [a.short_window, a.min_events]),
      [
        ['5m', 10],
        ['30m', 60],
        ['6h', 720],
      ],
    );
    assert.deepEqual(firing(token!), []);

    // Half slow still, at 20 requests a minute for 40 minutes.
    for (let minute = 0; minute < 40; minute++) {
      clock.advance(MINUTE);
      slowAndFast(10);
    }
    ({ token_latency: token } = await slo(t));
    assert.equal(token!.burn_rates['5m'], 50);
    assert.equal(token!.total_events, 806);
    assert.deepEqual(firing(token!), ['1h/5m', '6h/30m', '3d/6h']);
    // Sign-ins have no guard: their alerts are as before.
    assert.ok(token!.alerts.every((a) => a.min_events > 0));
    assert.ok((await slo(t)).login_availability!.alerts.every((a) => a.min_events === 0));
  });

  it('when another Latchkey process counts events, then this process reports them too', async () => {
    const other = await startTestApp({
      clock,
      env: { LATCHKEY_REDIS_KEY_PREFIX: t.redis.keyPrefix },
    });
    try {
      const before = (await slo(t)).login_availability!;
      signIns(other, 503, 3);
      signIns(other, 303, 7);
      // The other process adds what it counted on its next sample (here: its own /slo).
      const there = (await slo(other)).login_availability!;
      const here = (await slo(t)).login_availability!;
      assert.equal(here.total_events, before.total_events + 10);
      assert.equal(here.good_events, before.good_events + 7);
      assert.deepEqual(
        [here.total_events, here.good_events],
        [there.total_events, there.good_events],
      );
    } finally {
      await other.close();
    }
  });
});

describe('GET /slo while Redis is away', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 5, 12, 0, 30));
  let t: TestApp;
  let proxy: ReturnType<typeof tcpProxy>;
  before(async () => {
    let redisUrl: string;
    ({ proxy, url: redisUrl } = await proxyInFrontOf(TEST_REDIS_URL));
    await proxy.start();
    t = await startTestApp({ clock, redisUrl });
  });
  after(async () => {
    await proxy.stop();
    await t.close();
  });

  it('when Redis is down, then sign-ins fail, /slo is 503 problem+json, and the failures are reported once it is back', async () => {
    // Two sign-ins served while Redis is up (callbacks of no login: the user's 400).
    for (let i = 0; i < 2; i++) {
      const res = await request(t.app.http).get('/login/oidc/callback?state=unknown&code=x');
      assert.equal(res.status, 400);
    }
    await proxy.stop();
    // The login transaction cannot be read: a server error, Latchkey's failure.
    await eventually(async () => {
      const res = await request(t.app.http).get('/login/oidc/callback?state=unknown&code=x');
      assert.ok(res.status >= 500, `status ${res.status}`);
    });
    await eventually(async () => {
      const res = await request(t.app.management).get('/slo');
      assert.equal(res.status, 503);
      assertMatchesSpec(res, 'GET', '/slo');
      assert.equal((res.body as { code: string }).code, 'dependency_unavailable');
    });
    await proxy.start();
    await eventually(async () => {
      const res = await request(t.app.management).get('/slo');
      assert.equal(res.status, 200);
    });
    const { login_availability: login } = await slo(t);
    assert.equal(login!.good_events, 2);
    assert.ok(login!.total_events >= 3, `${login!.total_events} sign-ins`);
    assert.ok(login!.sli! < 1);
    assert.ok(login!.burn_rates['5m']! > 14.4);
  });
});
