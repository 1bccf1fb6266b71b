// @run-alone: asserts that no request waits more than 3 s through a stall, a bound a neighbour sharing the cores could tip.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';
import { PLATFORM, CONTEXT, startOAuthFixture, type OAuthFixture } from '../support/oauth.js';
import { freePort, tcpProxy } from '../support/tcp-proxy.js';

/** config/default.yaml's PostgreSQL time limits, which config/test.yaml raises: the bounds under test. */
const DEFAULT_DATABASE_TIMEOUTS = (() => {
  const { database } = parse(
    readFileSync(new URL('../../config/default.yaml', import.meta.url), 'utf8'),
  ) as { database: Record<string, number> };
  return {
    LATCHKEY_DATABASE_STATEMENT_TIMEOUT_MS: String(database.statementTimeoutMs),
    LATCHKEY_DATABASE_QUERY_TIMEOUT_MS: String(database.queryTimeoutMs),
    LATCHKEY_DATABASE_CONNECT_TIMEOUT_MS: String(database.connectTimeoutMs),
  };
})();

/**
 * The invariants while PostgreSQL is away, under a mixed load (sign-ins starting, refresh
 * rotations, client-credentials grants, introspection, admin writes, admin session ends):
 * every answer is a success that has its audit event, or a 503 that changed nothing;
 * never a 500; nobody is signed out; no request waits past the bound.
 */

type Op = 'login' | 'refresh' | 'client_credentials' | 'introspect' | 'admin_write' | 'end_session';
const OPS: Op[] = [
  'login',
  'refresh',
  'client_credentials',
  'introspect',
  'admin_write',
  'end_session',
];

/** An operation that had nothing left to do (no session left to end). */
const SKIPPED = 0;
const WORKERS = 8;

interface Tally {
  ok: Record<Op, number>;
  unavailable: Record<Op, number>;
  unexpected: string[];
  slowestMs: number;
  slowest: string;
}

describe('PostgreSQL faults under a mixed load', () => {
  let f: OAuthFixture;
  let idp: FakeIdp;
  let proxy: ReturnType<typeof tcpProxy>;
  let confidential: [string, string];
  let apiKey: string;
  let orgId: string;
  const chains: string[] = [];
  const toEnd: string[] = [];
  const refusedEnds = new Set<string>();
  const endedSids = new Set<string>();
  const orgsRefused: string[] = [];

  before(async () => {
    const port = await freePort();
    proxy = tcpProxy(port, { host: '127.0.0.1', port: 5432 });
    await proxy.start();
    idp = await startFakeIdp();
    f = await startOAuthFixture({
      databaseUrl: (direct) => {
        const url = new URL(direct);
        url.hostname = '127.0.0.1';
        url.port = String(port);
        return url.toString();
      },
      env: { LATCHKEY_OUTBOUND_TIMEOUT_MS: '1500', ...DEFAULT_DATABASE_TIMEOUTS },
    });
    orgId = f.org.id;
    const beta = await f.t.app.orgs.create({ slug: 'beta', name: 'Beta' }, PLATFORM, CONTEXT);
    await verifiedDomain(f.t, beta.id, 'beta.test');
    await activeOidcConnection(f.t, beta.id, idp, { name: 'Beta IdP' });
    const app = await f.registerClient();
    confidential = [app.client.id, app.secret!];
    const rp = await f.relyingParty(app.client, app.secret);
    // One user per session: the per-user session limit must evict nobody here.
    // One refresh chain per worker: a client never refreshes one token twice at once.
    for (let i = 0; i < WORKERS; i += 1) {
      const { token } = await f.openSession((await f.makeUser(`chain-${i}`)).id);
      chains.push((await f.signIn(rp, token)).tokens.refresh_token!);
    }
    for (let i = 0; i < 150; i += 1)
      toEnd.push((await f.openSession((await f.makeUser(`ended-${i}`)).id)).session.id);
    apiKey = (await f.t.app.apiKeys.create({ orgId: null, body: { name: 'drill' } }, 'cli', null))
      .secret;
  });
  after(async () => {
    await f.close();
    await idp.close();
    await proxy.stop();
  });

  const basic = ([id, secret]: [string, string]) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const form = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${f.t.issuer}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
    });
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${f.t.issuer}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** One operation; returns its HTTP status after recording what it means. */
  const operations: Record<Op, (worker: number, retry?: string) => Promise<number>> = {
    async login(worker) {
      const res = await form(
        '/login',
        { email: `person${worker}@beta.test` },
        { 'sec-fetch-site': 'same-origin' },
      );
      return res.status === 303 && (res.headers.get('location') ?? '').startsWith(idp.issuer)
        ? 200
        : res.status;
    },
    async refresh(worker) {
      const chain = worker;
      const res = await form(
        '/oauth/token',
        { grant_type: 'refresh_token', refresh_token: chains[chain]! },
        { authorization: basic(confidential) },
      );
      if (res.status === 200)
        chains[chain] = ((await res.json()) as { refresh_token: string }).refresh_token;
      else if (res.status === 400) throw new Error(`signed out by the fault: ${await res.text()}`);
      return res.status;
    },
    async client_credentials() {
      return (
        await form(
          '/oauth/token',
          { grant_type: 'client_credentials' },
          { authorization: basic(confidential) },
        )
      ).status;
    },
    async introspect() {
      return (
        await form(
          '/oauth/introspect',
          { token: chains[0]! },
          { authorization: basic(confidential) },
        )
      ).status;
    },
    async admin_write() {
      const slug = `drill-${randomUUID().slice(0, 8)}`;
      const res = await admin('POST', '/orgs', { slug, name: 'Drill' });
      if (res.status === 503) orgsRefused.push(slug);
      return res.status === 201 ? 200 : res.status;
    },
    async end_session(_worker, retry?: string) {
      const sid = retry ?? toEnd.pop();
      if (!sid) return SKIPPED;
      const res = await admin('DELETE', `/orgs/${orgId}/sessions/${sid}`);
      // Refused: it must still be there, and may be ended later.
      if (res.status === 503) {
        refusedEnds.add(sid);
        toEnd.unshift(sid);
      }
      if (res.status === 204) endedSids.add(sid);
      return res.status === 204 ? 200 : res.status;
    },
  };

  /** Runs workers over the operations until stopped; tallies every answer. */
  const load = (workers: number) => {
    const tally: Tally = {
      ok: Object.fromEntries(OPS.map((op) => [op, 0])) as Record<Op, number>,
      unavailable: Object.fromEntries(OPS.map((op) => [op, 0])) as Record<Op, number>,
      unexpected: [],
      slowestMs: 0,
      slowest: '',
    };
    let running = true;
    const clockSync = setInterval(() => f.syncClock(), 200);
    const done = Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        for (let i = worker; running; i += 1) {
          const op = OPS[i % OPS.length]!;
          const started = performance.now();
          let status: number;
          try {
            status = await operations[op](worker);
          } catch (error) {
            tally.unexpected.push(`${op}: ${(error as Error).message}`);
            continue;
          }
          const tookMs = performance.now() - started;
          if (tookMs > tally.slowestMs) {
            tally.slowestMs = tookMs;
            tally.slowest = `${op} ${status}`;
          }
          if (status === 200) tally.ok[op] += 1;
          else if (status === 503) tally.unavailable[op] += 1;
          else if (status !== SKIPPED) tally.unexpected.push(`${op}: ${status}`);
          await sleep(5);
        }
      }),
    );
    return {
      tally,
      async stop() {
        running = false;
        await done;
        clearInterval(clockSync);
        return tally;
      },
    };
  };

  /** Latchkey's count of COMMITs sent whose answer was lost (the transaction may have applied). */
  const commitsOfUnknownOutcome = async () => {
    const text = await (await fetch(`${f.t.managementUrl}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('latchkey_db_client_errors_total{') &&
          l.includes('error_type="commit_outcome_unknown"'),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  const auditCounts = async (sinceMs: number) => {
    const { rows } = await f.t.app.db.query<{ kind: string; n: number }>(
      `SELECT CASE WHEN type = 'token.issued' THEN type || ':' || (data->>'grant_type')
                   WHEN type = 'session.ended' THEN type || ':' || coalesce(reason, '')
                   ELSE type END AS kind, count(*)::int AS n
       FROM audit_events WHERE occurred_at >= $1 GROUP BY 1`,
      [new Date(sinceMs)],
    );
    const count = (kind: string) => rows.find((r) => r.kind === kind)?.n ?? 0;
    return {
      login: count('auth.login.started'),
      refresh: count('token.issued:refresh_token'),
      refreshed: count('session.refreshed'),
      client_credentials: count('token.issued:client_credentials'),
      admin_write: count('admin.org.created'),
      end_session: count('session.ended:admin'),
    };
  };

  it('when PostgreSQL refuses connections for 10 s, then every success has its audit event, every refusal is a 503 that changed nothing, and nobody is signed out', async () => {
    f.syncClock();
    const sinceMs = Date.now() - 1000;
    const run = load(WORKERS);
    await sleep(2000);
    await proxy.stop();
    await sleep(10_000);
    await proxy.start();
    await sleep(2500);
    const tally = await run.stop();

    assert.deepEqual(tally.unexpected, [], 'no 500, no other surprise');
    for (const op of OPS)
      assert.ok(tally.ok[op] > 0, `${op} succeeded at times: ${JSON.stringify(tally)}`);
    assert.ok(
      OPS.some((op) => tally.unavailable[op] > 0),
      `the outage was felt: ${JSON.stringify(tally)}`,
    );

    // A COMMIT whose answer the outage cut off may have applied although its request was
    // answered 503: Latchkey counts those; nothing else may differ from what was answered.
    // Each such commit carries the events of at most the requests then in flight (one per
    // worker, at most two events each).
    const outcomeUnknown = await commitsOfUnknownOutcome();
    const slack = outcomeUnknown * WORKERS * 2;
    const counts = await auditCounts(sinceMs);
    const acknowledged = {
      // A begin writes no audit row (its auth.login.started comes with the outcome at the
      // callback, and these logins never come back): started logins leave none.
      login: 0,
      refresh: tally.ok.refresh,
      refreshed: tally.ok.refresh,
      client_credentials: tally.ok.client_credentials,
      admin_write: tally.ok.admin_write,
      end_session: tally.ok.end_session,
    };
    const seen = `(${outcomeUnknown} commits of unknown outcome; audit ${JSON.stringify(counts)}; tally ${JSON.stringify(tally)})`;
    if (outcomeUnknown === 0)
      assert.deepEqual(counts, acknowledged, `audit rows = acknowledged actions ${seen}`);
    let extra = 0;
    for (const [kind, n] of Object.entries(acknowledged)) {
      const rows = counts[kind as keyof typeof counts];
      assert.ok(rows >= n, `every acknowledged ${kind} has its audit event ${seen}`);
      extra += rows - n;
    }
    assert.ok(
      extra <= slack,
      `audit rows beyond acknowledged actions only from lost COMMIT answers ${seen}`,
    );

    // A 503 changed nothing (beyond a COMMIT whose answer was lost): the sessions are
    // still there, the orgs were not created.
    let changed = 0;
    for (const sid of toEnd.filter((id) => refusedEnds.has(id)))
      if (!(await f.t.app.sessions.get(orgId, sid))) changed += 1;
    for (const slug of orgsRefused) {
      const { rows } = await f.t.app.db.query('SELECT 1 FROM orgs WHERE slug = $1', [slug]);
      changed += rows.length;
    }
    assert.ok(changed <= outcomeUnknown, `${changed} refusals changed something ${seen}`);

    // A client that was refused tries again: every session end converges to exactly one
    // ended session with exactly one session.ended event.
    for (const sid of refusedEnds) {
      if (endedSids.has(sid)) continue;
      assert.equal(await operations.end_session(-1, sid), 200, `retrying the end of ${sid}`);
    }
    const { rows: ends } = await f.t.app.db.query<{ target_id: string; n: number }>(
      `SELECT target_id, count(*)::int AS n FROM audit_events
       WHERE type = 'session.ended' AND occurred_at >= $1 GROUP BY 1`,
      [new Date(sinceMs)],
    );
    assert.deepEqual(
      new Set(ends.map((r) => r.target_id)),
      endedSids,
      'the ended sessions are the audited ones',
    );
    assert.ok(
      ends.every((r) => r.n === 1),
      'each ended session is audited once',
    );
    // Nobody was signed out: every refresh chain goes on.
    for (let worker = 0; worker < chains.length; worker += 1)
      assert.equal(await operations.refresh(worker), 200);
  });

  it('when PostgreSQL stalls for 10 s, then no request waits more than 3 s and all is well after', async () => {
    f.syncClock();
    const run = load(WORKERS);
    await sleep(1000);
    proxy.stall();
    await sleep(10_000);
    proxy.resume();
    await sleep(3000);
    const tally = await run.stop();
    assert.deepEqual(tally.unexpected, [], 'no 500, no other surprise');
    assert.ok(
      tally.slowestMs <= 3000,
      `the slowest request (${tally.slowest}) took ${Math.round(tally.slowestMs)} ms`,
    );
    assert.ok(
      OPS.some((op) => tally.unavailable[op] > 0),
      `the stall was felt: ${JSON.stringify(tally)}`,
    );
    for (let worker = 0; worker < chains.length; worker += 1)
      assert.equal(await operations.refresh(worker), 200);
    assert.equal((await fetch(`${f.t.issuer}/readyz`)).status, 200);
  });
});
