import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { DIRECTORY_CACHE_MS } from '../../src/wiring.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';
import { createSamlTestIdp } from '../support/saml-idp.js';
import {
  assertThrottledPage,
  rateLimitedTotal,
  settledThrottleAuditRows,
  untilAdmitted,
  type PolicyUnderTest,
  type ResponseLike,
} from '../support/throttle.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/**
 * Every sign-in budget, small, in windows of 2 s (the windows end during the tests). A
 * refused login start spends the org's budget too: loginStartPerOrg leaves room for the
 * per-address and per-email tests' refusals.
 */
const WINDOW_SECONDS = 2;
const LIMITS = {
  loginPerIp: 8,
  loginStartPerOrgAndIp: 3,
  loginStartPerOrg: 8,
  loginStartPerEmail: 2,
  callbackPerIp: 4,
  callbackPerConnection: 10,
};
const upperSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
const limitEnv = Object.fromEntries(
  Object.entries(LIMITS).flatMap(([name, points]) => [
    [`LATCHKEY_LIMITS_${upperSnake(name)}_POINTS`, String(points)],
    [`LATCHKEY_LIMITS_${upperSnake(name)}_WINDOW_SECONDS`, String(WINDOW_SECONDS)],
  ]),
);
const policy = (name: string, points: number, windowSeconds = WINDOW_SECONDS): PolicyUnderTest => ({
  policy: name,
  points,
  windowSeconds,
});
/** A window ended, with room for a loaded machine. */
const WINDOW_END_MS = (WINDOW_SECONDS + 2) * 1000;

/** The identifier an email is counted (and audited) under: a digest, never the address. */
const emailKey = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22);

let addresses = 0;
/** A client address no other test uses (TEST-NET-2), sent as X-Forwarded-For. */
const nextAddress = () => {
  addresses += 1;
  return `198.51.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

describe('sign-in doors: each budget is reached at its count, answered by the 429 page, audited once per window', () => {
  let f: AdminFixture;
  let idp: FakeIdp;
  const orgs = new Map<string, { id: string; connectionId: string }>();
  const saml = new Map<string, string>();

  /** An org with a verified domain and an active OIDC connection at the fake IdP. */
  const oidcOrg = async (slug: string, settings?: Record<string, number>) => {
    const org = await f.makeOrg(slug);
    // The org's own budgets before its first sign-in: its limits are read through a cache.
    if (settings) {
      const patched = await f.platform.patch(`/api/v1/orgs/${org.id}`, { settings });
      assert.equal(patched.status, 200, patched.text);
    }
    await verifiedDomain(f.t, org.id, `${slug}.test`);
    const connection = await activeOidcConnection(f.t, org.id, idp, { name: `${slug} IdP` });
    const found = { id: org.id, connectionId: connection.id };
    orgs.set(slug, found);
    return found;
  };

  /** An org with an active SAML connection; its connection id. */
  const samlConnection = async (slug: string) => {
    const org = await f.makeOrg(slug);
    const samlIdp = createSamlTestIdp();
    const connection = await f.t.app.connections.create(
      org.id,
      {
        type: 'saml',
        name: `${slug} IdP`,
        idp_entity_id: samlIdp.entityId,
        idp_sso_url: samlIdp.ssoUrl,
        idp_certificates: [samlIdp.keys.certificatePem],
      },
      platform,
      ctx,
    );
    await f.t.app.connections.update(
      org.id,
      connection.id,
      { status: 'active' },
      null,
      platform,
      ctx,
    );
    saml.set(slug, connection.id);
    return connection.id;
  };

  before(async () => {
    idp = await startFakeIdp();
    f = await startAdminFixture({ env: { LATCHKEY_SERVER_TRUST_PROXY: 'true', ...limitEnv } });
    await oidcOrg('per-address');
    await oidcOrg('per-org');
    await oidcOrg('per-org-other');
    await oidcOrg('per-email');
    await oidcOrg('spill');
    await oidcOrg('changed');
    await oidcOrg('smaller', { login_starts_per_ip_per_minute: 2, login_starts_per_minute: 4 });
    await oidcOrg('bigger', { login_starts_per_ip_per_minute: 5, login_starts_per_minute: 10 });
    await oidcOrg('callback');
    await oidcOrg('burst');
    await samlConnection('acs-address');
    await samlConnection('acs-connection');
    await samlConnection('acs-other');
    await samlConnection('slo');
    // The first request of a fresh app is the slowest: not inside a test's 2 s window.
    await request(f.t.app.http).post('/login').set('X-Forwarded-For', nextAddress()).type('form');
  });
  after(async () => {
    await f?.t.close();
    await idp?.close();
  });

  const app = () => f.t.app;
  const http = () => f.t.app.http;
  const orgOf = (slug: string) => orgs.get(slug)!;

  /** POST /login/start at an org's connection from an address (the form's post). */
  const start = (slug: string, from: string, loginHint = '') =>
    request(http())
      .post('/login/start')
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ connection: orgOf(slug).connectionId, login_hint: loginHint });

  /** Sends `count` requests, each of which must be admitted with `status`. */
  const assertAdmitted = async (
    count: number,
    send: (i: number) => Promise<{ status: number; text: string }>,
    status: number | ((s: number) => boolean),
  ) => {
    for (let i = 1; i <= count; i += 1) {
      const res = await send(i);
      const ok = typeof status === 'number' ? res.status === status : status(res.status);
      assert.ok(
        ok,
        `request ${i} of ${count} admitted: got ${res.status} ${res.text.slice(0, 120)}`,
      );
    }
  };
  const normal4xx = (s: number) => s >= 400 && s < 500 && s !== 429;

  /** Sends `count` more requests, each of which must be refused (429). */
  const assertRefused = async (count: number, send: () => Promise<{ status: number }>) => {
    for (let i = 1; i <= count; i += 1) {
      const res = await send();
      assert.equal(res.status, 429, `extra request ${i} of ${count} refused too`);
    }
  };

  it('when one address posts the login form more than limits.loginPerIp times in a window, then the next gets the 429 page, another address is unaffected, one audit row per window, and the window resets', async () => {
    const ip = nextAddress();
    const post = (from: string) =>
      request(http())
        .post('/login')
        .set('X-Forwarded-For', from)
        .type('form')
        .send({ email: 'no-at-sign' });
    const counted = await rateLimitedTotal(app(), 'login', 'ip');

    await assertAdmitted(LIMITS.loginPerIp, () => post(ip), 400);
    await assertThrottledPage(await post(ip), policy('login-ip', LIMITS.loginPerIp));
    await assertRefused(5, () => post(ip));
    assert.equal((await post(nextAddress())).status, 400, 'another address is unaffected');

    assert.equal((await rateLimitedTotal(app(), 'login', 'ip')) - counted, 6);
    const rows = await settledThrottleAuditRows(app(), 'login-ip', ip);
    assert.equal(rows.length, 1, 'one security.rate_limited row for 6 refusals');
    assert.deepEqual(
      { ...rows[0], data: { ...rows[0]!.data, retry_after_seconds: 0 } },
      {
        reason: 'ip',
        target_type: 'address',
        org_id: null,
        data: {
          door: 'login',
          policy: 'login-ip',
          limit: LIMITS.loginPerIp,
          window_seconds: WINDOW_SECONDS,
          retry_after_seconds: 0,
        },
      },
    );

    // The next window admits the address again, and throttling it again is its own row.
    const { res } = await untilAdmitted(() => post(ip), WINDOW_END_MS);
    assert.equal(res.status, 400);
    await assertAdmitted(LIMITS.loginPerIp - 1, () => post(ip), 400);
    await assertThrottledPage(await post(ip), policy('login-ip', LIMITS.loginPerIp));
    await assertRefused(3, () => post(ip));
    assert.equal((await settledThrottleAuditRows(app(), 'login-ip', ip, 2)).length, 2);
  });

  it('when one address starts more sign-ins at an org than limits.loginStartPerOrgAndIp in a window, then 429 (login-start-org-ip), another address still starts, one audit row, and the window resets', async () => {
    const { id: orgId } = orgOf('per-address');
    const ip = nextAddress();
    const counted = await rateLimitedTotal(app(), 'login', 'ip');

    await assertAdmitted(LIMITS.loginStartPerOrgAndIp, () => start('per-address', ip), 200);
    await assertThrottledPage(
      await start('per-address', ip),
      policy('login-start-org-ip', LIMITS.loginStartPerOrgAndIp),
    );
    await assertRefused(3, () => start('per-address', ip));
    assert.equal((await start('per-address', nextAddress())).status, 200, 'another address starts');

    assert.equal((await rateLimitedTotal(app(), 'login', 'ip')) - counted, 4);
    // An org's budget audits to the org (the address stays out of its trail).
    const rows = await settledThrottleAuditRows(app(), 'login-start-org-ip', orgId);
    assert.equal(rows.length, 1, 'one security.rate_limited row for 4 refusals');
    assert.equal(rows[0]!.target_type, 'org');
    assert.equal(rows[0]!.org_id, orgId);
    assert.equal(rows[0]!.reason, 'ip');

    const { res } = await untilAdmitted(() => start('per-address', ip), WINDOW_END_MS);
    assert.equal(res.status, 200, 'a new window starts sign-ins again');
  });

  it('when an org gets more sign-in starts than limits.loginStartPerOrg in a window from many addresses, then 429 (login-start-org) from any address, another org is unaffected, one audit row, and the window resets', async () => {
    const { id: orgId } = orgOf('per-org');
    const counted = await rateLimitedTotal(app(), 'login', 'org');

    await assertAdmitted(LIMITS.loginStartPerOrg, () => start('per-org', nextAddress()), 200);
    const late = nextAddress();
    await assertThrottledPage(
      await start('per-org', late),
      policy('login-start-org', LIMITS.loginStartPerOrg),
    );
    await assertRefused(4, () => start('per-org', nextAddress()));
    assert.equal((await start('per-org-other', late)).status, 200, 'another org is unaffected');

    assert.equal((await rateLimitedTotal(app(), 'login', 'org')) - counted, 5);
    const rows = await settledThrottleAuditRows(app(), 'login-start-org', orgId);
    assert.equal(rows.length, 1, 'one security.rate_limited row for 5 refusals');
    assert.equal(rows[0]!.reason, 'org');
    assert.equal(rows[0]!.org_id, orgId);

    const { res } = await untilAdmitted(() => start('per-org', nextAddress()), WINDOW_END_MS);
    assert.equal(res.status, 200, 'a new window starts sign-ins again');
  });

  it('when one email (login_hint, any case) starts more sign-ins than limits.loginStartPerEmail from anywhere, then 429 (login-start-email), another email is unaffected, one audit row naming no address, and the window resets', async () => {
    const email = 'alice@per-email.test';
    const counted = await rateLimitedTotal(app(), 'login', 'email');

    await assertAdmitted(
      LIMITS.loginStartPerEmail,
      () => start('per-email', nextAddress(), email),
      200,
    );
    await assertThrottledPage(
      await start('per-email', nextAddress(), 'Alice@Per-Email.test'),
      policy('login-start-email', LIMITS.loginStartPerEmail),
    );
    await assertRefused(2, () => start('per-email', nextAddress(), email));
    assert.equal(
      (await start('per-email', nextAddress(), 'bob@per-email.test')).status,
      200,
      'another email is unaffected',
    );

    assert.equal((await rateLimitedTotal(app(), 'login', 'email')) - counted, 3);
    const rows = await settledThrottleAuditRows(app(), 'login-start-email', emailKey(email));
    assert.equal(rows.length, 1, 'one security.rate_limited row for 3 refusals');
    assert.equal(rows[0]!.target_type, 'email');
    assert.equal(rows[0]!.org_id, orgOf('per-email').id);
    assert.doesNotMatch(
      JSON.stringify(rows[0]),
      /alice|per-email\.test/i,
      'the address is not kept',
    );

    const { res } = await untilAdmitted(
      () => start('per-email', nextAddress(), email),
      WINDOW_END_MS,
    );
    assert.equal(res.status, 200, 'a new window starts sign-ins again');
  });

  it("when a platform admin changes the budget of an org already signing in, then the org's new budget applies within the directory cache's lifetime", async () => {
    const { id: orgId } = orgOf('changed');
    assert.equal((await start('changed', nextAddress())).status, 200, 'the org signs in');
    const patched = await f.platform.patch(`/api/v1/orgs/${orgId}`, {
      settings: { login_starts_per_ip_per_minute: 1 },
    });
    assert.equal(patched.status, 200, patched.text);
    const changedAt = Date.now();
    const deadline = changedAt + DIRECTORY_CACHE_MS + 2000;
    for (;;) {
      // Two starts from a fresh address: the second is refused once the budget is 1.
      const ip = nextAddress();
      assert.equal((await start('changed', ip)).status, 200, 'the first start of an address');
      const second = await start('changed', ip);
      if (second.status === 429) {
        await assertThrottledPage(second, policy('login-start-org-ip', 1, 60));
        break;
      }
      assert.equal(second.status, 200, 'the old budget admits a second start');
      assert.ok(Date.now() < deadline, `the new budget applied within ${DIRECTORY_CACHE_MS} ms`);
      await sleep(1000);
    }
  });

  it('when addresses of one IPv6 /64 post the login form, then they share one budget, and another /64 is unaffected', async () => {
    const post = (from: string) =>
      request(http())
        .post('/login')
        .set('X-Forwarded-For', from)
        .type('form')
        .send({ email: 'no-at-sign' });
    await assertAdmitted(LIMITS.loginPerIp, (i) => post(`2001:db8:64:1::${i.toString(16)}`), 400);
    await assertThrottledPage(
      await post('2001:db8:64:1:ffff::9'),
      policy('login-ip', LIMITS.loginPerIp),
    );
    assert.equal((await post('2001:db8:64:2::1')).status, 400, 'another /64 is unaffected');
    const rows = await settledThrottleAuditRows(app(), 'login-ip', '2001:db8:64:1::/64');
    assert.equal(rows.length, 1, 'audited under the /64');
  });

  it("when one address's starts are refused by its per-org+address budget, then its refused starts do not spend the org's budget, and other addresses still start", async () => {
    const ip = nextAddress();
    await assertAdmitted(LIMITS.loginStartPerOrgAndIp, () => start('spill', ip), 200);
    const refusals = LIMITS.loginPerIp - LIMITS.loginStartPerOrgAndIp;
    await assertRefused(refusals, () => start('spill', ip));
    // The org spent 3 of its 8 on starts it admitted: 5 more from elsewhere.
    await assertAdmitted(
      LIMITS.loginStartPerOrg - LIMITS.loginStartPerOrgAndIp,
      () => start('spill', nextAddress()),
      200,
    );
  });

  /**
   * An org whose own budgets (set by a platform admin) are perIp and perOrg a minute: one
   * address starts perIp and is refused; perOrg − perIp more start from elsewhere (the
   * refused start spent none of the org's), then the org's budget refuses. Returns the
   * org's id.
   */
  const orgBudgetsApply = async (slug: string, perIp: number, perOrg: number) => {
    const ip = nextAddress();
    await assertAdmitted(perIp, () => start(slug, ip), 200);
    await assertThrottledPage(await start(slug, ip), policy('login-start-org-ip', perIp, 60));
    await assertAdmitted(perOrg - perIp, () => start(slug, nextAddress()), 200);
    await assertThrottledPage(
      await start(slug, nextAddress()),
      policy('login-start-org', perOrg, 60),
    );
    return orgOf(slug).id;
  };

  it("when a platform admin sets an org's budgets smaller than the defaults, then the org's own per-address and per-org budgets apply (per minute)", async () => {
    const orgId = await orgBudgetsApply('smaller', 2, 4);
    await assertRefused(2, () => start('smaller', nextAddress()));
    const rows = await settledThrottleAuditRows(app(), 'login-start-org', orgId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.data.limit, 4);
    assert.equal(rows[0]!.data.window_seconds, 60);
  });

  it("when a platform admin sets an org's budgets bigger than the defaults, then more sign-ins start there than the defaults allow, up to the org's own budgets", async () => {
    await orgBudgetsApply('bigger', 5, 10);
  });

  /**
   * An IdP-answer door limited per address: the budget's worth of normal 4xx answers, the
   * 429 page, `refusedMore` more refused, another address's normal 4xx; every refusal
   * counted, one audit row (an address, this door); and the window resets.
   */
  const perAddressIdpDoor = async (
    door: 'login_callback' | 'saml',
    send: (from: string) => Promise<ResponseLike>,
    refusedMore: number,
  ) => {
    const ip = nextAddress();
    const counted = await rateLimitedTotal(app(), door, 'ip');
    await assertAdmitted(LIMITS.callbackPerIp, () => send(ip), normal4xx);
    await assertThrottledPage(await send(ip), policy('callback-ip', LIMITS.callbackPerIp));
    await assertRefused(refusedMore, () => send(ip));
    assert.ok(normal4xx((await send(nextAddress())).status), 'another address: its normal 4xx');

    assert.equal((await rateLimitedTotal(app(), door, 'ip')) - counted, refusedMore + 1);
    const rows = await settledThrottleAuditRows(app(), 'callback-ip', ip);
    assert.equal(rows.length, 1, `one security.rate_limited row for ${refusedMore + 1} refusals`);
    assert.equal(rows[0]!.data.door, door);
    assert.equal(rows[0]!.target_type, 'address');

    const { res } = await untilAdmitted(() => send(ip), WINDOW_END_MS);
    assert.ok(normal4xx(res.status), `a new window: its normal 4xx, got ${res.status}`);
  };

  it('when one address sends more OIDC callbacks than limits.callbackPerIp in a window, then 429 (callback-ip) while the others get their normal 4xx, another address is unaffected, one audit row, and the window resets', async () => {
    const { connectionId } = orgOf('callback');
    await perAddressIdpDoor(
      'login_callback',
      (from) =>
        request(http()).get(`/login/oidc/callback/${connectionId}`).set('X-Forwarded-For', from),
      4,
    );
  });

  it('when a burst of concurrent OIDC callbacks from one address crosses limits.callbackPerIp, then exactly the budget gets through, every other is refused and counted, and one audit row is written', async () => {
    const { connectionId } = orgOf('burst');
    const ip = nextAddress();
    const counted = await rateLimitedTotal(app(), 'login_callback', 'ip');
    const burst = 20;
    const statuses = await Promise.all(
      Array.from({ length: burst }, async () => {
        const res = await request(http())
          .get(`/login/oidc/callback/${connectionId}`)
          .set('X-Forwarded-For', ip);
        return res.status;
      }),
    );
    const refused = statuses.filter((s) => s === 429).length;
    assert.equal(refused, burst - LIMITS.callbackPerIp, `statuses: ${statuses.join(' ')}`);
    assert.equal((await rateLimitedTotal(app(), 'login_callback', 'ip')) - counted, refused);
    assert.equal((await settledThrottleAuditRows(app(), 'callback-ip', ip)).length, 1);
  });

  /** A garbage SAMLResponse: the budget is spent before anything is parsed. */
  const acs = (slug: string, from: string) =>
    request(http())
      .post(`/saml/${saml.get(slug)}/acs`)
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ SAMLResponse: 'not-a-saml-response', RelayState: 'x' });

  it('when one address posts to a SAML ACS more than limits.callbackPerIp times in a window, then 429 (callback-ip) while the others get their normal 4xx, another address is unaffected, one audit row, and the window resets', async () => {
    await perAddressIdpDoor('saml', (from) => acs('acs-address', from), 3);
  });

  it('when a SAML ACS gets more posts than limits.callbackPerConnection in a window from many addresses, then 429 (callback-connection), another connection is unaffected, one audit row, and the window resets', async () => {
    const connectionId = saml.get('acs-connection')!;
    const counted = await rateLimitedTotal(app(), 'saml', 'connection');

    await assertAdmitted(
      LIMITS.callbackPerConnection,
      () => acs('acs-connection', nextAddress()),
      normal4xx,
    );
    const late = nextAddress();
    await assertThrottledPage(
      await acs('acs-connection', late),
      policy('callback-connection', LIMITS.callbackPerConnection),
    );
    await assertRefused(3, () => acs('acs-connection', nextAddress()));
    assert.ok(normal4xx((await acs('acs-other', late)).status), 'another connection is unaffected');

    assert.equal((await rateLimitedTotal(app(), 'saml', 'connection')) - counted, 4);
    const rows = await settledThrottleAuditRows(app(), 'callback-connection', connectionId);
    assert.equal(rows.length, 1, 'one security.rate_limited row for 4 refusals');
    assert.equal(rows[0]!.target_type, 'connection');

    const { res } = await untilAdmitted(() => acs('acs-connection', nextAddress()), WINDOW_END_MS);
    assert.ok(normal4xx(res.status), `a new window: its normal 4xx, got ${res.status}`);
  });

  it('when one address sends SAML Single Logout messages more than limits.callbackPerIp times in a window, then 429 (callback-ip), another address is unaffected, one audit row, and the window resets', async () => {
    await perAddressIdpDoor(
      'saml',
      (from) =>
        request(http())
          .get(`/saml/${saml.get('slo')}/slo?SAMLRequest=garbage`)
          .set('X-Forwarded-For', from),
      3,
    );
  });
});
