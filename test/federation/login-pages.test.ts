import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/** The login pages: discovery outcomes, the chooser, hints, and the hand-off page. */
describe('login pages and home-realm discovery', () => {
  let t: LiveApp;
  let idp: FakeIdp;
  let orgId: string;
  const ids: Record<string, string> = {};

  before(async () => {
    idp = await startFakeIdp();
    t = await startLiveApp();
    orgId = (await t.app.orgs.create({ slug: 'umbrella', name: 'Umbrella' }, platform, ctx)).id;
    await verifiedDomain(t, orgId, 'umbrella.test');
    for (const [name, status] of [
      ['Umbrella Okta', 'active'],
      ['Umbrella Entra', 'active'],
      ['Umbrella Trial', 'draft'],
      ['Umbrella Old', 'disabled'],
    ] as const) {
      const c = await t.app.connections.create(
        orgId,
        {
          type: 'oidc',
          name,
          issuer: idp.issuer,
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
        },
        platform,
        ctx,
      );
      if (status !== 'draft')
        await t.app.connections.update(orgId, c.id, { status }, null, platform, ctx);
      ids[name] = c.id;
    }
  });
  after(async () => {
    await t.close();
    await idp.close();
  });

  const post = (path: string, form: Record<string, string>) =>
    fetch(`${t.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });

  it('when the org has several active connections, then the chooser lists exactly those', async () => {
    const res = await post('/login', { email: 'ada@umbrella.test', return_to: '/account' });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.ok(page.includes('Umbrella Okta') && page.includes('Umbrella Entra'));
    assert.ok(
      !page.includes('Umbrella Trial') && !page.includes('Umbrella Old'),
      'drafts and disabled ones are not offered',
    );
    assert.doesNotMatch(page, /<script/i);
  });

  it('when a connection is chosen, then a hand-off page sends the browser to the IdP without script, binding the login', async () => {
    const res = await post('/login/start', {
      connection: ids['Umbrella Entra']!,
      return_to: '/account',
      login_hint: 'ada@umbrella.test',
    });
    assert.equal(res.status, 200);
    const page = await res.text();
    const target = /content="0; url=([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(target && target.startsWith(`${idp.issuer}/authorize?`), 'meta refresh to the IdP');
    const url = new URL(target);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('login_hint'), 'ada@umbrella.test');
    assert.ok(url.searchParams.get('state') && url.searchParams.get('nonce'));
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('latchkey-login='));
    assert.ok(cookie && /HttpOnly/i.test(cookie) && /SameSite=Lax/i.test(cookie));
  });

  it('when the org hint names the org, then the chooser appears without the email form', async () => {
    const res = await fetch(`${t.issuer}/login?org=umbrella`, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Choose how to sign in/);
  });

  it('when a connection hint names a draft or a disabled connection, then it does not start (a draft is tried by a test sign-in only)', async () => {
    const draft = await fetch(`${t.issuer}/login?connection=${ids['Umbrella Trial']}`, {
      redirect: 'manual',
    });
    assert.equal(draft.status, 400);
    assert.match(await draft.text(), /connection_unavailable/);
    const active = await fetch(`${t.issuer}/login?connection=${ids['Umbrella Okta']}`, {
      redirect: 'manual',
    });
    assert.equal(active.status, 303);
    assert.ok(active.headers.get('location')?.startsWith(idp.issuer));
    const disabled = await fetch(`${t.issuer}/login?connection=${ids['Umbrella Old']}`, {
      redirect: 'manual',
    });
    assert.equal(disabled.status, 400);
    assert.match(await disabled.text(), /connection_unavailable/);
  });

  it('when a disabled connection is posted to /login/start, then it is refused', async () => {
    const res = await post('/login/start', {
      connection: ids['Umbrella Old']!,
      return_to: '/account',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /connection_unavailable/);
  });

  describe('login CSRF: a login starts only from this origin', () => {
    const crossSite = { 'sec-fetch-site': 'cross-site' };
    const hasLoginCookie = (res: Response) =>
      res.headers.getSetCookie().some((c) => /^(__Host-)?latchkey-login=/.test(c));

    it('when a form from another site posts to /login or /login/start, then 403 login_cross_site and no login starts', async () => {
      for (const headers of [
        crossSite,
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'none' },
        { origin: 'https://evil.example' },
        // A browser without Fetch Metadata, made to send Origin: null (no-referrer meta,
        // sandboxed frame): refused; Latchkey's own login pages make it send the origin.
        { origin: 'null' },
      ]) {
        for (const [path, form] of [
          ['/login/start', { connection: ids['Umbrella Entra']!, return_to: '/account' }],
          ['/login', { email: 'ada@umbrella.test', return_to: '/account' }],
        ] as const) {
          const res = await fetch(`${t.issuer}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
            body: new URLSearchParams(form),
            redirect: 'manual',
          });
          assert.equal(res.status, 403, `${path} ${JSON.stringify(headers)}`);
          assert.match(await res.text(), /login_cross_site/);
          assert.equal(hasLoginCookie(res), false);
        }
      }
      // The same form from this origin (Origin null under no-referrer) goes through.
      const own = await fetch(`${t.issuer}/login/start`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          origin: 'null',
        },
        body: new URLSearchParams({ connection: ids['Umbrella Entra']!, return_to: '/account' }),
        redirect: 'manual',
      });
      assert.equal(own.status, 200);
      assert.equal(hasLoginCookie(own), true);
      // An older browser on Latchkey's page: Referrer-Policy same-origin, so its post
      // carries this origin.
      const loginForm = await fetch(`${t.issuer}/login`);
      assert.equal(loginForm.headers.get('referrer-policy'), 'same-origin');
      const older = await fetch(`${t.issuer}/login/start`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: new URL(t.issuer).origin,
        },
        body: new URLSearchParams({ connection: ids['Umbrella Entra']!, return_to: '/account' }),
        redirect: 'manual',
      });
      assert.equal(older.status, 200);
    });

    it('when a link from another site names a connection, an org or an email, then Latchkey asks first instead of going to the IdP', async () => {
      const connection = await fetch(
        `${t.issuer}/login?connection=${ids['Umbrella Okta']}&login_hint=mallory%40umbrella.test`,
        { headers: crossSite, redirect: 'manual' },
      );
      assert.equal(connection.status, 200);
      assert.equal(hasLoginCookie(connection), false);
      const page = await connection.text();
      assert.match(page, /Continue to sign in/);
      assert.match(page, /mallory@umbrella\.test/, 'the page names who would sign in');
      assert.ok(page.includes(`value="${ids['Umbrella Okta']}"`));
      // Confirmed from this origin (the page's own GET form), it starts.
      const confirmed = await fetch(`${t.issuer}/login?connection=${ids['Umbrella Okta']}`, {
        headers: { 'sec-fetch-site': 'same-origin' },
        redirect: 'manual',
      });
      assert.equal(confirmed.status, 303);
      assert.ok(confirmed.headers.get('location')?.startsWith(idp.issuer));

      // An org with one active connection, which a link would otherwise start at once.
      const solo = await t.app.orgs.create({ slug: 'solo', name: 'Solo' }, platform, ctx);
      await verifiedDomain(t, solo.id, 'solo.test');
      await activeOidcConnection(t, solo.id, idp, { name: 'Solo Okta' });
      for (const query of ['org=solo', 'login_hint=mallory%40solo.test']) {
        const res = await fetch(`${t.issuer}/login?${query}`, {
          headers: crossSite,
          redirect: 'manual',
        });
        assert.equal(res.status, 200, query);
        assert.equal(hasLoginCookie(res), false, query);
        const page = await res.text();
        assert.match(page, /Choose how to sign in/, query);
        assert.ok(page.includes('Solo Okta'), query);
        // The same link typed into the address bar goes straight to the IdP.
        const typed = await fetch(`${t.issuer}/login?${query}`, { redirect: 'manual' });
        assert.equal(typed.status, 303, query);
      }
      // Typed or bookmarked (Sec-Fetch-Site: none), a connection link starts at once.
      const typed = await fetch(`${t.issuer}/login?connection=${ids['Umbrella Okta']}`, {
        headers: { 'sec-fetch-site': 'none' },
        redirect: 'manual',
      });
      assert.equal(typed.status, 303);
    });
  });

  it('when the email is missing or malformed, then the form comes back with a message tied to the field', async () => {
    const res = await post('/login', { email: 'not-an-email', return_to: '/account' });
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(
      page,
      /<p class="notice error" role="alert" id="email-error">Enter your work email address/,
    );
    // Announced and tied to its input (issue 20): assistive technology reads it with the field.
    const input = /<input\s+id="email"[^>]*>/.exec(page)?.[0] ?? '';
    assert.match(input, /aria-describedby="email-error"/);
    assert.match(input, /aria-invalid="true"/);
  });
});
