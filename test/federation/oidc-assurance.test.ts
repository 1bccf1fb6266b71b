import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { Browser } from '../support/saml-sp-fixture.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/**
 * An org that requires MFA (issue 19): its OIDC IdP is asked for it (acr_values, the
 * values the connection names), and a sign-in whose acr/amr prove less is refused with
 * assurance_insufficient before anyone is provisioned; one that proves it gets a session
 * that keeps the level.
 */
describe('OIDC login: the org requires MFA', () => {
  let t: LiveApp;
  let idp: FakeIdp;
  let orgId: string;

  before(async () => {
    idp = await startFakeIdp();
    t = await startLiveApp();
    orgId = (
      await t.app.orgs.create(
        { slug: 'acme', name: 'Acme', settings: { require_mfa: true } },
        platform,
        ctx,
      )
    ).id;
    await verifiedDomain(t, orgId, 'acme.test');
    await activeOidcConnection(t, orgId, idp, {
      name: 'Acme IdP',
      assurance: { request: { mfa: ['urn:okta:loa:2fa:any'] } },
    });
  });

  after(async () => {
    await t.close();
    await idp.close();
  });

  async function login(identity: Record<string, unknown>) {
    const browser = new Browser();
    idp.next({ email: 'alice@acme.test', email_verified: true, ...identity });
    const start = await browser.get(`${t.issuer}/login?login_hint=alice%40acme.test`);
    assert.equal(start.status, 303, await start.text());
    const back = await fetch(new URL(start.headers.get('location')!), { redirect: 'manual' });
    return { browser, res: await browser.get(back.headers.get('location')!) };
  }

  const reasonOf = async (res: Response) =>
    /Reason<\/dt>\s*<dd><code>([^<]*)/.exec(await res.text())?.[1] ?? `status ${res.status}`;

  const users = async (sub: string) =>
    (await t.app.db.query(`SELECT 1 FROM user_identities WHERE subject = $1`, [sub])).rows.length;

  it('when the IdP proves a password only (or says nothing), then the sign-in is refused with assurance_insufficient, audited, and nobody is provisioned', async () => {
    for (const [sub, claims] of [
      ['idp-pwd', { amr: ['pwd'] }],
      ['idp-silent', {}],
    ] as const) {
      const { browser, res } = await login({ sub, ...claims });
      assert.equal(await reasonOf(res), 'assurance_insufficient');
      assert.equal(browser.jar.has('latchkey'), false, 'no session');
      assert.equal(await users(sub), 0);
    }
    assert.equal(idp.lastAuthorize()?.get('acr_values'), 'urn:okta:loa:2fa:any');
    const { rows } = await t.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events
       WHERE type = 'auth.login.failed' AND reason = 'assurance_insufficient' AND org_id = $1`,
      [orgId],
    );
    assert.equal(rows[0]!.n, 2);
  });

  it('when the login returns to a forced sign-in (lk_auth_after), then the IdP is sent max_age=0, and an ID token without auth_time is refused with id_token_auth_time_missing', async () => {
    const browser = new Browser();
    idp.next({ sub: 'idp-fresh', email: 'alice@acme.test', email_verified: true, amr: ['mfa'] });
    const returnTo = encodeURIComponent('/oauth/authorize?client_id=x&lk_auth_after=1.x');
    const start = await browser.get(
      `${t.issuer}/login?login_hint=alice%40acme.test&return_to=${returnTo}`,
    );
    assert.equal(start.status, 303, await start.text());
    const back = await fetch(new URL(start.headers.get('location')!), { redirect: 'manual' });
    assert.equal(idp.lastAuthorize()?.get('max_age'), '0');
    const res = await browser.get(back.headers.get('location')!);
    assert.equal(await reasonOf(res), 'id_token_auth_time_missing');
  });

  /** A forced sign-in (max_age=0 sent to the IdP) whose ID token says the IdP signed in at `authTime`. */
  async function forcedLogin(sub: string, authTime: (sentAtSeconds: number) => number) {
    const browser = new Browser();
    const returnTo = encodeURIComponent('/oauth/authorize?client_id=x&lk_auth_after=1.x');
    const sentAtSeconds = Math.floor(Date.now() / 1000);
    idp.next({
      sub,
      email: 'alice@acme.test',
      email_verified: true,
      amr: ['mfa'],
      auth_time: authTime(sentAtSeconds),
    });
    const start = await browser.get(
      `${t.issuer}/login?login_hint=alice%40acme.test&return_to=${returnTo}`,
    );
    assert.equal(start.status, 303, await start.text());
    const back = await fetch(new URL(start.headers.get('location')!), { redirect: 'manual' });
    assert.equal(idp.lastAuthorize()?.get('max_age'), '0');
    return { browser, res: await browser.get(back.headers.get('location')!) };
  }

  it('when a forced sign-in comes back with an auth_time from before the request (beyond the 30 s tolerance), then it is refused with id_token_auth_time_too_old, audited, and nobody is provisioned', async () => {
    const { browser, res } = await forcedLogin('idp-stale', (sent) => sent - 3600);
    assert.equal(await reasonOf(res), 'id_token_auth_time_too_old');
    assert.equal(browser.jar.has('latchkey'), false, 'no session');
    assert.equal(await users('idp-stale'), 0);
    const { rows } = await t.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events
       WHERE type = 'auth.login.failed' AND reason = 'id_token_auth_time_too_old' AND org_id = $1`,
      [orgId],
    );
    assert.equal(rows[0]!.n, 1);
  });

  it('when a forced sign-in comes back with an auth_time after the request, then it succeeds with a session', async () => {
    const { browser, res } = await forcedLogin('idp-renewed', (sent) => sent + 1);
    assert.equal(res.status, 303, await reasonOf(res.clone()));
    assert.ok(await t.app.sessions.validate(browser.jar.get('latchkey')!));
  });

  it('when the IdP proves MFA, then the sign-in succeeds and the session keeps acr and amr', async () => {
    const { browser, res } = await login({
      sub: 'idp-mfa',
      acr: 'urn:okta:loa:2fa:any',
      amr: ['pwd', 'otp'],
    });
    assert.equal(res.status, 303, await reasonOf(res.clone()));
    const session = await t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.equal(session?.acr, 'urn:latchkey:loa:mfa');
    assert.deepEqual(session?.amr, ['pwd', 'otp', 'mfa']);
  });
});
