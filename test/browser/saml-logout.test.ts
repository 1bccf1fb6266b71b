import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DemoEnvironment } from '../../src/demo/seed.js';
import { artifact } from '../support/browser.js';
import { signInAtDevIdp } from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

/**
 * SAML Single Logout in Debian's Chromium: carol signs in through the development SAML
 * IdP, then signs out everywhere on the account page; the browser carries Latchkey's
 * signed LogoutRequest to the IdP's SLO URL and comes back with the IdP's signed
 * LogoutResponse to the signed-out page, with nothing stubbed.
 */
describe('SAML sign-out in a real browser', () => {
  let t: LiveApp;
  let browser: Browser;
  let demo: DemoEnvironment;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;

  before(async () => {
    world = await startDemoInBrowser({
      LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
      LATCHKEY_DEMO_SAML_IDP_PORT: '0',
    });
    ({ t, demo, browser } = world);
  });
  after(async () => {
    await world.close();
  });

  /** Carol signs in over SAML (as test/browser/saml-login.test.ts); her session token. */
  async function signInCarol(page: Page, context: BrowserContext): Promise<string> {
    await page.goto(`${t.issuer}/login`);
    await page.getByLabel('Work email').fill('carol@globex.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password').waitFor();
    await signInAtDevIdp(page, 'carol@globex.test', 'any password');
    await page.getByRole('heading', { name: 'Signed in as Carol Diaz' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${t.issuer}/account`);
    const token = (await context.cookies(t.issuer)).find((c) => c.name === 'latchkey')?.value;
    assert.ok(token, 'signed in');
    assert.ok(await t.app.sessions.validate(token));
    return token;
  }

  /** Sign out everywhere, then wait for the signed-out page (or say where it stopped). */
  async function signOutEverywhere(page: Page) {
    const visited: string[] = [];
    const console: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) visited.push(request.url());
    });
    page.on('console', (message) => console.push(message.text()));
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page
      .getByRole('heading', { name: "You're signed out" })
      .waitFor({ timeout: 10_000 })
      .catch((error: unknown) => {
        throw new Error(
          `not signed out: still at ${page.url()}; navigations: ${visited.join(' ')}; console: ${console.join(' | ')}`,
          { cause: error },
        );
      });
    return visited;
  }

  // Under the CSP Latchkey serves (form-action 'self'): the account form's answer hands
  // the browser to the IdP through a page, since Chromium blocks a cross-origin 303 there.
  it('when carol signs out everywhere, then the SAML IdP receives her signed LogoutRequest, answers, and she lands on the signed-out page with her session ended', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const idp = new URL(demo.samlIdpEntityId).origin;
    const before = demo.samlLogoutRequests().length;
    const token = await signInCarol(page, context);

    const visited = await signOutEverywhere(page);
    assert.equal(new URL(page.url()).origin, new URL(t.issuer).origin);
    assert.match(new URL(page.url()).pathname, /^\/saml\/[^/]+\/slo$/);
    assert.ok(new URL(page.url()).searchParams.has('SAMLResponse'), 'back with the IdP’s answer');
    const atIdp = visited.find((u) => u.startsWith(`${idp}/saml/slo?`));
    assert.ok(atIdp, `the browser went to the IdP's SLO URL: ${visited.join(' ')}`);
    assert.ok(new URL(atIdp).searchParams.has('SAMLRequest'));
    assert.ok(new URL(atIdp).searchParams.has('Signature'), 'the LogoutRequest is signed');

    await page.screenshot({ path: artifact('saml-logout-signed-out.png'), fullPage: true });
    assert.ok(existsSync(artifact('saml-logout-signed-out.png')));

    assert.equal(await t.app.sessions.validate(token), null, 'the session no longer validates');
    assert.equal(
      (await context.cookies(t.issuer)).find((c) => c.name === 'latchkey'),
      undefined,
      'the session cookie is cleared',
    );
    const received = demo.samlLogoutRequests().slice(before);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.nameId, 'carol@globex.test');
    assert.ok(received[0]!.sessionIndex?.startsWith('_session-'), 'with her SessionIndex');
    await context.close();
  });
});
