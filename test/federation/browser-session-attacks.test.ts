import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const ISSUER = 'https://latchkey.test';

/** The attributes of one Set-Cookie line, lower-cased names. */
function parseSetCookie(line: string) {
  const [pair = '', ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attrs = new Map<string, string>();
  for (const a of rest) {
    const i = a.indexOf('=');
    attrs.set((i < 0 ? a : a.slice(0, i)).trim().toLowerCase(), i < 0 ? '' : a.slice(i + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
}

const setCookies = (res: request.Response) =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).map(parseSetCookie);

/**
 * OWASP ASVS v4 V3 (session management) and V4 (access control), driven as an attacker
 * would against a deployment on https (the __Host- cookies): a whole OIDC login through
 * an IdP, then the session's cookie, the account page and sign-out.
 */
describe('browser session over https: cookies, fixation, CSRF, IDOR, redirects (ASVS V3/V4)', () => {
  let t: TestApp;
  let idp: FakeIdp;
  let orgId: string;
  let otherOrgId: string;
  let connectionId: string;

  before(async () => {
    idp = await startFakeIdp();
    t = await startTestApp({ env: { LATCHKEY_SERVER_ISSUER: ISSUER } });
    orgId = (await t.app.orgs.create({ slug: 'acme', name: 'Acme' }, platform, ctx)).id;
    otherOrgId = (await t.app.orgs.create({ slug: 'globex', name: 'Globex' }, platform, ctx)).id;
    await verifiedDomain(t, orgId, 'acme.test');
    const connection = await activeOidcConnection(t, orgId, idp, { name: 'Acme IdP' });
    connectionId = connection.id;
  });
  after(async () => {
    await t.close();
    await idp.close();
  });

  const http = () => request(t.app.http);
  const identity = (sub: string) => ({
    sub,
    email: `${sub}@acme.test`,
    email_verified: true,
    name: sub,
  });

  /** A whole login as `sub`; the responses of the start and of the callback. */
  async function login(sub: string, returnTo = '/account', cookie = '') {
    idp.next(identity(sub));
    const start = await http()
      .get(`/login?login_hint=${sub}%40acme.test&return_to=${encodeURIComponent(returnTo)}`)
      .set('cookie', cookie);
    assert.equal(start.status, 303, start.text);
    const tx = setCookies(start).find((c) => c.name === '__Host-latchkey-login');
    assert.ok(tx, 'the login transaction cookie is set');
    const back = await fetch(start.headers.location!, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    assert.equal(callback.origin, ISSUER);
    const done = await http()
      .get(callback.pathname + callback.search)
      .set('cookie', [cookie, `${tx.name}=${tx.value}`].filter(Boolean).join('; '));
    return { start, tx, callback, done };
  }

  const sessionOf = (res: request.Response) => {
    const c = setCookies(res).find((c) => c.name === '__Host-latchkey' && c.value !== '');
    assert.ok(c, `no session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
    return c;
  };

  it('when a user signs in, then the session and login cookies are __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, with no Domain and no lifetime beyond the browser session', async () => {
    const { tx, done } = await login('alice');
    assert.equal(done.status, 303, done.text);
    for (const c of [tx, sessionOf(done)]) {
      assert.ok(c.attrs.has('secure'), `${c.name} Secure`);
      assert.ok(c.attrs.has('httponly'), `${c.name} HttpOnly`);
      assert.equal(c.attrs.get('samesite')?.toLowerCase(), 'lax', `${c.name} SameSite`);
      assert.equal(c.attrs.get('path'), '/', `${c.name} Path`);
      assert.equal(c.attrs.has('domain'), false, `${c.name} Domain`);
    }
    const session = sessionOf(done);
    assert.equal(session.attrs.has('max-age'), false);
    assert.equal(session.attrs.has('expires'), false);
    // The login transaction cookie is spent at the callback.
    const cleared = setCookies(done).find((c) => c.name === '__Host-latchkey-login');
    assert.ok(cleared && cleared.value === '' && cleared.attrs.has('secure'));
    // The token is in no URL and no log line.
    assert.equal(done.headers.location, '/account');
    assert.ok(!t.logs.text.includes(session.value.split('.')[1]!), 'the token is never logged');
  });

  it('when a browser brings a cookie (planted, or an old session) to a login, then the login answers with a new token and the planted one stays worthless', async () => {
    const planted = 'A'.repeat(43) + '.' + 'B'.repeat(43);
    const { done } = await login('alice', '/account', `__Host-latchkey=${planted}`);
    const fresh = sessionOf(done).value;
    assert.notEqual(fresh, planted);
    const page = await http().get('/account').set('cookie', `__Host-latchkey=${planted}`);
    assert.equal(page.status, 303);
    assert.match(page.headers.location!, /^\/login/);
  });

  it('when the account page and sign-out pages are served, then they are never cached and never framed', async () => {
    const { done } = await login('alice');
    const cookie = `__Host-latchkey=${sessionOf(done).value}`;
    for (const [path, res] of [
      ['/account', await http().get('/account').set('cookie', cookie)],
      ['/oauth/logout', await http().get('/oauth/logout').set('cookie', cookie)],
      ['/login', await http().get('/login')],
    ] as const) {
      assert.equal(res.headers['cache-control'], 'no-store', path);
      assert.match(res.headers['content-security-policy']!, /frame-ancestors 'none'/);
      assert.match(res.headers['content-security-policy']!, /script-src 'none'/);
      assert.ok(res.headers['x-frame-options'], path);
    }
  });

  it('when the user signs out everywhere, then the session ends server-side and the cookie is cleared with the attributes a __Host- cookie needs', async () => {
    const { done } = await login('alice');
    const token = sessionOf(done).value;
    const cookie = `__Host-latchkey=${token}`;
    const page = await http().get('/account').set('cookie', cookie);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const out = await http()
      .post('/account/sessions/end-all')
      .set('cookie', cookie)
      .type('form')
      .send({ csrf });
    assert.equal(out.status, 200, out.text);
    const cleared = setCookies(out).find((c) => c.name === '__Host-latchkey');
    assert.ok(cleared && cleared.value === '');
    assert.ok(cleared.attrs.has('secure') && cleared.attrs.get('path') === '/');
    assert.equal(await t.app.sessions.validate(token), null, 'ended server-side');
    const replay = await http().get('/account').set('cookie', cookie);
    assert.equal(replay.status, 303, 'the old cookie, replayed, signs no one in');
  });

  it("when the account page's forms are posted without the session's CSRF token, or with another session's, then 403 and nothing ends", async () => {
    const mine = sessionOf((await login('alice')).done).value;
    const other = sessionOf((await login('alice')).done).value;
    const otherPage = await http().get('/account').set('cookie', `__Host-latchkey=${other}`);
    const otherCsrf = /name="csrf" value="([^"]+)"/.exec(otherPage.text)![1]!;
    const otherId = other.split('.')[0]!;
    for (const path of [
      '/account/sessions/end-others',
      '/account/sessions/end-all',
      `/account/sessions/${otherId}/end`,
    ]) {
      for (const body of [{}, { csrf: '' }, { csrf: otherCsrf }]) {
        const res = await http()
          .post(path)
          .set('cookie', `__Host-latchkey=${mine}`)
          .type('form')
          .send(body);
        assert.equal(res.status, 403, `${path} ${JSON.stringify(body)}`);
      }
      // Cross-site, the SameSite=Lax cookie is not sent: nothing to act for.
      const anonymous = await http().post(path).type('form').send({ csrf: otherCsrf });
      assert.equal(anonymous.status, 303);
    }
    assert.ok(await t.app.sessions.validate(mine));
    assert.ok(await t.app.sessions.validate(other));
  });

  it("when the account page is asked to end another user's or another org's session by id, then 404 and it lives on", async () => {
    const mine = sessionOf((await login('alice')).done).value;
    const page = await http().get('/account').set('cookie', `__Host-latchkey=${mine}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const bob = sessionOf((await login('bob')).done).value;
    const bobUser = (await t.app.sessions.validate(bob))!.userId;
    const foreign = await t.app.sessions.open(
      {
        userId: bobUser,
        orgId: otherOrgId,
        connectionId,
        amr: ['fed'],
        policy: { idleTimeoutSeconds: 600, absoluteLifetimeSeconds: 3600, maxSessionsPerUser: 5 },
      },
      ctx,
    );
    for (const victim of [bob.split('.')[0]!, foreign.session.id, '..%2F..%2Fend-all']) {
      const res = await http()
        .post(`/account/sessions/${victim}/end`)
        .set('cookie', `__Host-latchkey=${mine}`)
        .type('form')
        .send({ csrf });
      assert.equal(res.status, 404, victim);
    }
    assert.ok(await t.app.sessions.validate(bob));
    assert.ok(await t.app.sessions.get(otherOrgId, foreign.session.id));
  });

  it('when return_to is off-site in any spelling, then the login page refuses it; a Latchkey path is kept', async () => {
    for (const target of [
      '//evil.example/x',
      '/\\evil.example',
      '\\/evil.example',
      'https:evil.example',
      'https://evil.example',
      '///evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      ' //evil.example',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,x',
      `${ISSUER}.evil.example/`,
    ]) {
      const res = await http().get(`/login?return_to=${encodeURIComponent(target)}`);
      assert.equal(res.status, 400, JSON.stringify(target));
      assert.equal(res.headers.location, undefined);
      const posted = await http()
        .post('/login')
        .type('form')
        .send({ email: 'alice@acme.test', return_to: target });
      assert.equal(posted.status, 400, JSON.stringify(target));
    }
    const { done } = await login('alice', '/oauth/authorize?client_id=x');
    assert.equal(done.headers.location, '/oauth/authorize?client_id=x');
  });
});
