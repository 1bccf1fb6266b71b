import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';

import { artifact } from '../support/browser.js';
import {
  APP_RECEIVED,
  authorizeUrl,
  signInAtDevIdp,
  startAppReceiver,
} from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

/**
 * The whole browser SSO path in Debian's Chromium: Latchkey's login page, home-realm
 * discovery, the development IdP (oidc-provider) and back, with nothing stubbed.
 */
describe('OIDC sign-in in a real browser', () => {
  let t: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;

  before(async () => {
    world = await startDemoInBrowser({ LATCHKEY_DEMO_OIDC_IDP_PORT: '0' });
    ({ t, browser } = world);
  });
  after(async () => {
    await world.close();
  });

  /** A first-party public app registered for the code flow at this redirect URI. */
  const publicApp = async (name: string, redirectUri: string) =>
    (
      await t.app.clients.create(
        { name, type: 'public', redirect_uris: [redirectUri], grant_types: ['authorization_code'] },
        { scope: 'platform:admin', keyId: 'test' },
        { requestId: null, ip: null, userAgent: null },
      )
    ).client;

  it('when alice types her work email and signs in at her IdP, then she lands on the account page as alice', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    await page.getByLabel('Work email').fill('alice@acme.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    // At the development IdP (another origin): its own sign-in form.
    await page.getByLabel('Email').waitFor();
    assert.notEqual(new URL(page.url()).origin, t.issuer);
    await signInAtDevIdp(page, 'alice@acme.test', 'any password');
    await page.getByRole('heading', { name: 'Signed in as Alice Martin' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.match(
      (await page.locator('main').textContent()) ?? '',
      /alice@acme\.test · Acme Retail/,
    );
    await page.screenshot({ path: artifact('oidc-login-account-page.png'), fullPage: true });
    assert.ok(existsSync(artifact('oidc-login-account-page.png')));
    const cookies = await context.cookies(t.issuer);
    const session = cookies.find((c) => c.name === 'latchkey');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session.sameSite, 'Lax');
    await context.close();
  });

  it('when mallory (unverified email) signs in, then the error page names the reason and no session opens', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    await page.getByLabel('Work email').fill('mallory@acme.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Email').waitFor();
    await signInAtDevIdp(page, 'mallory@acme.test');
    await page.getByText('email_not_verified').waitFor();
    assert.equal(
      (await context.cookies(t.issuer)).some((c) => c.name === 'latchkey'),
      false,
    );
    await context.close();
  });

  it('when an app sends the browser to authorize, then after signing in at the IdP the app receives a code', async () => {
    // A first-party app: its redirect URI is a small local receiver.
    const receiver = await startAppReceiver();
    try {
      const client = await publicApp('Ads console', receiver.redirectUri);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(
        authorizeUrl(t.issuer, {
          clientId: client.id,
          redirectUri: receiver.redirectUri,
          scope: 'openid email',
          state: 'app-state',
          verifier: randomBytes(32).toString('base64url'),
          loginHint: 'bob@acme.test',
        }),
      );
      // login_hint skipped Latchkey's email form: straight to the IdP.
      await signInAtDevIdp(page, 'bob@acme.test');
      await page.getByText(APP_RECEIVED).waitFor();
      const got = receiver.received();
      assert.ok(got);
      assert.equal(got.searchParams.get('state'), 'app-state');
      assert.equal(got.searchParams.get('iss'), t.issuer);
      assert.match(got.searchParams.get('code') ?? '', /^ac_/);
      await context.close();
    } finally {
      await receiver.close();
    }
  });

  it('when an app asks acr_values=…:mfa of a person signed in with a password, then they are sent back to their IdP, enter the one-time code, and the tokens show acr and amr of MFA (step-up)', async () => {
    const receiver = await startAppReceiver();
    try {
      const client = await publicApp('Payouts', receiver.redirectUri);
      const context = await browser.newContext();
      const page = await context.newPage();
      const request = (acrValues?: string) => ({
        clientId: client.id,
        redirectUri: receiver.redirectUri,
        scope: 'openid email',
        state: 'payout',
        verifier: randomBytes(32).toString('base64url'),
        loginHint: 'alice@acme.test',
        ...(acrValues ? { acrValues } : {}),
      });
      // First a password sign-in: the session proves urn:latchkey:loa:pwd.
      await page.goto(authorizeUrl(t.issuer, request()));
      await signInAtDevIdp(page, 'alice@acme.test');
      await page.getByText(APP_RECEIVED).waitFor();
      receiver.reset();
      // The app asks for MFA: sent back to the IdP (which asks again), then the code.
      const stepUp = request('urn:latchkey:loa:mfa');
      await page.goto(authorizeUrl(t.issuer, stepUp));
      await signInAtDevIdp(page, 'alice@acme.test');
      await page.getByLabel('One-time code').fill('123456');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText(APP_RECEIVED).waitFor();
      const code = receiver.received()?.searchParams.get('code');
      assert.ok(code);
      const res = await fetch(`${t.issuer}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: receiver.redirectUri,
          client_id: client.id,
          code_verifier: stepUp.verifier,
        }),
      });
      const tokens = (await res.json()) as { id_token: string; access_token: string };
      for (const jwt of [tokens.id_token, tokens.access_token]) {
        const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as {
          acr?: string;
          amr?: string[];
        };
        assert.equal(claims.acr, 'urn:latchkey:loa:mfa');
        assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
      }
      await context.close();
    } finally {
      await receiver.close();
    }
  });
});
