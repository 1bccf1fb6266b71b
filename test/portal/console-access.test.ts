import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startFakeIdp } from '../support/fake-idp.js';
import { insertUser } from '../support/sql-fixtures.js';
import type { AdminPrincipal } from '../../src/platform/admin/index.js';

const PLATFORM: AdminPrincipal = { scope: 'platform:admin', keyId: 'test' };
const CTX = { requestId: null, ip: null, userAgent: null };
const POLICY = { idleTimeoutSeconds: 600, absoluteLifetimeSeconds: 3600, maxSessionsPerUser: 5 };

/**
 * The platform admin console's door (issue 18): a Latchkey session of the platform org
 * (config console.platformOrg) whose user holds the admin role, read afresh on every
 * request; and every form's CSRF token. Sessions are opened directly here; the SSO sign-in
 * itself is the browser test's (test/browser/admin-console.test.ts).
 */
describe('admin console access', () => {
  let t: TestApp;
  let platformOrgId: string;
  let otherOrgId: string;
  const cookieFor = async (orgId: string, roles: string[]) => {
    const user = await insertUser(t.app.db, orgId, { roles });
    const { token } = await t.app.sessions.open(
      { userId: user.id, orgId, connectionId: null, amr: ['fed'], policy: POLICY },
      CTX,
    );
    return { user, cookie: `${t.app.cookie.name}=${token}` };
  };
  const http = () => request(t.app.http);
  const csrfOf = (text: string) => /name="csrf" value="([^"]+)"/.exec(text)?.[1];

  before(async () => {
    t = await startTestApp({ env: { LATCHKEY_CONSOLE_PLATFORM_ORG: 'platform-team' } });
    platformOrgId = (
      await t.app.orgs.create({ slug: 'platform-team', name: 'Platform' }, PLATFORM, CTX)
    ).id;
    otherOrgId = (await t.app.orgs.create({ slug: 'shop', name: 'Shop' }, PLATFORM, CTX)).id;
  });
  after(async () => {
    await t.close();
  });

  it('when nobody is signed in, then /console sends the browser to sign in and back', async () => {
    const res = await http().get('/console');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/login?return_to=%2Fconsole');
  });

  it('when a platform admin is signed in, then the console lists the orgs, uncached', async () => {
    const { cookie } = await cookieFor(platformOrgId, ['platform:admin']);
    const res = await http().get('/console').set('cookie', cookie);
    assert.equal(res.status, 200);
    assert.match(res.text, /href="\/console\/orgs\/[^"]+">Shop</);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('when a platform admin opens the platform page, then it shows the SLOs and the platform keys', async () => {
    await t.app.apiKeys.create({ orgId: null, body: { name: 'ops bootstrap' } }, 'cli', null);
    const { cookie } = await cookieFor(platformOrgId, ['platform:admin']);
    const res = await http().get('/console/platform').set('cookie', cookie);
    assert.equal(res.status, 200);
    assert.match(res.text, /Service level objectives/);
    assert.match(res.text, /<td>ops bootstrap<\/td>/);
  });

  it("when another org's user holding a role of the same name is signed in, then 403 and no org is shown", async () => {
    const { cookie } = await cookieFor(otherOrgId, ['platform:admin']);
    const res = await http().get('/console').set('cookie', cookie);
    assert.equal(res.status, 403);
    assert.match(res.text, /console_forbidden/);
    assert.match(res.text, /another organization/);
    assert.doesNotMatch(res.text, /Shop/);
    const org = await http().get(`/console/orgs/${otherOrgId}`).set('cookie', cookie);
    assert.equal(org.status, 403);
  });

  it('when a platform org user without the admin role is signed in, then 403', async () => {
    const { cookie } = await cookieFor(platformOrgId, ['engineer']);
    const res = await http().get(`/console/orgs/${otherOrgId}`).set('cookie', cookie);
    assert.equal(res.status, 403);
    assert.match(res.text, /admin role/);
  });

  it('when the admin is deactivated or the session ended, then the next request is refused at once', async () => {
    const { user, cookie } = await cookieFor(platformOrgId, ['platform:admin']);
    assert.equal((await http().get('/console').set('cookie', cookie)).status, 200);
    await t.app.users.deactivate(platformOrgId, user.id, PLATFORM, CTX);
    // Deactivation ends the sessions too: the browser is sent to sign in again.
    assert.notEqual((await http().get('/console').set('cookie', cookie)).status, 200);
    const second = await cookieFor(platformOrgId, ['platform:admin']);
    assert.equal((await http().get('/console').set('cookie', second.cookie)).status, 200);
    const [session] = await t.app.sessions.listForUser(platformOrgId, second.user.id);
    await t.app.sessions.end(platformOrgId, session!.id, 'admin', CTX);
    const res = await http().get('/console').set('cookie', second.cookie);
    assert.equal(res.status, 303);
  });

  it('when a form is posted without its CSRF token, then 403 and nothing is done; with it, the change is audited as the console user', async () => {
    const { user, cookie } = await cookieFor(platformOrgId, ['platform:admin']);
    const connection = await t.app.connections.create(
      otherOrgId,
      {
        type: 'oidc',
        name: 'Shop IdP',
        issuer: 'https://idp.shop.example',
        client_id: 'x',
        client_secret: 'y',
      },
      PLATFORM,
      CTX,
    );
    const path = `/console/orgs/${otherOrgId}/connections/${connection.id}/disable`;
    const bare = await http().post(path).set('cookie', cookie).type('form').send({});
    assert.equal(bare.status, 403);
    assert.match(bare.text, /csrf_failed/);
    const wrong = await http()
      .post(path)
      .set('cookie', cookie)
      .type('form')
      .send({ csrf: 'x'.repeat(64) });
    assert.equal(wrong.status, 403);
    assert.equal(
      (await t.app.connections.get(otherOrgId, connection.id, PLATFORM)).status,
      'draft',
    );
    const page = await http().get(`/console/orgs/${otherOrgId}`).set('cookie', cookie);
    const done = await http()
      .post(path)
      .set('cookie', cookie)
      .type('form')
      .send({ csrf: csrfOf(page.text) });
    assert.equal(done.status, 303);
    assert.equal(
      (await t.app.connections.get(otherOrgId, connection.id, PLATFORM)).status,
      'disabled',
    );
    const events = await t.app.auditQuery.list(
      otherOrgId,
      { type: 'admin.connection.disabled' },
      PLATFORM,
      { limit: 10, afterId: null },
    );
    assert.deepEqual(
      events.items.map((e) => e.actor),
      [{ type: 'user', id: user.id }],
    );
  });

  it("when a platform admin ends an org's session, then it no longer opens anything, audited as the admin; another org's session id is not found", async () => {
    const { user, cookie } = await cookieFor(platformOrgId, ['platform:admin']);
    const victim = await cookieFor(otherOrgId, []);
    const token = victim.cookie.split('=')[1]!;
    const sessionId = (await t.app.sessions.validate(token))!.id;
    const page = await http().get(`/console/orgs/${otherOrgId}`).set('cookie', cookie);
    assert.match(page.text, new RegExp(`/sessions/${sessionId}/end`));
    const csrf = csrfOf(page.text);
    // Named under the wrong org: the same 404 as no session at all, and it lives on.
    const wrongOrg = await http()
      .post(`/console/orgs/${platformOrgId}/sessions/${sessionId}/end`)
      .set('cookie', cookie)
      .type('form')
      .send({ csrf });
    assert.equal(wrongOrg.status, 404);
    assert.ok(await t.app.sessions.validate(token));
    const res = await http()
      .post(`/console/orgs/${otherOrgId}/sessions/${sessionId}/end`)
      .set('cookie', cookie)
      .type('form')
      .send({ csrf });
    assert.equal(res.status, 303);
    assert.equal(await t.app.sessions.validate(token), null);
    const events = await t.app.auditQuery.list(otherOrgId, { type: 'session.ended' }, PLATFORM, {
      limit: 10,
      afterId: null,
    });
    assert.deepEqual(
      events.items.map((e) => e.actor),
      [{ type: 'user', id: user.id }],
    );
  });

  it('when a setup link is asked for without an intent, then the form says why and no link is made', async () => {
    const { cookie } = await cookieFor(platformOrgId, ['platform:admin']);
    const page = await http().get(`/console/orgs/${otherOrgId}`).set('cookie', cookie);
    const res = await http()
      .post(`/console/orgs/${otherOrgId}/portal-links`)
      .set('cookie', cookie)
      .type('form')
      .send({ csrf: csrfOf(page.text), lifetime_seconds: '3600' });
    assert.equal(res.status, 400);
    assert.match(res.text, /What the link allows: /);
    assert.doesNotMatch(res.text, /portal\/start\?token=/);
  });

  it("when a platform admin tests an org's draft connection, then it begins in test mode at the IdP, the report is the console's, and activation waits for a pass", async () => {
    const idp = await startFakeIdp();
    try {
      const { user, cookie } = await cookieFor(platformOrgId, ['platform:admin']);
      const connection = await t.app.connections.create(
        otherOrgId,
        {
          type: 'oidc',
          name: 'Shop Okta',
          issuer: idp.issuer,
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
        },
        PLATFORM,
        CTX,
      );
      const page = await http().get(`/console/orgs/${otherOrgId}`).set('cookie', cookie);
      const base = `/console/orgs/${otherOrgId}/connections/${connection.id}`;
      assert.ok(page.text.includes(`action="${base}/test"`), 'a draft offers a test sign-in');
      const csrf = csrfOf(page.text)!;
      const begun = await http()
        .post(`${base}/test`)
        .set('cookie', cookie)
        .type('form')
        .send({ csrf });
      // A form post goes on to the IdP through a hand-off page (CSP form-action 'self').
      assert.equal(begun.status, 200, begun.text);
      assert.ok(begun.text.includes(`href="${idp.issuer}`), begun.text);
      const tests = await t.app.db.query<{ id: string; outcome: string; started_by_id: string }>(
        'SELECT id, outcome, started_by_id FROM connection_tests WHERE connection_id = $1',
        [connection.id],
      );
      assert.deepEqual(
        tests.rows.map((r) => [r.outcome, r.started_by_id]),
        [['pending', user.id]],
      );
      const report = await http()
        .get(`/console/orgs/${otherOrgId}/tests/${tests.rows[0]!.id}`)
        .set('cookie', cookie);
      assert.equal(report.status, 200);
      assert.match(report.text, /Test sign-in not finished/);
      assert.ok(report.text.includes(`action="${base}/test"`));
      const activate = await http()
        .post(`${base}/activate`)
        .set('cookie', cookie)
        .type('form')
        .send({ csrf });
      assert.equal(activate.status, 409);
      assert.match(activate.text, /connection_untested/);
      assert.equal(
        (await t.app.connections.get(otherOrgId, connection.id, PLATFORM)).status,
        'draft',
      );
      // Another org's path for the same test is not found.
      const foreign = await http()
        .get(`/console/orgs/${platformOrgId}/tests/${tests.rows[0]!.id}`)
        .set('cookie', cookie);
      assert.equal(foreign.status, 404);
    } finally {
      await idp.close();
    }
  });
});
