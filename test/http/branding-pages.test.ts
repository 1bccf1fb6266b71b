import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { tinyPng } from '../support/images.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const policy = { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 7200, maxSessionsPerUser: 10 };
const XSS = '<img src=x onerror=alert(1)>"\'&';

/** An org's look on the pages its employees see, and the default look for everyone else. */
describe('org branding on the sign-in chooser, the account page and error pages', () => {
  let f: AdminFixture;
  let logoUrl: string;
  const connections = new Map<string, string>();

  before(async () => {
    f = await startAdminFixture();
    for (const [orgId, domain] of [
      [f.orgA.id, 'org-a.test'],
      [f.orgB.id, 'org-b.test'],
    ] as const) {
      await verifiedDomain(f.t, orgId, domain);
      // Two active connections each, so that discovery shows the chooser.
      for (const name of ['Okta', 'Entra']) {
        const id = randomUUID();
        await f.t.app.db.query(
          `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
           VALUES ($1, $2, 'oidc', $3, 'active', '{}', now(), now())`,
          [id, orgId, name],
        );
        connections.set(orgId, id);
      }
    }
    const styled = await f.orgA.admin.patch(`/api/v1/orgs/${f.orgA.id}/branding`, {
      display_name: XSS,
      primary_color: '#0b5fff',
    });
    assert.equal(styled.status, 200, styled.text);
    const logo = await request(f.t.app.http)
      .put(`/api/v1/orgs/${f.orgA.id}/branding/logo`)
      .set('Authorization', `Bearer ${f.orgA.keySecret}`)
      .set('Content-Type', 'image/png')
      .send(tinyPng());
    assert.equal(logo.status, 200, logo.text);
    logoUrl = (logo.body as { logo: { url: string } }).logo.url;
  });
  after(async () => {
    await f.t.close();
  });

  const chooserFor = (email: string) =>
    request(f.t.app.http).post('/login').type('form').send({ email, return_to: '/account' });

  const accountOf = async (orgId: string) => {
    const { user } = await f.t.app.users.provisionFromIdentity(
      {
        orgId,
        connectionId: connections.get(orgId)!,
        subject: randomUUID(),
        email: `ada-${randomUUID()}@example.test`,
        emailVerified: true,
        name: 'Ada',
      },
      ctx,
    );
    const { token } = await f.t.app.sessions.open(
      { userId: user.id, orgId, connectionId: connections.get(orgId)!, amr: ['pwd'], policy },
      ctx,
    );
    return request(f.t.app.http).get('/account').set('Cookie', `latchkey=${token}`);
  };

  /** The org's look: its name escaped, its logo and its colour's stylesheet, no inline style. */
  const assertOrgLook = (page: string) => {
    assert.ok(
      page.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'),
      'the display name, escaped',
    );
    assert.ok(!page.includes(XSS) && !page.includes('<img src=x'), 'never raw');
    assert.ok(page.includes(`<img class="brand-logo" src="${logoUrl}" alt="" />`));
    assert.ok(page.includes('<link rel="stylesheet" href="/branding/theme/0b5fff" />'));
    assert.doesNotMatch(page, /<style|style="/i, 'no inline style: the CSP allows none');
  };

  const assertDefaultLook = (page: string) => {
    assert.match(page, /<span class="brand-mark" aria-hidden="true">◆<\/span> Latchkey/);
    assert.doesNotMatch(page, /\/branding\//);
  };

  const assertStrictCsp = (csp: string | undefined) => {
    assert.match(csp ?? '', /style-src 'self'(;|$)/);
    assert.match(csp ?? '', /img-src 'self' data:(;|$)/);
    assert.match(csp ?? '', /script-src 'none'/);
  };

  it("when discovery finds a branded org, then the chooser has the org's look; another org's has the default", async () => {
    const branded = await chooserFor('ada@org-a.test');
    assert.equal(branded.status, 200);
    assert.match(branded.text, /Choose how to sign in/);
    assertOrgLook(branded.text);
    assertStrictCsp(branded.headers['content-security-policy']);

    const bySlug = await request(f.t.app.http).get('/login?org=org-a');
    assert.equal(bySlug.status, 200);
    assertOrgLook(bySlug.text);

    const plain = await chooserFor('bob@org-b.test');
    assert.equal(plain.status, 200);
    assertDefaultLook(plain.text);
  });

  it('when the login page has not found an org yet, then it has the default look', async () => {
    const res = await request(f.t.app.http).get('/login');
    assert.equal(res.status, 200);
    assertDefaultLook(res.text);
  });

  it("when an employee opens the account page, then it has their org's look; another org's employee sees the default", async () => {
    const branded = await accountOf(f.orgA.id);
    assert.equal(branded.status, 200);
    assertOrgLook(branded.text);
    assertStrictCsp(branded.headers['content-security-policy']);
    const plain = await accountOf(f.orgB.id);
    assert.equal(plain.status, 200);
    assertDefaultLook(plain.text);
  });

  it("when a signed-in employee's form fails, then the error page has their org's look", async () => {
    const page = await accountOf(f.orgA.id);
    const cookie = page.request.getHeader('Cookie');
    const res = await request(f.t.app.http)
      .post('/account/sessions/end-others')
      .set('Cookie', cookie)
      .type('form')
      .send({ csrf: 'forged' });
    assert.equal(res.status, 403);
    assert.match(res.text, /csrf_failed/);
    assertOrgLook(res.text);
  });

  it('when an error page concerns no known org, then it has the default look', async () => {
    const res = await request(f.t.app.http)
      .post('/account/sessions/end-others')
      .set('Accept', 'text/html')
      .type('form')
      .send({ csrf: 'x' });
    assert.equal(res.status, 303, 'not signed in: to the login page');
    const missing = await request(f.t.app.http).get('/nowhere').set('Accept', 'text/html');
    assert.equal(missing.status, 404);
    assertDefaultLook(missing.text);
  });
});

describe("org branding on the error page of a login at the org's IdP", () => {
  let t: LiveApp;
  let idp: FakeIdp;
  let orgId: string;

  before(async () => {
    idp = await startFakeIdp();
    t = await startLiveApp();
    orgId = (await t.app.orgs.create({ slug: 'acme', name: 'Acme Retail' }, platform, ctx)).id;
    await verifiedDomain(t, orgId, 'acme.test');
    await activeOidcConnection(t, orgId, idp, { name: 'Acme IdP' });
    await t.app.branding.update(orgId, { primary_color: '#8a1538' }, null, platform, ctx);
  });
  after(async () => {
    await t.close();
    await idp.close();
  });

  it("when the org's IdP refuses the sign-in, then the error page has the org's look", async () => {
    idp.next(
      { sub: 'idp-alice', email: 'alice@acme.test', email_verified: true },
      {
        authorizeError: 'temporarily_unavailable',
      },
    );
    const start = await fetch(`${t.issuer}/login?login_hint=alice%40acme.test`, {
      redirect: 'manual',
    });
    assert.equal(start.status, 303, await start.text());
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const back = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const failed = await fetch(back.headers.get('location')!, {
      headers: { cookie },
      redirect: 'manual',
    });
    assert.equal(failed.status, 400);
    const page = await failed.text();
    assert.match(page, /idp_temporarily_unavailable/);
    assert.match(page, /Acme Retail/, "the org's name, its display name being unset");
    assert.ok(page.includes('<link rel="stylesheet" href="/branding/theme/8a1538" />'));
  });
});
