import { loginFailureRowsOf } from '../support/rate-limits.js';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import net from 'node:net';
import { freePort } from '../support/tcp-proxy.js';
import { startFakeIdp, type FakeIdp, type IdTokenFaults } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { activeOidcConnection, markActive, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/** Cookies of one browser, as a jar: name → value (enough for our Path=/ cookies). */
class Browser {
  readonly jar = new Map<string, string>();
  header() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, value] = [
        pair!.slice(0, pair!.indexOf('=')),
        pair!.slice(pair!.indexOf('=') + 1),
      ];
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.jar.delete(name.trim());
      else this.jar.set(name.trim(), value);
    }
  }
  async get(url: string) {
    const res = await fetch(url, { headers: { cookie: this.header() }, redirect: 'manual' });
    this.take(res);
    return res;
  }
}

describe('browser SSO through an OIDC IdP (openid-client as the relying party)', () => {
  let t: LiveApp;
  let idp: FakeIdp;
  let orgId: string;
  let connectionId: string;

  before(async () => {
    idp = await startFakeIdp();
    t = await startLiveApp({ env: { LATCHKEY_OUTBOUND_TIMEOUT_MS: '1500' } });
    const org = await t.app.orgs.create({ slug: 'acme', name: 'Acme Retail' }, platform, ctx);
    orgId = org.id;
    for (const [owner, domain] of [
      [orgId, 'acme.test'],
      [
        (await t.app.orgs.create({ slug: 'globex', name: 'Globex' }, platform, ctx)).id,
        'globex.test',
      ],
    ] as const) {
      await verifiedDomain(t, owner, domain);
    }
    const connection = await activeOidcConnection(t, orgId, idp, {
      name: 'Acme IdP',
      role_mapping: { 'ads-managers': 'ads:manager' },
    });
    connectionId = connection.id;
  });

  after(async () => {
    await t.close();
    await idp.close();
  });

  const alice = {
    sub: 'idp-alice',
    email: 'alice@acme.test',
    email_verified: true,
    name: 'Alice Martin',
    groups: ['ads-managers'],
  };

  /** Latchkey login → IdP → back at the callback; returns the callback response. */
  async function loginThrough(
    browser: Browser,
    identity: Record<string, unknown>,
    faults: IdTokenFaults = {},
  ) {
    idp.next(identity, faults);
    const start = await browser.get(
      `${t.issuer}/login?login_hint=alice%40acme.test&return_to=%2Faccount`,
    );
    assert.equal(start.status, 303, await start.text());
    const atIdp = new URL(start.headers.get('location')!);
    assert.equal(atIdp.origin, idp.issuer);
    const back = await fetch(atIdp, { redirect: 'manual' });
    const callback = back.headers.get('location')!;
    assert.ok(callback.startsWith(`${t.issuer}/login/oidc/callback/${connectionId}?`));
    return { callback, result: () => browser.get(callback) };
  }

  const assertLoginFailedWith = async (res: Response, reason: string) => {
    assert.equal(res.status >= 400, true, `status ${res.status}`);
    const page = await res.text();
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.ok(
      page.includes(reason),
      `the page names ${reason}: ${/Reason<\/dt>\s*<dd><code>([^<]*)/.exec(page)?.[1]}`,
    );
    assert.ok(page.includes(res.headers.get('x-request-id')!), 'the page shows the correlation id');
    assert.doesNotMatch(page, /at \w+ \(|node_modules|stack/i);
    assert.equal(
      res.headers
        .getSetCookie()
        .some((c) => c.startsWith('latchkey=') && !/Expires=Thu, 01 Jan 1970/i.test(c)),
      false,
      'no session cookie',
    );
    const rows = await loginFailureRowsOf(t, res.headers.get('x-request-id'), reason);
    assert.deepEqual(
      rows.map((r) => r.reason),
      [reason],
    );
  };

  /** The login events written while answering this response, in chain order. */
  const loginEventsOf = async (res: Response) =>
    (
      await t.app.db.query<{ type: string; reason: string | null; data: Record<string, string> }>(
        `SELECT type, reason, data FROM audit_events
         WHERE request_id = $1 AND type LIKE 'auth.login.%' ORDER BY chain_seq`,
        [res.headers.get('x-request-id')],
      )
    ).rows;
  const auditRowCount = async () =>
    (await t.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`)).rows[0]!.n;
  /** The value of one series of /metrics (0 when absent). */
  const metricValue = async (series: string) => {
    const text = await (await fetch(`${t.managementUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
  const openTransactions = async () =>
    (await t.redis.client.keys(`${t.redis.keyPrefix}*ltx:*`)).length;

  it('when alice signs in, then a session opens, she lands on the account page, and she is provisioned by (connection, subject)', async () => {
    const browser = new Browser();
    const { result } = await loginThrough(browser, alice);
    const res = await result();
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account');
    assert.ok(browser.jar.get('latchkey'), 'session cookie set');
    assert.equal(browser.jar.has('latchkey-login'), false, 'transaction cookie cleared');
    const session = await t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.ok(session);
    assert.equal(session.orgId, orgId);
    const { rows } = await t.app.db.query<{ email: string; roles: string[] }>(
      `SELECT u.email, u.roles FROM users u JOIN user_identities i ON i.user_id = u.id WHERE i.connection_id = $1 AND i.subject = $2`,
      [connectionId, 'idp-alice'],
    );
    assert.deepEqual(rows, [{ email: 'alice@acme.test', roles: ['ads:manager'] }]);
    // The audit trail: session, then the begin's started (no user yet) just before
    // succeeded, in chain order (the begin itself wrote nothing).
    const userId = session.userId;
    const events = await t.app.db.query<Record<string, unknown>>(
      `SELECT type, actor_type, actor_id, target_type, target_id, outcome FROM audit_events
       WHERE org_id = $1 AND (target_id = $2 OR actor_id = $3 OR target_id = $4)
       AND type LIKE ANY (ARRAY['auth.login.%', 'session.created']) ORDER BY chain_seq`,
      [orgId, connectionId, userId, session.id],
    );
    assert.deepEqual(
      events.rows.slice(-3).map((r) => Object.values(r)),
      [
        ['session.created', 'user', userId, 'session', session.id, 'success'],
        ['auth.login.started', 'user', null, 'connection', connectionId, 'success'],
        ['auth.login.succeeded', 'user', userId, 'session', session.id, 'success'],
      ],
    );
    const account = await browser.get(`${t.issuer}/account`);
    assert.match(await account.text(), /Signed in as Alice Martin/);
    const metrics = await (await fetch(`${t.managementUrl}/metrics`)).text();
    assert.match(
      metrics,
      /latchkey_login_attempts_total\{protocol="oidc",outcome="success",reason="ok"\} [1-9]/,
    );
  });

  it('when a browser that already has a session signs in again, then it gets a new session token (no fixation)', async () => {
    const browser = new Browser();
    await (await loginThrough(browser, alice)).result();
    const first = browser.jar.get('latchkey')!;
    await (await loginThrough(browser, alice)).result();
    assert.notEqual(browser.jar.get('latchkey'), first);
  });

  it('when the same callback is replayed, then the second one fails', async () => {
    const browser = new Browser();
    const { callback, result } = await loginThrough(browser, alice);
    assert.equal((await result()).status, 303);
    const replay = await fetch(callback, {
      headers: { cookie: browser.header() },
      redirect: 'manual',
    });
    await assertLoginFailedWith(replay, 'transaction_not_found');
  });

  it('when the callback is completed in another browser, then it fails (login CSRF)', async () => {
    const victim = new Browser();
    const { callback } = await loginThrough(new Browser(), alice);
    await assertLoginFailedWith(await victim.get(callback), 'transaction_foreign_browser');
  });

  it('when the state is wrong or missing, then it fails', async () => {
    const browser = new Browser();
    const { callback } = await loginThrough(browser, alice);
    const wrong = new URL(callback);
    wrong.searchParams.set('state', randomBytes(32).toString('base64url'));
    await assertLoginFailedWith(await browser.get(wrong.toString()), 'transaction_not_found');
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    await assertLoginFailedWith(await browser.get(missing.toString()), 'state_missing');
  });

  const refusals: Array<[string, Record<string, unknown>, IdTokenFaults, string]> = [
    ['a wrong nonce', alice, { claims: { nonce: 'not-the-nonce' } }, 'nonce_mismatch'],
    [
      'a wrong iss in the ID token',
      alice,
      { claims: { iss: 'https://evil.example' } },
      'issuer_mismatch',
    ],
    [
      'a wrong iss in the authorization response (RFC 9207)',
      alice,
      { responseIss: 'https://evil.example' },
      'issuer_mismatch',
    ],
    ['a wrong aud', alice, { claims: { aud: 'someone-else' } }, 'audience_mismatch'],
    [
      'an expired ID token',
      alice,
      {
        claims: {
          iat: Math.floor(Date.now() / 1000) - 7200,
          exp: Math.floor(Date.now() / 1000) - 3600,
        },
      },
      'id_token_expired',
    ],
    [
      'an ID token issued an hour in the future',
      alice,
      {
        claims: {
          iat: Math.floor(Date.now() / 1000) + 3600,
          exp: Math.floor(Date.now() / 1000) + 7200,
        },
      },
      'id_token_issued_in_future',
    ],
    ['a bad signature', alice, { signWith: 'other' }, 'id_token_signature_invalid'],
    ['alg none', alice, { signWith: 'none' }, 'id_token_algorithm_invalid'],
    [
      'HS256 signed with the public key',
      alice,
      { signWith: 'hs256' },
      'id_token_algorithm_invalid',
    ],
    [
      'an email outside the org’s verified domains',
      { ...alice, sub: 'idp-eve', email: 'eve@outsider.test' },
      {},
      'email_domain_not_allowed',
    ],
    [
      "an email of another org's verified domain",
      { ...alice, sub: 'idp-gina', email: 'gina@globex.test' },
      {},
      'email_domain_not_allowed',
    ],
    [
      'email_verified false while the org requires it',
      { ...alice, sub: 'idp-mallory', email: 'mallory@acme.test', email_verified: false },
      {},
      'email_not_verified',
    ],
    [
      'email_verified as the string "true"',
      { ...alice, sub: 'idp-str', email: 'str@acme.test', email_verified: 'true' },
      {},
      'email_not_verified',
    ],
    [
      'the IdP refusing the sign-in',
      alice,
      { authorizeError: 'temporarily_unavailable' },
      'idp_temporarily_unavailable',
    ],
    [
      'the IdP refusing the code',
      alice,
      { tokenError: { status: 400, error: 'invalid_grant' } },
      'code_rejected',
    ],
  ];
  for (const [what, identity, faults, reason] of refusals) {
    it(`when the IdP answers with ${what}, then the login fails with ${reason}`, async () => {
      const browser = new Browser();
      const { result } = await loginThrough(browser, identity, faults);
      await assertLoginFailedWith(await result(), reason);
    });
  }

  it('when the person cancels at the IdP (access_denied), then they are back at the login page with a neutral notice, no session, and the failure is audited', async () => {
    const browser = new Browser();
    const { result } = await loginThrough(browser, alice, { authorizeError: 'access_denied' });
    const res = await result();
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?notice=cancelled');
    assert.ok(
      !res.headers
        .getSetCookie()
        .some((c) => c.startsWith('latchkey=') && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)),
      'no session cookie',
    );
    const page = await (await browser.get(`${t.issuer}/login?notice=cancelled`)).text();
    assert.match(page, /<p class="notice" role="status">Sign-in was cancelled\./);
    assert.doesNotMatch(page, /idp_access_denied|notice error/);
    const { rows } = await t.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE type = 'auth.login.failed' AND reason = 'idp_access_denied'`,
    );
    assert.ok(rows[0]!.n >= 1, 'audited as a failed login');
  });

  it('when the ID token names an unknown kid, then the JWKS is fetched once more (at most once a minute) and the login still fails', async (t2) => {
    await (await loginThrough(new Browser(), alice)).result(); // the JWKS is now cached
    const cachedAt = idp.jwksFetches();
    // Within a minute of the last fetch an unknown kid fails without refetching (the
    // refetch is rate-limited, so forged kids cannot make Latchkey hammer the IdP)…
    await assertLoginFailedWith(
      await (await loginThrough(new Browser(), alice, { signWith: 'unknown-kid' })).result(),
      'id_token_unknown_key',
    );
    assert.equal(idp.jwksFetches(), cachedAt);
    // …and once the cache is a minute old, it is fetched exactly once more, then refused.
    t2.mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
    try {
      await assertLoginFailedWith(
        await (await loginThrough(new Browser(), alice, { signWith: 'unknown-kid' })).result(),
        'id_token_unknown_key',
      );
      assert.equal(idp.jwksFetches() - cachedAt, 1, 'exactly one refetch');
    } finally {
      t2.mock.timers.reset();
    }
  });

  it('when the IdP is unreachable or does not answer in time, then the error page says so, counted, and audited once a minute per connection', async () => {
    // A port with nothing listening, and a server that accepts and never answers.
    const dead = await freePort();
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      for (const [slug, issuer] of [
        ['initech', `http://127.0.0.1:${dead}`],
        ['hooli', `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`],
      ] as const) {
        const org = await t.app.orgs.create({ slug, name: slug }, platform, ctx);
        await t.app.db.query(
          `INSERT INTO org_domains (id, org_id, domain, status, verification_token, verification_method, verified_at, created_at, updated_at)
           VALUES ($1, $2, $3, 'verified', 'x', 'attestation', now(), now(), now())`,
          [randomUUID(), org.id, `${slug}.test`],
        );
        const c = await t.app.connections.create(
          org.id,
          { type: 'oidc', name: `${slug} IdP`, issuer, client_id: 'x', client_secret: 'y' },
          platform,
          ctx,
        );
        // Reachable at its activation, gone since (its checks would refuse it now).
        await markActive(t, c.id);
        const res = await new Browser().get(`${t.issuer}/login?login_hint=someone%40${slug}.test`);
        await assertLoginFailedWith(res, 'idp_unreachable');
      }
      // The same failure at the same connection within the minute: counted, not audited
      // again (anonymous requests repeating it do not grow the org's audit trail).
      const again = await new Browser().get(`${t.issuer}/login?login_hint=someone%40initech.test`);
      assert.match(await again.text(), /idp_unreachable/);
      assert.deepEqual(await loginEventsOf(again), []);
      const metrics = await (await fetch(`${t.managementUrl}/metrics`)).text();
      assert.match(
        metrics,
        /latchkey_login_attempts_total\{protocol="oidc",outcome="failure",reason="idp_unreachable"\} 3/,
      );
    } finally {
      silent.close();
    }
  });

  it('when browsers begin logins and never come back, then no audit row is written and the begins are counted', async () => {
    const rowsBefore = await auditRowCount();
    const startsBefore = await metricValue('latchkey_login_starts_total{protocol="oidc"}');
    for (let i = 0; i < 5; i++) {
      const res = await new Browser().get(`${t.issuer}/login?login_hint=alice%40acme.test`);
      assert.equal(res.status, 303);
    }
    assert.equal(await auditRowCount(), rowsBefore);
    assert.equal(
      await metricValue('latchkey_login_starts_total{protocol="oidc"}'),
      startsBefore + 5,
    );
  });

  it('when a login completes, then its callback audits the begin (with its start time) just before the success', async () => {
    const browser = new Browser();
    const begunAt = Date.now();
    const { result } = await loginThrough(browser, alice);
    const res = await result();
    assert.equal(res.status, 303);
    const events = await loginEventsOf(res);
    assert.deepEqual(
      events.map((e) => e.type),
      ['auth.login.started', 'auth.login.succeeded'],
    );
    assert.equal(events[0]!.data.protocol, 'oidc');
    const startedAtMs = Date.parse(events[0]!.data.started_at!);
    assert.equal(new Date(startedAtMs).toISOString(), events[0]!.data.started_at);
    assert.ok(startedAtMs >= begunAt - 1000 && startedAtMs <= Date.now(), 'the begin’s time');
  });

  it('when the IdP’s answer is refused at the callback, then the begin is audited just before the failure; a callback that finds no transaction has the failure alone', async () => {
    const browser = new Browser();
    const { callback, result } = await loginThrough(browser, alice, {
      claims: { nonce: 'not-the-nonce' },
    });
    const res = await result();
    await assertLoginFailedWith(res, 'nonce_mismatch');
    const events = await loginEventsOf(res);
    assert.deepEqual(
      events.map((e) => [e.type, e.reason, e.data.protocol]),
      [
        ['auth.login.started', null, 'oidc'],
        ['auth.login.failed', 'nonce_mismatch', 'oidc'],
      ],
    );
    assert.ok(events[0]!.data.started_at);
    const replay = await browser.get(callback);
    await assertLoginFailedWith(replay, 'transaction_not_found');
    // No begin of this browser's to record; the anonymous failure is audited at most once
    // a minute (see the next test).
    assert.ok(
      (await loginEventsOf(replay)).every((e) => e.type === 'auth.login.failed'),
      'the replay writes no auth.login.started',
    );
  });

  it('when anonymous callbacks with made-up states arrive, then each is counted but the trail gains at most one row a minute', async () => {
    const count = async () =>
      Number(
        (
          await t.app.db.query<{ n: string }>(
            `SELECT count(*) AS n FROM audit_events
             WHERE type = 'auth.login.failed' AND org_id IS NULL AND reason = 'transaction_not_found'`,
          )
        ).rows[0]!.n,
      );
    const before = await count();
    const counted = async () =>
      Number(
        /latchkey_login_attempts_total\{protocol="oidc",outcome="failure",reason="transaction_not_found"\} (\d+)/.exec(
          await t.app.metrics.registry.metrics(),
        )?.[1] ?? 0,
      );
    const countedBefore = await counted();
    for (let i = 0; i < 20; i += 1) {
      const res = await new Browser().get(
        `${t.issuer}/login/oidc/callback/${connectionId}?state=made-up-${i}&code=x`,
      );
      assert.equal(res.status, 400, `callback ${i + 1}`);
    }
    assert.ok((await count()) - before <= 1, 'at most one audit row for 20 anonymous failures');
    assert.equal((await counted()) - countedBefore, 20, 'every one counted');
  });

  it('when a browser begins a second login, then its first transaction is removed (its callback finds none)', async () => {
    const browser = new Browser();
    const first = await loginThrough(browser, alice);
    const cookie = browser.jar.get('latchkey-login')!;
    assert.match(cookie, /^[A-Za-z0-9_-]{43}\.[0-9a-f]{64}$/, '<binding>.<state hash>');
    const open = await openTransactions();
    const again = await browser.get(`${t.issuer}/login?login_hint=alice%40acme.test`);
    assert.equal(again.status, 303);
    assert.notEqual(browser.jar.get('latchkey-login'), cookie);
    assert.equal(await openTransactions(), open, 'one removed, one kept');
    // With the first login's own cookie, it would be foreign if it were still there.
    const back = await fetch(first.callback, {
      headers: { cookie: `latchkey-login=${cookie}` },
      redirect: 'manual',
    });
    await assertLoginFailedWith(back, 'transaction_not_found');
  });

  it('when a begin brings a cookie naming another browser’s transaction, then nothing of the other browser is removed', async () => {
    const victim = new Browser();
    const { result } = await loginThrough(victim, alice);
    const victimStateHash = victim.jar.get('latchkey-login')!.split('.')[1]!;
    const attacker = new Browser();
    await attacker.get(`${t.issuer}/login?login_hint=alice%40acme.test`);
    const attackerBinding = attacker.jar.get('latchkey-login')!.split('.')[0]!;
    attacker.jar.set('latchkey-login', `${attackerBinding}.${victimStateHash}`);
    const open = await openTransactions();
    const forged = await attacker.get(`${t.issuer}/login?login_hint=alice%40acme.test`);
    assert.equal(forged.status, 303);
    assert.equal(await openTransactions(), open + 1, 'nothing removed');
    const res = await result();
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account');
  });

  it('when the transaction cookie is of the earlier format (the binding alone), then the login still completes', async () => {
    const browser = new Browser();
    const { result } = await loginThrough(browser, alice);
    browser.jar.set('latchkey-login', browser.jar.get('latchkey-login')!.split('.')[0]!);
    const res = await result();
    assert.equal(res.status, 303);
    assert.ok(browser.jar.get('latchkey'), 'session cookie set');
  });

  it('when anonymous requests begin logins at connections that do not exist, then each is refused and counted, and none is audited', async () => {
    const rowsBefore = await auditRowCount();
    const series =
      'latchkey_login_attempts_total{protocol="oidc",outcome="failure",reason="connection_unavailable"}';
    const refusedBefore = await metricValue(series);
    for (let i = 0; i < 5; i++) {
      const res = await new Browser().get(`${t.issuer}/login?connection=${randomUUID()}`);
      assert.equal(res.status, 400);
      assert.match(await res.text(), /connection_unavailable/);
    }
    assert.equal(await auditRowCount(), rowsBefore);
    assert.equal(await metricValue(series), refusedBefore + 5);
  });

  it('when return_to points off-site, then the login page refuses it and never redirects there', async () => {
    for (const target of [
      'https://evil.example/x',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const res = await fetch(`${t.issuer}/login?return_to=${encodeURIComponent(target)}`, {
        redirect: 'manual',
      });
      assert.equal(res.status, 400, target);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /return_to_refused/);
    }
  });

  it('when an email of an unknown domain is entered, then the page says so and nothing starts', async () => {
    const res = await fetch(`${t.issuer}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=someone%40nowhere.test&return_to=%2Faccount',
      redirect: 'manual',
    });
    assert.equal(res.status, 404);
    assert.match(await res.text(), /recognize this email/);
  });
});
