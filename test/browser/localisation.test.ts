import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoSeriousAxeViolation, langAndDir } from '../support/axe.js';
import { artifact } from '../support/browser.js';
import { signInAtDevIdp } from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

/**
 * Issue 20: the end-user pages in the browser's language (German, Arabic right-to-left),
 * the language switcher's choice kept across pages, and axe-core on every page in English
 * and Arabic. One Latchkey with its development IdPs and one Chromium for the whole file.
 */
describe('the end-user pages in German and Arabic browsers', () => {
  let t: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;

  before(async () => {
    world = await startDemoInBrowser({
      LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
      LATCHKEY_DEMO_SAML_IDP_PORT: '0',
    });
    ({ t, browser } = world);
    // A second active connection for acme: discovery shows the chooser.
    const { rows } = await t.app.db.query<{ id: string }>(
      `SELECT id FROM orgs WHERE slug = 'acme'`,
    );
    await t.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'Acme Backup IdP', 'active', '{}', now(), now())`,
      [randomUUID(), rows[0]!.id],
    );
  });
  after(async () => {
    await world?.close();
  });

  // bypassCSP only lets axe-core's script be injected; Latchkey's pages have no script.
  const browserIn = (locale: string): Promise<BrowserContext> =>
    browser.newContext({ locale, bypassCSP: true });

  /** A sign-in failure's error page: an OIDC callback no sign-in of this browser started. */
  const openErrorPage = (page: Page) =>
    page.goto(`${t.issuer}/login/oidc/callback?code=never-issued&state=never-started`);

  /** From the login form through the chooser and the development IdP to the account page. */
  async function signInThroughChooser(page: Page, labels: { email: string; next: string }) {
    await page.getByLabel(labels.email).fill('alice@acme.test');
    await page.getByRole('button', { name: labels.next }).click();
    await page.getByRole('button', { name: 'Acme Backup IdP' }).waitFor();
  }

  it('when a German browser opens the login page and an error page, then both are in German with lang="de" dir="ltr"', async () => {
    const context = await browserIn('de-DE');
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    assert.deepEqual(await langAndDir(page), ['de', 'ltr']);
    await page.getByRole('heading', { name: 'Bei Ihrem Arbeitsbereich anmelden' }).waitFor();
    assert.match(await page.title(), /^Anmelden · Latchkey$/);
    // The error tied to its field, in German.
    await page.getByLabel('Geschäftliche E-Mail-Adresse').fill('someone@unknown-company.test');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page
      .getByRole('alert')
      .getByText(/Wir kennen die Organisation/)
      .waitFor();
    const field = page.getByLabel('Geschäftliche E-Mail-Adresse');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await page.screenshot({ path: artifact('l10n-de-login.png'), fullPage: true });

    const response = await openErrorPage(page);
    assert.equal(response?.status(), 400);
    assert.deepEqual(await langAndDir(page), ['de', 'ltr']);
    await page.getByRole('heading', { name: 'Wir konnten Sie nicht anmelden' }).waitFor();
    await page.getByRole('heading', { name: 'Details für Ihr IT-Team' }).waitFor();
    await page.getByRole('link', { name: 'Zurück zur Anmeldung' }).waitFor();
    await page.screenshot({ path: artifact('l10n-de-error.png'), fullPage: true });
    await context.close();
  });

  it('when an Arabic browser signs in and out, then every page is Arabic and right-to-left, laid out mirrored, with no serious axe violation', async () => {
    const context = await browserIn('ar-EG');
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    assert.deepEqual(await langAndDir(page), ['ar', 'rtl']);
    await page.getByRole('heading', { name: 'سجّل الدخول إلى مساحة عملك' }).waitFor();
    // Mirrored: the field's label ends at the card's right edge and starts far from its left.
    const gaps = await page.evaluate<{ right: number; left: number }>(`(() => {
      const card = document.querySelector('main').getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('label[for=email]'));
      const label = range.getBoundingClientRect();
      return { right: card.right - label.right, left: label.left - card.left };
    })()`);
    assert.ok(
      gaps.right < 40 && gaps.left > 150,
      `label laid out right-to-left: ${JSON.stringify(gaps)}`,
    );
    await page.screenshot({ path: artifact('l10n-ar-login.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar login');

    await openErrorPage(page);
    assert.deepEqual(await langAndDir(page), ['ar', 'rtl']);
    await page.getByRole('heading', { name: 'تعذّر تسجيل دخولك' }).waitFor();
    await page.screenshot({ path: artifact('l10n-ar-error.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar error');

    await page.goto(`${t.issuer}/login`);
    await signInThroughChooser(page, { email: 'البريد الإلكتروني للعمل', next: 'متابعة' });
    await page.getByRole('heading', { name: 'اختر طريقة تسجيل الدخول' }).waitFor();
    await page.screenshot({ path: artifact('l10n-ar-chooser.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar chooser');
    await page.getByRole('button', { name: 'Acme IdP', exact: true }).click();
    await signInAtDevIdp(page, 'alice@acme.test');
    // The name is isolated from the Arabic around it (FSI … PDI).
    await page
      .getByRole('heading', { name: /^مسجّل الدخول باسم \u2068?Alice Martin\u2069?$/ })
      .waitFor();
    assert.deepEqual(await langAndDir(page), ['ar', 'rtl']);
    await page.getByText('هذا الجهاز', { exact: true }).waitFor();
    await page.screenshot({ path: artifact('l10n-ar-account.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar account');

    await page.getByRole('button', { name: 'تسجيل الخروج من هذا الجهاز' }).click();
    await page.getByRole('heading', { name: 'لقد سجّلت الخروج' }).waitFor();
    assert.deepEqual(await langAndDir(page), ['ar', 'rtl']);
    await page.screenshot({ path: artifact('l10n-ar-signed-out.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar signed out');
    await context.close();
  });

  it('when an English browser picks Deutsch on the switcher, then the choice sticks across pages (account, 404, sign-out) in a Lax cookie; the English pages have no serious axe violation', async () => {
    const context = await browserIn('en-US');
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    assert.deepEqual(await langAndDir(page), ['en', 'ltr']);
    await assertNoSeriousAxeViolation(page, 'en login');
    await openErrorPage(page);
    await page.getByRole('heading', { name: "We couldn't sign you in" }).waitFor();
    await assertNoSeriousAxeViolation(page, 'en error');
    await page.goto(`${t.issuer}/login`);
    await signInThroughChooser(page, { email: 'Work email', next: 'Continue' });
    await assertNoSeriousAxeViolation(page, 'en chooser');
    await page.getByRole('button', { name: 'Acme IdP', exact: true }).click();
    await signInAtDevIdp(page, 'alice@acme.test');
    await page.getByRole('heading', { name: 'Signed in as Alice Martin' }).waitFor();
    await assertNoSeriousAxeViolation(page, 'en account');
    await page.goto(`${t.issuer}/oauth/logout`);
    await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
    await assertNoSeriousAxeViolation(page, 'en logout confirmation');

    await page.goto(`${t.issuer}/account`);
    await page
      .getByRole('navigation', { name: 'Language' })
      .getByRole('link', { name: 'Deutsch' })
      .click();
    await page.getByRole('heading', { name: 'Angemeldet als Alice Martin' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/account', 'back on the page it was chosen on');
    assert.deepEqual(await langAndDir(page), ['de', 'ltr']);
    const choice = (await context.cookies(t.issuer)).find((c) => c.name === 'latchkey-locale');
    assert.equal(choice?.value, 'de');
    assert.equal(choice.sameSite, 'Lax');
    await page.screenshot({ path: artifact('l10n-switched-de-account.png'), fullPage: true });

    const missing = await page.goto(`${t.issuer}/no-such-page`);
    assert.equal(missing?.status(), 404);
    await page.getByRole('heading', { name: 'Nicht gefunden' }).waitFor();
    await page.goto(`${t.issuer}/account`);
    await page.getByRole('button', { name: 'Auf diesem Gerät abmelden' }).click();
    await page.getByRole('heading', { name: 'Sie sind abgemeldet' }).waitFor();
    await page.getByRole('link', { name: 'Erneut anmelden' }).click();
    await page.getByRole('heading', { name: 'Bei Ihrem Arbeitsbereich anmelden' }).waitFor();
    await page.screenshot({ path: artifact('l10n-switched-de-login.png'), fullPage: true });
    await context.close();
  });
});
