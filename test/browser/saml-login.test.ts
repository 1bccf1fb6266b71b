import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { DemoEnvironment } from '../../src/demo/seed.js';
import { artifact } from '../support/browser.js';
import { signInAtDevIdp } from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

/**
 * The SAML browser SSO path in Debian's Chromium: Latchkey's login page, home-realm
 * discovery, the development SAML IdP (samlify's IdentityProvider role, HTTP-Redirect
 * AuthnRequest) and back through the ACS (HTTP-POST), with nothing stubbed.
 */
describe('SAML sign-in in a real browser', () => {
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

  it('when carol types her work email, signs in at the SAML IdP and continues, then she lands on the account page as Carol Diaz', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    await page.getByLabel('Work email').fill('carol@globex.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    // At the development SAML IdP (another origin): its own sign-in form.
    await page.getByLabel('Password').waitFor();
    const idp = new URL(demo.samlIdpEntityId).origin;
    assert.equal(new URL(page.url()).origin, idp);
    assert.equal(new URL(page.url()).pathname, '/saml/sso');
    await signInAtDevIdp(page, 'carol@globex.test', 'any password');
    // No script: the IdP's page shows Continue, which POSTs the SAMLResponse to the ACS.
    await page.getByRole('heading', { name: 'Signed in as Carol Diaz' }).waitFor();
    assert.equal(new URL(page.url()).origin, idp);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Signed in as Carol Diaz' }).waitFor();
    assert.equal(page.url(), `${t.issuer}/account`);
    assert.match((await page.locator('main').textContent()) ?? '', /carol@globex\.test · Globex/);
    await page.screenshot({ path: artifact('saml-login-account-page.png'), fullPage: true });
    assert.ok(existsSync(artifact('saml-login-account-page.png')));
    const session = (await context.cookies(t.issuer)).find((c) => c.name === 'latchkey');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    const validated = await t.app.sessions.validate(session.value);
    assert.equal(validated?.upstreamSubject, 'carol@globex.test');
    await context.close();
  });
});
