import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createFakeClock } from '../../src/platform/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { markActive } from '../support/federation-seed.js';
import { CONTEXT, PLATFORM, startOAuthFixture, type OAuthFixture } from '../support/oauth.js';
import { TEST_REDIS_URL } from '../support/services.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';

const scrape = async (t: TestApp) => {
  const res = await request(t.app.management).get('/metrics');
  assert.equal(res.status, 200);
  return res.text;
};

/** The value of one series, by its exact name and labels; null when absent. */
function valueOf(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

/** Every label value each latchkey_/db metric uses, by metric and label name. */
function labelValues(text: string) {
  const seen = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const m = /^(latchkey_[a-z_]+?)(?:_bucket|_count|_sum)?\{([^}]*)\}/.exec(line);
    if (!m) continue;
    for (const pair of m[2]!.matchAll(/([a-z_]+)="([^"]*)"/g)) {
      if (pair[1] === 'le') continue;
      const key = `${m[1]}.${pair[1]}`;
      seen.set(key, (seen.get(key) ?? new Set()).add(pair[2]!));
    }
  }
  return seen;
}

async function eventually(check: () => Promise<void>, attempts = 100): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await check();
      return;
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(50);
    }
  }
}

describe('Latchkey metrics on /metrics, with bounded labels', () => {
  let f: OAuthFixture;
  let client: { id: string };
  let secret: string;
  before(async () => {
    f = await startOAuthFixture();
    const registered = await f.registerClient({ grant_types: ['client_credentials'] });
    client = registered.client;
    secret = registered.secret!;
  });
  after(async () => {
    await f.close();
  });

  it('when token requests are served, then their durations are counted by grant type, and an unknown grant type is "other"', async () => {
    const ok = await f.post('/oauth/token', { grant_type: 'client_credentials' }, [
      client.id,
      secret,
    ]);
    assert.equal(ok.status, 200);
    const odd = await f.post('/oauth/token', { grant_type: 'urn:x:<evil>"grant' }, [
      client.id,
      secret,
    ]);
    assert.equal(odd.status, 400);
    const text = await scrape(f.t);
    assert.equal(
      valueOf(
        text,
        'latchkey_oauth_token_duration_seconds_count{grant_type="client_credentials",outcome="success"}',
      ),
      1,
    );
    assert.equal(
      valueOf(
        text,
        'latchkey_oauth_token_duration_seconds_count{grant_type="other",outcome="client_error"}',
      ),
      1,
    );
    // The SLO thresholds are bucket boundaries.
    assert.match(text, /latchkey_oauth_token_duration_seconds_bucket\{le="0.1",/);
    assert.doesNotMatch(text, /evil/);
  });

  it('when a token is introspected, then the introspection duration is counted', async () => {
    const issued = (await (
      await f.post('/oauth/token', { grant_type: 'client_credentials' }, [client.id, secret])
    ).json()) as { access_token: string };
    const res = await f.post('/oauth/introspect', { token: issued.access_token }, [
      client.id,
      secret,
    ]);
    assert.equal(res.status, 200);
    const text = await scrape(f.t);
    assert.equal(
      valueOf(text, 'latchkey_oauth_introspection_duration_seconds_count{outcome="success"}'),
      1,
    );
    assert.match(text, /latchkey_oauth_introspection_duration_seconds_bucket\{le="0.025",/);
  });

  it('when sessions open and one ends, then active sessions follow, the revocation is counted once and its propagation delay is measured where it arrives', async () => {
    const before = valueOf(await scrape(f.t), 'latchkey_sessions_active') ?? 0;
    const one = await f.openSession();
    await f.openSession();
    await eventually(async () =>
      assert.equal(valueOf(await scrape(f.t), 'latchkey_sessions_active'), before + 2),
    );
    await f.t.app.sessions.end(f.org.id, one.session.id, 'admin', CONTEXT);
    await eventually(async () => {
      const text = await scrape(f.t);
      assert.equal(valueOf(text, 'latchkey_sessions_active'), before + 1);
      assert.equal(valueOf(text, 'latchkey_session_revocations_total{reason="admin"}'), 1);
      // The event travels through Redis pub/sub and back to this process.
      assert.equal(valueOf(text, 'latchkey_session_revocation_propagation_delay_seconds_count'), 1);
    });
  });

  it('when PostgreSQL queries fail, then they are counted by kind', async () => {
    await assert.rejects(f.t.app.db.query('SELECT * FROM no_such_table'));
    await assert.rejects(
      f.t.app.db.transaction(async (tx) => {
        // The same org again: a unique violation.
        await tx.query('INSERT INTO orgs SELECT * FROM orgs LIMIT 1');
      }),
    );
    // An error of the caller's own code inside a transaction is not the database's.
    await assert.rejects(
      f.t.app.db.transaction(() => Promise.reject(new Error('not a database error'))),
    );
    const text = await scrape(f.t);
    assert.equal(
      valueOf(
        text,
        'latchkey_db_client_errors_total{db_system_name="postgresql",error_type="query"}',
      ),
      1,
    );
    assert.equal(
      valueOf(
        text,
        'latchkey_db_client_errors_total{db_system_name="postgresql",error_type="constraint"}',
      ),
      1,
    );
  });

  it('when anything has been measured, then every label of every Latchkey metric takes values from a closed list', async () => {
    const allowed: Record<string, string[]> = {
      grant_type: ['authorization_code', 'refresh_token', 'client_credentials', 'other'],
      outcome: ['success', 'failure', 'client_error', 'server_error'],
      reason: [
        'logout',
        'admin',
        'user_ended',
        'evicted',
        'user_deactivated',
        'user_deleted',
        'org_deleted',
        'upstream_logout',
        'refresh_token_reuse',
        'authorization_code_reuse',
        'other',
      ],
      db_system_name: ['postgresql', 'redis'],
      error_type: ['connection', 'timeout', 'constraint', 'transaction', 'resources', 'query'],
      protocol: ['oidc', 'saml'],
    };
    const seen = labelValues(await scrape(f.t));
    assert.ok(seen.size > 0);
    for (const [key, values] of seen) {
      const label = key.split('.')[1]!;
      assert.ok(allowed[label], `${key} is a label with a closed list of values`);
      for (const value of values)
        assert.ok(allowed[label].includes(value), `${key}="${value}" is one of the list`);
    }
  });
});

describe('upstream IdP latency: per connection only when opted in, and then bounded', () => {
  let idp: FakeIdp;
  before(async () => {
    idp = await startFakeIdp();
  });
  after(async () => {
    await idp.close();
  });

  /** An org with `n` active OIDC connections to the fake IdP; each login start fetches its discovery. */
  async function startLogins(t: TestApp, n: number) {
    const org = await t.app.orgs.create({ slug: 'acme', name: 'Acme' }, PLATFORM, CONTEXT);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const connection = await t.app.connections.create(
        org.id,
        {
          type: 'oidc',
          name: `IdP ${i}`,
          issuer: idp.issuer,
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
        },
        PLATFORM,
        CONTEXT,
      );
      await markActive(t, connection.id);
      ids.push(connection.id);
      const res = await request(t.app.http).get(`/login?connection=${connection.id}`);
      assert.equal(res.status, 303, res.text);
    }
    return ids;
  }

  it('when the option is off (the default), then the latency has no connection label', async () => {
    const t = await startTestApp();
    try {
      await startLogins(t, 2);
      const text = await scrape(t);
      assert.equal(
        valueOf(
          text,
          'latchkey_upstream_idp_request_duration_seconds_count{protocol="oidc",outcome="success"}',
        ),
        2,
      );
      assert.doesNotMatch(text, /latchkey_upstream_idp_request_duration_seconds\S*connection=/);
    } finally {
      await t.close();
    }
  });

  it('when it is on with a limit of 1, then the first connection has its own label and the rest share "other"', async () => {
    const t = await startTestApp({
      env: {
        LATCHKEY_METRICS_UPSTREAM_LATENCY_BY_CONNECTION: 'true',
        LATCHKEY_METRICS_UPSTREAM_LATENCY_MAX_CONNECTIONS: '1',
      },
    });
    try {
      const [first, second, third] = await startLogins(t, 3);
      const text = await scrape(t);
      const series = (connection: string) =>
        `latchkey_upstream_idp_request_duration_seconds_count{protocol="oidc",outcome="success",connection="${connection}"}`;
      assert.equal(valueOf(text, series(first!)), 1);
      assert.equal(valueOf(text, series('other')), 2);
      assert.doesNotMatch(text, new RegExp(`${second}|${third}`));
    } finally {
      await t.close();
    }
  });
});

describe('Redis client errors', () => {
  it('when Redis goes away, then its client errors are counted', async () => {
    const { proxy, url: redisUrl } = await proxyInFrontOf(TEST_REDIS_URL);
    await proxy.start();
    const t = await startTestApp({ clock: createFakeClock(), redisUrl });
    try {
      const series =
        'latchkey_db_client_errors_total{db_system_name="redis",error_type="connection"}';
      assert.equal(valueOf(await scrape(t), series), null);
      await proxy.stop();
      // With a message: assert.ok without one parses the test's source for it, at every
      // attempt, which under tsx's source maps takes seconds each.
      await eventually(async () =>
        assert.ok((valueOf(await scrape(t), series) ?? 0) >= 1, 'a redis connection error counted'),
      );
    } finally {
      await proxy.stop();
      await t.close();
    }
  });
});
