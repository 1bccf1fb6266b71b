import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { s256 } from '../../src/tokens/oauth-service.js';
import {
  createTokenValidator,
  TokenValidationError,
  type TokenValidator,
} from '@latchkey/validator';
import { artifact, launchBrowser } from '../support/browser.js';
import { startLiveApp, type LiveApp } from '../support/live.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const REDIRECT = 'http://127.0.0.1:9/cb';
const AUDIENCE = 'https://ads-api.example';

describe('account page in a real browser', () => {
  let t: LiveApp;
  let browser: Browser;
  let validator: TokenValidator;
  let client: { id: string; secret: string };
  let user: { id: string; orgId: string };
  let connectionId: string;

  before(async () => {
    t = await startLiveApp();
    browser = await launchBrowser();
    const org = await t.app.orgs.create({ slug: 'acme', name: 'Acme Retail' }, platform, ctx);
    connectionId = randomUUID();
    await t.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'Acme IdP', 'active', '{}', now(), now())`,
      [connectionId, org.id],
    );
    const provisioned = await t.app.users.provisionFromIdentity(
      {
        orgId: org.id,
        connectionId,
        subject: 'alice',
        email: 'alice@acme.test',
        emailVerified: true,
        name: 'Alice Martin',
      },
      ctx,
    );
    user = { id: provisioned.user.id, orgId: org.id };
    const created = await t.app.clients.create(
      {
        name: 'Ads console',
        type: 'confidential',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        allowed_audiences: [AUDIENCE],
      },
      platform,
      ctx,
    );
    client = { id: created.client.id, secret: created.secret! };
    const receiver = await t.app.clients.create(
      {
        name: 'Ads API validator',
        type: 'confidential',
        redirect_uris: [],
        grant_types: ['client_credentials'],
        allowed_scopes: ['ssf'],
        allowed_audiences: [`${t.issuer}/ssf`],
      },
      platform,
      ctx,
    );
    validator = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { clientId: receiver.client.id, clientSecret: receiver.secret! },
    });
    await validator.start();
  });

  after(async () => {
    // Whatever before() got to start (it stops at a missing browser, for one).
    await validator?.close();
    await browser?.close();
    await t?.close();
  });

  const openSession = (userAgent: string) =>
    t.app.sessions.open(
      {
        userId: user.id,
        orgId: user.orgId,
        connectionId,
        amr: ['pwd'],
        policy: {
          idleTimeoutSeconds: 3600,
          absoluteLifetimeSeconds: 43_200,
          maxSessionsPerUser: 10,
        },
      },
      { ...ctx, userAgent },
    );

  const basic = () => `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;

  async function tokensFor(cookie: string) {
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(`${t.issuer}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      client_id: client.id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid email',
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(k, v);
    const res = await fetch(url, { headers: { cookie: `latchkey=${cookie}` }, redirect: 'manual' });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const tokenRes = await fetch(`${t.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic() },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
      }),
    });
    assert.equal(tokenRes.status, 200);
    return (await tokenRes.json()) as { access_token: string; refresh_token: string };
  }

  it('when the user ends another session on the account page, then its refresh token fails at once and its access token is rejected', async () => {
    const laptop = await openSession(
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    );
    const phone = await openSession(
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
    );
    const phoneTokens = await tokensFor(phone.token);
    assert.equal((await validator.verify(phoneTokens.access_token)).sid, phone.session.id);

    const context = await browser.newContext();
    await context.addCookies([
      { name: 'latchkey', value: laptop.token, url: t.issuer, httpOnly: true, sameSite: 'Lax' },
    ]);
    const page = await context.newPage();
    const response = await page.goto(`${t.issuer}/account`);
    assert.equal(response?.status(), 200);
    await page.getByRole('heading', { name: 'Signed in as Alice Martin' }).waitFor();
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 2);
    assert.equal(await page.getByText('This device', { exact: true }).count(), 1);

    // The phone's row has its own sign-out button (this device's says so).
    await page.getByRole('button', { name: /Sign out the session on Chrome on Android/ }).click();
    await page.getByRole('status').waitFor();
    assert.match(
      (await page.getByRole('status').textContent()) ?? '',
      /Signed out 1 other session/,
    );
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.screenshot({
      path: artifact('account-page-after-ending-session.png'),
      fullPage: true,
    });
    assert.ok(existsSync(artifact('account-page-after-ending-session.png')));

    // The ended session's refresh token fails at once…
    const refresh = await fetch(`${t.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic() },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: phoneTokens.refresh_token,
      }),
    });
    assert.equal(refresh.status, 400);
    assert.equal(((await refresh.json()) as { error: string }).error, 'invalid_grant');

    // …and the validator refuses its access token as soon as the revocation arrives.
    let verdict: unknown = null;
    for (let i = 0; i < 100 && verdict === null; i++) {
      try {
        await validator.verify(phoneTokens.access_token);
        await sleep(20);
      } catch (error) {
        verdict = error;
      }
    }
    assert.ok(verdict instanceof TokenValidationError && verdict.code === 'token_revoked');

    // The laptop's own session is untouched.
    assert.ok(await t.app.sessions.validate(laptop.token));
    await context.close();
  });

  it('when an iPhone user signs out of this device, then only that session ends, and the page named it iPhone/Safari with its connection and when it signed in', async () => {
    const iphone = await openSession(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    );
    const desktop = await openSession(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    );
    const context = await browser.newContext();
    await context.addCookies([
      { name: 'latchkey', value: iphone.token, url: t.issuer, httpOnly: true, sameSite: 'Lax' },
    ]);
    const page = await context.newPage();
    await page.goto(`${t.issuer}/account`);
    const mine = page.locator('tbody tr', { hasText: 'This device' });
    assert.match((await mine.textContent()) ?? '', /Safari on iPhone/);
    assert.match(
      (await mine.textContent()) ?? '',
      /Acme IdP/,
      'the connection it signed in through',
    );
    assert.ok(await page.getByRole('columnheader', { name: 'Signed in', exact: true }).isVisible());
    await page.screenshot({ path: artifact('account-page-iphone.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out of this device' }).click();
    await page.getByRole('heading', { name: "You're signed out" }).waitFor();
    assert.equal(await t.app.sessions.validate(iphone.token), null, 'this device is signed out');
    assert.ok(await t.app.sessions.validate(desktop.token), 'the other session lives on');
    await context.close();
  });

  it('when the page is loaded, then it runs no script and every form carries a CSRF token', async () => {
    const { token } = await openSession('Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0');
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([
      { name: 'latchkey', value: token, url: t.issuer, httpOnly: true, sameSite: 'Lax' },
    ]);
    const page = await context.newPage();
    const response = await page.goto(`${t.issuer}/account`);
    assert.match(
      (await response?.allHeaders())?.['content-security-policy'] ?? '',
      /script-src 'none'/,
    );
    assert.equal(await page.locator('script').count(), 0);
    const forms = page.locator('form');
    assert.ok((await forms.count()) >= 2);
    for (let i = 0; i < (await forms.count()); i++) {
      assert.equal(await forms.nth(i).locator('input[name="csrf"]').count(), 1);
    }
    // Without JavaScript, "sign out everywhere" still works: a plain form POST.
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('heading', { name: "You're signed out" }).waitFor();
    assert.equal(await t.app.sessions.validate(token), null);
    await context.close();
  });

  it('when no one is signed in, then the account page sends the browser to sign in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.request.get(`${t.issuer}/account`, { maxRedirects: 0 });
    assert.equal(res.status(), 303);
    assert.equal(res.headers().location, '/login?return_to=%2Faccount');
    await context.close();
  });
});
