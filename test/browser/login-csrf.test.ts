import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifact, launchBrowser } from '../support/browser.js';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';

/**
 * Login CSRF in Debian's Chromium, from a page on another site (localhost, while
 * Latchkey is 127.0.0.1: a different site): a tenant's IdP posting an unsolicited SAML
 * response, and a link that names a connection. The browser's own Sec-Fetch-Site is what
 * Latchkey goes by, so only a real browser shows these hold.
 */
describe('login CSRF from another site, in a real browser', () => {
  let f: SamlFixture;
  let browser: Browser;
  let attacker: Server;
  let page = '';
  let attackerUrl = '';

  before(async () => {
    f = await startSamlFixture();
    browser = await launchBrowser();
    attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(page);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => attacker?.close(() => resolve()));
    await f?.close();
  });

  it('when an IdP-initiated response is posted from another site, then Latchkey asks before signing in, and the Continue button signs in', async () => {
    const samlResponse = await f.initech.idp.respond(f.initech.sp, {
      inResponseTo: null,
      nameId: 'ivy@initech.test',
    });
    page = `<!doctype html><form method="post" action="${f.initech.sp.acsUrl}">
      <input type="hidden" name="SAMLResponse" value="${samlResponse}">
      <button type="submit">Send</button></form>`;
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(attackerUrl);
    await tab.getByRole('button', { name: 'Send' }).click();
    await tab.getByRole('button', { name: 'Continue as ivy@initech.test' }).waitFor();
    assert.equal(new URL(tab.url()).pathname, '/login/saml/continue');
    assert.equal(
      (await context.cookies()).some((c) => c.name === 'latchkey'),
      false,
      'no session before the person confirms',
    );
    await tab.getByRole('button', { name: 'Continue as ivy@initech.test' }).click();
    await tab.waitForURL((url) => url.pathname === '/account');
    assert.ok((await context.cookies()).some((c) => c.name === 'latchkey'));
    await tab.screenshot({ path: artifact('login-csrf-idp-initiated.png') });
    await context.close();
  });

  it('when a link on another site names a connection, then Latchkey shows a page to confirm instead of going to the IdP; a form posted from that site is refused', async () => {
    const loginUrl = `${f.t.issuer}/login?connection=${f.globex.connectionId}&login_hint=mallory%40globex.test`;
    page = `<!doctype html><a href="${loginUrl}">Open</a>
      <form method="post" action="${f.t.issuer}/login/start">
        <input type="hidden" name="connection" value="${f.globex.connectionId}">
        <button type="submit">Post</button></form>`;
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(attackerUrl);
    await tab.getByRole('link', { name: 'Open' }).click();
    await tab.getByRole('button', { name: 'Continue to your company sign-in' }).waitFor();
    assert.match(await tab.content(), /mallory@globex\.test/);
    assert.equal(new URL(tab.url()).origin, f.t.issuer, 'still at Latchkey, not the IdP');

    await tab.goto(attackerUrl);
    await tab.getByRole('button', { name: 'Post' }).click();
    await tab.getByText('login_cross_site').waitFor();
    assert.equal(
      (await context.cookies()).some((c) => c.name.endsWith('latchkey-login')),
      false,
      'no login transaction started',
    );
    await context.close();
  });
});
