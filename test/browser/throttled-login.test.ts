import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoSeriousAxeViolation, langAndDir } from '../support/axe.js';
import { artifact, launchBrowser } from '../support/browser.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { rateLimitedTotal } from '../support/throttle.js';

const LOGIN_PER_IP = 3;
// Two minutes: whatever the seconds the four submissions take (under 60), the page says
// "2 minutes" (humanDelay rounds up). With 60 it said "59 seconds" on a loaded machine.
const WINDOW_SECONDS = 120;

/**
 * A person (or a script in a browser) who keeps submitting the login form: what Chromium
 * shows once limits.loginPerIp is spent. Only a real browser shows the page a person sees.
 */
describe('a throttled login form, in a real browser', () => {
  let t: LiveApp;
  let browser: Browser;

  before(async () => {
    t = await startLiveApp({
      env: {
        LATCHKEY_LIMITS_LOGIN_PER_IP_POINTS: String(LOGIN_PER_IP),
        LATCHKEY_LIMITS_LOGIN_PER_IP_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    // Either may be absent when before() failed early (no Chromium): the run must end.
    await browser?.close();
    await t?.close();
  });

  it('when the login form is submitted more than limits.loginPerIp times in its window, then the browser shows a 429 page with a heading and how long to wait, without internals, in English or Arabic with no serious axe violation', async () => {
    // bypassCSP only lets axe-core's script be injected; Latchkey's pages have no script.
    const context = await browser.newContext({ bypassCSP: true });
    const tab = await context.newPage();
    const counted = await rateLimitedTotal(t.app, 'login', 'ip');
    await tab.goto(`${t.issuer}/login`);
    let status = 0;
    for (let attempt = 1; attempt <= LOGIN_PER_IP + 1; attempt += 1) {
      await tab.getByLabel('Work email').fill(`someone${attempt}@unknown-company.test`);
      const [response] = await Promise.all([
        tab.waitForResponse(
          (r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST',
        ),
        tab.getByRole('button', { name: 'Continue' }).click(),
      ]);
      status = response.status();
      await tab.waitForLoadState();
      if (attempt <= LOGIN_PER_IP)
        assert.equal(status, 404, `attempt ${attempt} of ${LOGIN_PER_IP}: the unknown-domain page`);
    }
    assert.equal(status, 429);
    await tab.screenshot({ path: artifact('throttled-login.png'), fullPage: true });

    await tab.getByRole('heading', { name: 'Too many attempts' }).waitFor();
    const lead = await tab.locator('p.lead').innerText();
    assert.equal(lead, 'Too many sign-in attempts. Please wait 2 minutes and try again.');
    const text = await tab.locator('body').innerText();
    assert.doesNotMatch(text, /login-ip|loginPerIp|at \w+ \(|node_modules|\.ts:\d+|stack/i);
    assert.match(await tab.title(), /^Too many attempts/);
    await assertNoSeriousAxeViolation(tab, 'the 429 page');

    // The way back is there; following it shows the form again (the bare page is free).
    await tab.getByRole('link', { name: 'Back to sign-in' }).click();
    await tab.getByLabel('Work email').waitFor();
    assert.equal((await rateLimitedTotal(t.app, 'login', 'ip')) - counted, 1);

    // The address's budget is spent: an Arabic browser from it gets the page in Arabic.
    const arabic = await browser.newContext({ bypassCSP: true, locale: 'ar' });
    const arabicTab = await arabic.newPage();
    await arabicTab.goto(`${t.issuer}/login`);
    await arabicTab.locator('input[name="email"]').fill('someone@unknown-company.test');
    const [refused] = await Promise.all([
      arabicTab.waitForResponse(
        (r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST',
      ),
      arabicTab.locator('form button[type="submit"]').click(),
    ]);
    assert.equal(refused.status(), 429);
    await arabicTab.waitForLoadState();
    assert.deepEqual(await langAndDir(arabicTab), ['ar', 'rtl']);
    await assertNoSeriousAxeViolation(arabicTab, 'the 429 page (ar)');
    await arabicTab.screenshot({ path: artifact('throttled-login-ar.png'), fullPage: true });
    await arabic.close();
    await context.close();
  });
});
