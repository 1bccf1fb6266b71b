import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertNoSeriousAxeViolation, langAndDir } from '../support/axe.js';
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
    // Absent when before() failed early (no Chromium): the run must end, with its message.
    if (attacker) await new Promise<void>((resolve) => attacker.close(() => resolve()));
    await f?.close();
  });

  it('when an IdP-initiated response for another account is posted into a signed-in browser from another site, then Latchkey asks before switching (no serious axe violation), and the Continue button switches', async () => {
    const postFromAttacker = async (tab: Page, nameId: string) => {
      const samlResponse = await f.initech.idp.respond(f.initech.sp, {
        inResponseTo: null,
        nameId,
      });
      page = `<!doctype html><form method="post" action="${f.initech.sp.acsUrl}">
        <input type="hidden" name="SAMLResponse" value="${samlResponse}">
        <button type="submit">Send</button></form>`;
      await tab.goto(attackerUrl);
      await tab.getByRole('button', { name: 'Send' }).click();
    };
    // bypassCSP only lets axe-core's script be injected; Latchkey's pages have no script.
    const context = await browser.newContext({ bypassCSP: true });
    const tab = await context.newPage();
    // Signed in to no one, an IdP-initiated sign-in goes straight through (the connection
    // allows it): ivy's account page.
    await postFromAttacker(tab, 'ivy@initech.test');
    await tab.waitForURL((url) => url.pathname === '/account');
    const ivy = (await context.cookies()).find((c) => c.name === 'latchkey')?.value;
    assert.ok(ivy);
    // Another account's response, into ivy's browser: asked first.
    await postFromAttacker(tab, 'jack@initech.test');
    await tab.getByRole('button', { name: 'Continue as jack@initech.test' }).waitFor();
    assert.equal(new URL(tab.url()).pathname, '/login/saml/continue');
    assert.match(await tab.content(), /You are signed in as ivy@initech\.test/);
    await assertNoSeriousAxeViolation(tab, 'the switch-account confirmation');
    assert.equal(
      (await context.cookies()).find((c) => c.name === 'latchkey')?.value,
      ivy,
      'still ivy until the person confirms',
    );
    await tab.getByRole('button', { name: 'Continue as jack@initech.test' }).click();
    await tab.waitForURL((url) => url.pathname === '/account');
    const jack = (await context.cookies()).find((c) => c.name === 'latchkey')?.value;
    assert.ok(jack && jack !== ivy);
    await tab.screenshot({ path: artifact('login-csrf-idp-initiated.png') });
    await context.close();
  });

  it('when a link on another site names a connection, then Latchkey shows a page to confirm instead of going to the IdP (English or Arabic, no serious axe violation); a form posted from that site is refused', async () => {
    const loginUrl = `${f.t.issuer}/login?connection=${f.globex.connectionId}&login_hint=mallory%40globex.test`;
    page = `<!doctype html><a href="${loginUrl}">Open</a>
      <form method="post" action="${f.t.issuer}/login/start">
        <input type="hidden" name="connection" value="${f.globex.connectionId}">
        <button type="submit">Post</button></form>`;
    const context = await browser.newContext({ bypassCSP: true });
    const tab = await context.newPage();
    await tab.goto(attackerUrl);
    await tab.getByRole('link', { name: 'Open' }).click();
    await tab.getByRole('button', { name: 'Continue to your company sign-in' }).waitFor();
    assert.match(await tab.content(), /mallory@globex\.test/);
    assert.equal(new URL(tab.url()).origin, f.t.issuer, 'still at Latchkey, not the IdP');
    await assertNoSeriousAxeViolation(tab, 'the confirmation of a cross-site link');

    // The same confirmation to an Arabic browser: its language, right to left, no violation.
    const arabic = await browser.newContext({ bypassCSP: true, locale: 'ar' });
    const arabicTab = await arabic.newPage();
    await arabicTab.goto(attackerUrl);
    await arabicTab.getByRole('link', { name: 'Open' }).click();
    await arabicTab.locator('form button[type="submit"]').waitFor();
    assert.deepEqual(await langAndDir(arabicTab), ['ar', 'rtl']);
    assert.equal(new URL(arabicTab.url()).origin, f.t.issuer, 'still at Latchkey, not the IdP');
    await assertNoSeriousAxeViolation(arabicTab, 'the confirmation of a cross-site link (ar)');
    await arabicTab.screenshot({ path: artifact('login-csrf-confirm-ar.png'), fullPage: true });
    await arabic.close();

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
