import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';

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
    await t.app.db.query(
      `INSERT INTO org_domains (id, org_id, domain, status, verification_token, verification_method, verified_at, created_at, updated_at)
       VALUES ($1, $2, 'umbrella.test', 'verified', 'x', 'attestation', now(), now(), now())`,
      [randomUUID(), orgId],
    );
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

  it('when a connection hint names a draft, then it can be tried; a disabled one cannot', async () => {
    const draft = await fetch(`${t.issuer}/login?connection=${ids['Umbrella Trial']}`, {
      redirect: 'manual',
    });
    assert.equal(draft.status, 303);
    assert.ok(draft.headers.get('location')?.startsWith(idp.issuer));
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

  it('when the email is missing or malformed, then the form comes back with a message', async () => {
    const res = await post('/login', { email: 'not-an-email', return_to: '/account' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Enter your work email address/);
  });
});
