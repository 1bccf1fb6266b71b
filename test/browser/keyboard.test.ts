import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { artifact } from '../support/browser.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

/** What has the keyboard focus: its tag, name or id, and its accessible text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return 'body';
    const name = e.getAttribute('name') ?? e.id;
    return `${e.tagName.toLowerCase()}${name ? `[${name}]` : ''} ${(e.textContent ?? '').trim()}`.trim();
  });

/** Presses Tab until `matches` what is focused (at most `limit` times); returns the presses. */
async function tabTo(page: Page, matches: RegExp, limit = 15): Promise<number> {
  const seen: string[] = [];
  for (let presses = 1; presses <= limit; presses += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (matches.test(now)) return presses;
    seen.push(now);
  }
  assert.fail(`${String(matches)} was not reached by Tab; focus went: ${seen.join(' → ')}`);
}

/** The focused element shows where the focus is: an outline (or a box shadow) drawn. */
const focusIndicator = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement as Element);
    return (
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
      style.boxShadow !== 'none'
    );
  });

/**
 * Issue 20: keyboard-only use. A person who never touches the mouse signs in (login form,
 * the development IdP), sees a refused address announced and tied to its field, and signs
 * out of this device from the account page; every control is reached with Tab in order and
 * shows where the focus is.
 */
describe('the end-user pages with the keyboard alone', () => {
  let t: LiveApp;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;

  before(async () => {
    world = await startDemoInBrowser({
      LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
      LATCHKEY_DEMO_SAML_IDP_PORT: '0',
    });
    ({ t } = world);
  });
  after(async () => {
    await world?.close();
  });

  it('when a refused address is submitted with Enter, then the error is announced and tied to the field, and nothing typed is lost', async () => {
    const context = await world.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    await tabTo(page, /^input\[email\]/);
    assert.ok(await focusIndicator(page), 'the focused email field shows its focus');
    await page.keyboard.type('someone@unknown-company.test');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const field = page.getByLabel('Work email');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const alertId = await alert.getAttribute('id');
    assert.ok(alertId && describedBy.split(' ').includes(alertId), 'the field names its error');
    assert.equal(await field.inputValue(), 'someone@unknown-company.test', 'nothing typed is lost');
    await page.screenshot({ path: artifact('keyboard-login-error.png'), fullPage: true });
    await context.close();
  });

  it('when a person signs in and out with the keyboard alone, then every step is reached by Tab and Enter, and "Sign out of this device" ends the session', async () => {
    const context = await world.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    await tabTo(page, /^input\[email\]/);
    await page.keyboard.type('alice@acme.test');
    await page.keyboard.press('Enter');

    // The development OIDC IdP's sign-in form, by keyboard too.
    await page.getByLabel('Password').waitFor();
    await tabTo(page, /^input\[(email|login)\]/);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('alice@acme.test');
    await tabTo(page, /^input\[password\]/, 3);
    await page.keyboard.type('x');
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/account$/);
    await page.getByRole('button', { name: 'Sign out of this device' }).waitFor();
    await tabTo(page, /^button.*Sign out of this device$/, 25);
    assert.ok(await focusIndicator(page), 'the focused button shows its focus');
    await page.screenshot({ path: artifact('keyboard-account-focus.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: "You're signed out" }).waitFor();
    // Signed out: the account page now asks to sign in.
    await page.goto(`${t.issuer}/account`);
    await page.waitForURL(/\/login/);
    await context.close();
  });
});
