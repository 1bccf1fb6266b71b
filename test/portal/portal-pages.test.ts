import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFakeClock } from '../../src/platform/clock.js';
import type { TxtResolver } from '../../src/orgs/index.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';

// As the page writes it (an apostrophe in a message is escaped like any value).
const INVALID = 'This setup link can&#39;t be used';
const ENDED = 'Your setup session has ended';

/** A browser of the portal: its cookie jar is supertest's agent. */
type Browser = ReturnType<typeof request.agent>;

const csrfOf = (page: string) => /name="csrf" value="([0-9a-f]{64})"/.exec(page)![1]!;

describe('setup portal pages', () => {
  const clock = createFakeClock(Date.UTC(2026, 5, 1, 9, 0, 0));
  const txt = new Map<string, string[][] | Error>();
  const resolveTxt: TxtResolver = (name) => {
    const records = txt.get(name);
    if (records instanceof Error) return Promise.reject(records);
    if (records) return Promise.resolve(records);
    return Promise.reject(
      Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }),
    );
  };
  let f: AdminFixture;

  before(async () => {
    f = await startAdminFixture({ clock, resolveTxt });
  });
  after(async () => {
    await f.t.close();
  });

  const makeLink = async (
    body: object = { intents: ['domain_verification'] },
    org: { id: string; admin: AdminFixture['orgA']['admin'] } = f.orgA,
  ) => {
    clock.advance(1000);
    const res = await org.admin.post(`/api/v1/orgs/${org.id}/portal-links`, body);
    assert.equal(res.status, 201, res.text);
    const { id, url } = res.body as { id: string; url: string };
    return { id, token: new URL(url).searchParams.get('token')! };
  };
  /** Opens a link in a new browser: its page, then its button. */
  const open = async (token: string) => {
    const browser: Browser = request.agent(f.t.app.http);
    const page = await browser.get(`/portal/start?token=${encodeURIComponent(token)}`);
    assert.equal(page.status, 200, page.text);
    const started = await browser.post('/portal/start').type('form').send({ token });
    assert.equal(started.status, 303, started.text);
    assert.equal(started.headers.location, '/portal');
    return { browser, started };
  };
  const auditRows = async (type: string, orgId: string) =>
    (
      await f.t.app.db.query<{ actor_type: string; actor_id: string; data: unknown }>(
        'SELECT actor_type, actor_id, data FROM audit_events WHERE type = $1 AND org_id = $2 ORDER BY id',
        [type, orgId],
      )
    ).rows;

  it('when the link is opened, then its page only offers a button, and the button opens a session with a strict cookie', async () => {
    const { id, token } = await makeLink();
    const browser = request.agent(f.t.app.http);
    const page = await browser.get(`/portal/start?token=${token}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<form method="post" action="\/portal\/start"/);
    assert.equal(page.headers['set-cookie'], undefined);
    assert.match(String(page.headers['content-security-policy']), /script-src 'none'/);
    // The token is in this page's URL: its referrer goes to this origin only (the button's POST).
    assert.equal(page.headers['referrer-policy'], 'same-origin');
    // Opening the page spent nothing.
    const listed = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/portal-links/${id}`);
    assert.equal((listed.body as { status: string }).status, 'active');

    const started = await browser.post('/portal/start').type('form').send({ token });
    assert.equal(started.status, 303);
    const cookie = String((started.headers['set-cookie'] as unknown as string[])[0]);
    // http://localhost issuer in tests: no Secure, so no __Host- prefix (docs/portal.md).
    assert.match(cookie, /^latchkey-portal=[\w-]{43};/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Path=\//);
    // The link's remaining life: 5 days (the fake clock has not moved since it was made).
    assert.match(cookie, /; Max-Age=432000;/);
    assert.doesNotMatch(cookie, /Domain=/);

    const home = await browser.get('/portal');
    assert.equal(home.status, 200);
    assert.match(home.text, /Set up Org org-a/);
    assert.match(home.text, /href="\/portal\/domains"/);
    const [startedEvent] = await auditRows('portal.session.started', f.orgA.id);
    assert.equal(startedEvent?.actor_type, 'portal_session');
    assert.equal(startedEvent?.actor_id, id);
  });

  it('when the issuer is https, then the portal cookie is __Host- and Secure', async () => {
    const { portalCookie } = await import('../../src/http/pages/portal.routes.js');
    assert.deepEqual(portalCookie('https://sso.example.com'), {
      name: '__Host-latchkey-portal',
      options: { httpOnly: true, sameSite: 'strict', path: '/', secure: true },
    });
  });

  it("when the org has a look (branding), then the portal's pages carry it, escaped", async () => {
    const org = await f.makeOrg('portal-look');
    const styled = await org.admin.patch(`/api/v1/orgs/${org.id}/branding`, {
      display_name: 'Look <b>Corp</b>',
      primary_color: '#8a1538',
    });
    assert.equal(styled.status, 200, styled.text);
    const { token } = await makeLink({ intents: ['domain_verification'] }, org);
    const { browser } = await open(token);
    for (const path of ['/portal', '/portal/domains']) {
      const page = await browser.get(path);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes('<link rel="stylesheet" href="/branding/theme/8a1538" />'));
      assert.ok(page.text.includes('Look &lt;b&gt;Corp&lt;/b&gt;'));
      assert.ok(!page.text.includes('<b>Corp'));
    }
  });

  it('when a link is used a second time, from this browser or another, then the same page says it cannot be used and whom to ask', async () => {
    const { token } = await makeLink();
    await open(token);
    const again = request.agent(f.t.app.http);
    const page = await again.get(`/portal/start?token=${token}`);
    assert.equal(page.status, 410);
    assert.match(page.text, new RegExp(INVALID));
    assert.match(page.text, /platform team/);
    const post = await again.post('/portal/start').type('form').send({ token });
    assert.equal(post.status, 410);
    assert.equal(post.headers['set-cookie'], undefined);
    // An unknown token, a malformed one, none: the very same page.
    const unknown = await again.get(`/portal/start?token=${token.slice(0, -2)}AA`);
    const none = await again.get('/portal/start');
    assert.equal(unknown.status, 410);
    assert.equal(none.status, 410);
    assert.equal(unknown.text, page.text);
    assert.equal(none.text, page.text);
  });

  it('when a link has expired, then the same page; and an open session ends with its link', async () => {
    const { token } = await makeLink({ intents: ['sso'], lifetime_seconds: 120 });
    const { token: other } = await makeLink({ intents: ['sso'], lifetime_seconds: 60 });
    const { browser } = await open(token);
    clock.advance(61_000);
    const expired = await request(f.t.app.http).get(`/portal/start?token=${other}`);
    assert.equal(expired.status, 410);
    assert.match(expired.text, new RegExp(INVALID));
    assert.equal((await browser.get('/portal')).status, 200);
    clock.advance(60_000);
    const ended = await browser.get('/portal');
    assert.equal(ended.status, 401);
    assert.match(ended.text, new RegExp(ENDED));
  });

  it('when a link is revoked, then it cannot be opened, and the session it opened ends at once', async () => {
    const used = await makeLink();
    const unused = await makeLink();
    const { browser } = await open(used.token);
    assert.equal((await browser.get('/portal')).status, 200);
    for (const link of [used, unused]) {
      const res = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/portal-links/${link.id}`);
      assert.equal(res.status, 204);
    }
    const ended = await browser.get('/portal');
    assert.equal(ended.status, 401);
    assert.match(ended.text, new RegExp(ENDED));
    assert.equal((await browser.get('/portal/domains')).status, 401);
    const page = await request(f.t.app.http).get(`/portal/start?token=${unused.token}`);
    assert.equal(page.status, 410);
    assert.match(page.text, new RegExp(INVALID));
  });

  it('when the org is disabled, then its open portal session ends and its links open nothing', async () => {
    const org = await f.makeOrg('portal-disabled');
    const used = await makeLink({ intents: ['domain_verification'] }, org);
    const unused = await makeLink({ intents: ['domain_verification'] }, org);
    const { browser } = await open(used.token);
    assert.equal((await browser.get('/portal')).status, 200);
    // DELETE disables an org (it stays, status disabled).
    const disabled = await f.platform.delete(`/api/v1/orgs/${org.id}`);
    assert.equal(disabled.status, 204, disabled.text);
    assert.equal((await browser.get('/portal')).status, 401);
    const page = await request(f.t.app.http).get(`/portal/start?token=${unused.token}`);
    assert.equal(page.status, 410);
  });

  it('when the start form comes from another site, then 403 and the link is not spent', async () => {
    const { id, token } = await makeLink();
    const res = await request(f.t.app.http)
      .post('/portal/start')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ token });
    assert.equal(res.status, 403);
    const crossSite = await request(f.t.app.http)
      .post('/portal/start')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ token });
    assert.equal(crossSite.status, 403);
    const opaque = await request(f.t.app.http)
      .post('/portal/start')
      .set('Origin', 'null')
      .type('form')
      .send({ token });
    assert.equal(opaque.status, 403);
    const link = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/portal-links/${id}`);
    assert.equal((link.body as { status: string }).status, 'active');
  });

  it('when there is no portal cookie, then every portal page is the ended page', async () => {
    const anonymous = request(f.t.app.http);
    assert.equal((await anonymous.get('/portal')).status, 401);
    assert.equal((await anonymous.get('/portal/domains')).status, 401);
    const add = await anonymous.post('/portal/domains').type('form').send({ domain: 'x.example' });
    assert.equal(add.status, 401);
  });

  it('when a form has no CSRF token or a wrong one, then 403 and nothing is done', async () => {
    const { token } = await makeLink();
    const { browser } = await open(token);
    const page = await browser.get('/portal/domains');
    const missing = await browser
      .post('/portal/domains')
      .type('form')
      .send({ domain: 'csrf-a.example' });
    const wrong = await browser
      .post('/portal/domains')
      .type('form')
      .send({
        domain: 'csrf-a.example',
        csrf: csrfOf(page.text).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      });
    assert.equal(missing.status, 403);
    assert.equal(wrong.status, 403);
    const rows = await f.t.app.db.query(
      "SELECT 1 FROM org_domains WHERE domain = 'csrf-a.example'",
    );
    assert.equal(rows.rows.length, 0);
  });

  it('when a domain is added and its TXT record checked, then the failure says why and a right record verifies it, audited as the portal session', async () => {
    const org = await f.makeOrg('portal-dns');
    const { id: linkId, token } = await makeLink({ intents: ['domain_verification'] }, org);
    const { browser } = await open(token);
    const page = await browser.get('/portal/domains');
    assert.equal(page.status, 200);
    const csrf = csrfOf(page.text);

    // Only this page may run this origin's own script (its copy buttons); no inline script.
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.match(
      page.text,
      /<script\s+src="\/portal\/assets\/copy\.js"\s+defer\s+data-copy-text="Copy"\s+data-copied-text="Copied"\s*><\/script>/,
    );
    const home = await browser.get('/portal');
    assert.match(String(home.headers['content-security-policy']), /script-src 'none'/);
    const script = await browser.get('/portal/assets/copy.js');
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);

    const added = await browser
      .post('/portal/domains')
      .type('form')
      .send({ csrf, domain: 'Portal-Corp.example' });
    assert.equal(added.status, 303);
    const listed = await browser.get('/portal/domains');
    assert.match(listed.text, /_latchkey-challenge\.portal-corp\.example/);
    const value =
      /<dt>Value<\/dt>\s*<dd><code data-copy="record value"[^>]*>([\w-]{43})<\/code>/.exec(
        listed.text,
      )![1]!;
    const domainId = /action="\/portal\/domains\/([0-9a-f-]{36})\/check"/.exec(listed.text)![1]!;

    // No record at all. (Audit ids are time-ordered: the clock moves between steps.)
    clock.advance(1000);
    const none = await browser
      .post(`/portal/domains/${domainId}/check`)
      .type('form')
      .send({ csrf });
    assert.equal(none.status, 422);
    assert.match(none.text, /role="alert"/);
    assert.match(none.text, /domain_verification_failed/);
    assert.match(
      none.text,
      /There is no TXT record at _latchkey-challenge\.portal-corp\.example\./,
    );
    // A record with the wrong value.
    clock.advance(1000);
    txt.set('_latchkey-challenge.portal-corp.example', [['not-the-token']]);
    const wrong = await browser
      .post(`/portal/domains/${domainId}/check`)
      .type('form')
      .send({ csrf });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /No TXT record at _latchkey-challenge\.portal-corp\.example holds/);
    // The lookup itself failed.
    clock.advance(1000);
    txt.set(
      '_latchkey-challenge.portal-corp.example',
      Object.assign(new Error('queryTxt ESERVFAIL'), { code: 'ESERVFAIL' }),
    );
    const broken = await browser
      .post(`/portal/domains/${domainId}/check`)
      .type('form')
      .send({ csrf });
    assert.equal(broken.status, 422);
    assert.match(
      broken.text,
      /The TXT lookup of _latchkey-challenge\.portal-corp\.example failed \(ESERVFAIL\)/,
    );

    clock.advance(1000);
    txt.set('_latchkey-challenge.portal-corp.example', [[value]]);
    const ok = await browser.post(`/portal/domains/${domainId}/check`).type('form').send({ csrf });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, `/portal/domains?verified=${domainId}`);
    const done = await browser.get(String(ok.headers.location));
    assert.match(done.text, /portal-corp\.example is verified/);

    const events = (
      await f.t.app.db.query<{
        type: string;
        actor_type: string;
        actor_id: string;
        reason: string | null;
      }>(
        'SELECT type, actor_type, actor_id, reason FROM audit_events WHERE target_id = $1 ORDER BY id',
        [domainId],
      )
    ).rows;
    assert.deepEqual(
      events.map((e) => [e.type, e.actor_type, e.actor_id, e.reason]),
      [
        ['admin.domain.added', 'portal_session', linkId, null],
        ['admin.domain.verification_failed', 'portal_session', linkId, 'txt_record_not_found'],
        ['admin.domain.verification_failed', 'portal_session', linkId, 'txt_record_mismatch'],
        ['admin.domain.verification_failed', 'portal_session', linkId, 'dns_lookup_failed'],
        ['admin.domain.verified', 'portal_session', linkId, null],
      ],
    );
  });

  it('when an invalid domain is added, then the page names the field and why', async () => {
    const { token } = await makeLink();
    const { browser } = await open(token);
    const csrf = csrfOf((await browser.get('/portal/domains')).text);
    const res = await browser
      .post('/portal/domains')
      .type('form')
      .send({ csrf, domain: 'not a domain<script>' });
    assert.equal(res.status, 400);
    assert.match(res.text, /aria-invalid="true"/);
    assert.match(res.text, /not a domain&lt;script&gt;/);
    assert.doesNotMatch(res.text, /<script>/);
    assert.match(res.text, /id="domain-error"[^>]*>\s*Enter a domain name on its own/);
    // To a French browser: the reason in French, and the language switcher of this
    // answer to a form post goes back to the Domain step (not to the sign-in page).
    const french = await browser
      .post('/portal/domains')
      .set('accept-language', 'fr-CA, en;q=0.5')
      .type('form')
      .send({ csrf, domain: 'https://example.com/x' });
    assert.equal(french.status, 400);
    assert.match(french.text, /<html lang="fr" dir="ltr">/);
    assert.match(french.text, /id="domain-error"[^>]*>\s*Saisissez uniquement le nom de domaine/);
    assert.ok(french.text.includes('return_to=%2Fportal%2Fdomains"'));
    assert.ok(!french.text.includes('return_to=%2Flogin'));
  });

  it("when a portal route names another org's domain, or no domain, then 404 and nothing is checked", async () => {
    const other = await f.orgB.admin.post(`/api/v1/orgs/${f.orgB.id}/domains`, {
      domain: 'org-b-only.example',
    });
    assert.equal(other.status, 201);
    const otherId = (other.body as { id: string }).id;
    const { token } = await makeLink();
    const { browser } = await open(token);
    const csrf = csrfOf((await browser.get('/portal/domains')).text);
    for (const id of [otherId, '01900000-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const res = await browser.post(`/portal/domains/${id}/check`).type('form').send({ csrf });
      assert.equal(res.status, 404, id);
    }
    const failed = await f.t.app.db.query(
      'SELECT 1 FROM audit_events WHERE target_id = $1 AND type <> $2',
      [otherId, 'admin.domain.added'],
    );
    assert.equal(failed.rows.length, 0);
    // And its domains are not listed.
    assert.doesNotMatch((await browser.get('/portal/domains')).text, /org-b-only/);
  });

  it('when the link does not allow domain_verification, then the Domain step is not found', async () => {
    const { token } = await makeLink({ intents: ['sso', 'audit_logs'] });
    const { browser } = await open(token);
    const home = await browser.get('/portal');
    assert.doesNotMatch(home.text, /href="\/portal\/domains"/);
    assert.match(home.text, /Single sign-on/);
    assert.equal((await browser.get('/portal/domains')).status, 404);
    const page = await browser.get('/portal');
    assert.equal(page.status, 200);
    const res = await browser
      .post('/portal/domains')
      .type('form')
      .send({ domain: 'x.example', csrf: 'x' });
    assert.ok([403, 404].includes(res.status));
  });
});
