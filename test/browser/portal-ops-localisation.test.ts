import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoSeriousAxeViolation, langAndDir } from '../support/axe.js';
import { artifact } from '../support/browser.js';
import { signInAtDevIdp } from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

/**
 * Issue 20: the setup portal's test sign-in report and its Directory sync, Audit log and
 * Sessions steps in the browser's language (Arabic right-to-left, German), with axe-core on
 * each in English and Arabic; and axe-core on the admin console's pages (English). One
 * Latchkey with its development IdPs (acme over OIDC) and one Chromium for the whole file.
 * Only this file's pages are found by their words; the portal's other pages (its start
 * page, the SSO step) are driven by their forms' actions.
 */
describe('the setup portal test report, Directory sync, Audit log and Sessions in Arabic, German and English; the admin console; axe-core on each', () => {
  let t: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;
  let apiKey: string;
  let acme: { id: string; connectionId: string };

  const api = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await fetch(`${t.issuer}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.ok(res.ok, await res.clone().text());
    return (await res.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] };
  };

  before(async () => {
    world = await startDemoInBrowser({
      LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
      LATCHKEY_DEMO_SAML_IDP_PORT: '0',
    });
    ({ t, browser } = world);
    apiKey = (await t.app.apiKeys.create({ orgId: null, body: { name: 'test' } }, 'cli', null))
      .secret;
    const orgs = (await api('GET', '/orgs?limit=200')).items!;
    const id = String(orgs.find((o) => o.slug === 'acme')!.id);
    const connections = (await api('GET', `/orgs/${id}/connections`)).items!;
    acme = { id, connectionId: String(connections.find((c) => c.name === 'Acme IdP')!.id) };

    // A live session of acme's, for the Sessions step to list: Alice signs in.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.issuer}/login`);
    await page.getByLabel('Work email').fill('alice@acme.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await signInAtDevIdp(page, 'alice@acme.test');
    await page.getByRole('heading', { name: 'Signed in as Alice Martin' }).waitFor();
    await context.close();
  });
  after(async () => {
    await world?.close();
  });

  // bypassCSP only lets axe-core's script be injected.
  const browserIn = (locale: string): Promise<BrowserContext> =>
    browser.newContext({ locale, bypassCSP: true });

  /** A setup link for acme's IT admin with this file's steps, opened in `context`. */
  async function openPortal(context: BrowserContext): Promise<Page> {
    const link = await api('POST', `/orgs/${acme.id}/portal-links`, {
      intents: ['sso', 'directory_sync', 'audit_logs', 'sessions'],
    });
    const page = await context.newPage();
    await page.goto(String(link.url));
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL(`${t.issuer}/portal`);
    return page;
  }

  /** The switcher's link to `lang` returns to this path (a same-origin path). */
  const switcherReturnsTo = async (page: Page, lang: string) =>
    new URL(
      (await page.locator(`nav.languages a[hreflang="${lang}"]`).getAttribute('href'))!,
      t.issuer,
    ).searchParams.get('return_to');

  /**
   * A test sign-in of acme's connection from its SSO step, by Eve, whose address is outside
   * acme's verified domains: the report (in the tab it opens) says it failed and why.
   */
  async function failingTestReport(page: Page): Promise<Page> {
    await page.goto(`${t.issuer}/portal/sso/${acme.connectionId}`);
    const [popup] = await Promise.all([
      page.context().waitForEvent('page'),
      page.locator(`form[action="/portal/sso/${acme.connectionId}/test"] button`).click(),
    ]);
    await signInAtDevIdp(popup, 'eve@outsider.test');
    await popup.waitForURL(/\/portal\/tests\//);
    await popup.waitForLoadState();
    // Where the Strict portal cookie is withheld on the way back from the IdP, one click on.
    const onward = popup.locator('main a.button[href^="/portal/tests/"]');
    if (await onward.isVisible()) await onward.click();
    await popup.locator('code', { hasText: 'email_domain_not_allowed' }).first().waitFor();
    return popup;
  }

  it('when an Arabic browser opens the steps and a failed test report, then each is Arabic and right-to-left with no serious axe violation', async () => {
    const context = await browserIn('ar-EG');
    const page = await openPortal(context);

    const report = await failingTestReport(page);
    assert.deepEqual(await langAndDir(report), ['ar', 'rtl']);
    await report.getByRole('heading', { name: 'فشل تسجيل الدخول التجريبي' }).waitFor();
    await report
      .getByRole('alert')
      .getByText(/نطاق البريد الإلكتروني ليس من النطاقات الموثَّقة لمؤسستك/)
      .waitFor();
    await report.getByText(/✗ فاشل: نطاق البريد الإلكتروني من نطاقاتك الموثَّقة/).waitFor();
    await report.screenshot({ path: artifact('portal-ops-ar-test-report.png'), fullPage: true });
    await assertNoSeriousAxeViolation(report, 'ar test report');
    await report.close();

    await page.goto(`${t.issuer}/portal/directory`);
    assert.deepEqual(await langAndDir(page), ['ar', 'rtl']);
    await page.getByRole('heading', { name: 'مزامنة الدليل', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'إعداد مزامنة الدليل' }).click();
    await page.waitForURL(`${t.issuer}/portal/directory`);
    await page.getByRole('button', { name: 'إصدار رمز' }).click();
    await page.getByRole('heading', { name: 'رمز SCIM الجديد' }).waitFor();
    assert.match((await page.locator('code[data-copy="SCIM token"]').textContent())!, /^scim_/);
    // An answer to a form post: the switcher comes back to the step, not to /login.
    assert.equal(await switcherReturnsTo(page, 'de'), '/portal/directory');
    await page.getByRole('heading', { name: 'Microsoft Entra ID' }).waitFor();
    await page.getByText('افتح Enterprise application → Provisioning → Automatic.').waitFor();
    await page.screenshot({ path: artifact('portal-ops-ar-directory.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar directory sync');

    await page.goto(`${t.issuer}/portal/audit`);
    assert.deepEqual(await langAndDir(page), ['ar', 'rtl']);
    await page.getByRole('heading', { name: 'سجل التدقيق' }).waitFor();
    await page.getByRole('columnheader', { name: 'المنفّذ' }).waitFor();
    await page.screenshot({ path: artifact('portal-ops-ar-audit.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar audit log');
    // A refused filter, said in Arabic beside its field.
    await page.getByLabel('من (يوم بتوقيت UTC)').fill('2026-06-03');
    await page.getByLabel('إلى (يوم بتوقيت UTC، ضمنًا)').fill('2026-06-01');
    await page.getByRole('button', { name: 'تصفية' }).click();
    await page.getByRole('alert').getByText('لا يجوز أن يسبق يوم "إلى" يوم "من".').waitFor();
    assert.equal(
      await page.getByLabel('إلى (يوم بتوقيت UTC، ضمنًا)').getAttribute('aria-invalid'),
      'true',
    );
    await assertNoSeriousAxeViolation(page, 'ar audit log, a refused filter');

    await page.goto(`${t.issuer}/portal/sessions`);
    assert.deepEqual(await langAndDir(page), ['ar', 'rtl']);
    await page.getByRole('heading', { name: 'الجلسات' }).waitFor();
    await page.getByRole('cell', { name: /^alice@acme\.test Alice Martin$/ }).waitFor();
    await page
      .getByRole('button', { name: /^إنهاء الكل/ })
      .first()
      .waitFor();
    await page.screenshot({ path: artifact('portal-ops-ar-sessions.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'ar sessions');
    await context.close();
  });

  it('when a German browser opens the Directory sync step, then it is German with lang="de"', async () => {
    const context = await browserIn('de-DE');
    const page = await openPortal(context);
    await page.goto(`${t.issuer}/portal/directory`);
    assert.deepEqual(await langAndDir(page), ['de', 'ltr']);
    await page.getByRole('heading', { name: 'Verzeichnissynchronisierung', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Synchronisierungsstatus' }).first().waitFor();
    await page
      .getByText('Öffnen Sie Enterprise application → Provisioning → Automatic.')
      .first()
      .waitFor();
    // The product's own field names stay as the product shows them.
    await page.getByText('Tenant URL').first().waitFor();
    await page.screenshot({ path: artifact('portal-ops-de-directory.png'), fullPage: true });
    await context.close();
  });

  it('when an English browser opens the same pages, then they are English with no serious axe violation', async () => {
    const context = await browserIn('en-US');
    const page = await openPortal(context);

    const report = await failingTestReport(page);
    assert.deepEqual(await langAndDir(report), ['en', 'ltr']);
    await report.getByRole('heading', { name: 'Test sign-in failed' }).waitFor();
    await assertNoSeriousAxeViolation(report, 'en test report');
    await report.close();

    for (const [path, heading] of [
      ['/portal/directory', 'Directory sync'],
      ['/portal/audit', 'Audit log'],
      ['/portal/sessions', 'Sessions'],
    ] as const) {
      await page.goto(`${t.issuer}${path}`);
      assert.deepEqual(await langAndDir(page), ['en', 'ltr']);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.screenshot({
        path: artifact(`portal-ops-en-${path.split('/').pop()}.png`),
        fullPage: true,
      });
      await assertNoSeriousAxeViolation(page, `en ${path}`);
    }
    await context.close();
  });

  it('when a platform admin signs in to the admin console, then its pages (English) have no serious axe violation', async () => {
    const context = await browserIn('en-US');
    const page = await context.newPage();
    await page.goto(`${t.issuer}/console`);
    await page.getByLabel('Work email').fill('ops@latchkey.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await signInAtDevIdp(page, 'ops@latchkey.test');
    await page.getByRole('heading', { name: 'Admin console' }).waitFor();
    await page.screenshot({ path: artifact('portal-ops-console-orgs.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'console orgs');

    await page.getByRole('link', { name: 'Acme Retail' }).click();
    await page.getByRole('heading', { name: 'Acme Retail' }).waitFor();
    await page.screenshot({ path: artifact('portal-ops-console-org.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'console org');

    // A setup link just made: shown once, on the org's page.
    await page.getByLabel('sessions').check();
    await page.getByRole('button', { name: 'Create setup link' }).click();
    await page.getByLabel('Setup link').waitFor();
    await assertNoSeriousAxeViolation(page, 'console org, a setup link shown');
    await page.getByRole('link', { name: '← Acme Retail' }).click();
    await page.getByRole('heading', { name: 'Acme Retail' }).waitFor();

    // The console's own test report of acme's connection (English, as the console is). The
    // development IdP still knows ops, who is outside acme's domains: a failed report.
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Test sign-in' }).first().click(),
    ]);
    const asked = popup.getByLabel('Password');
    await Promise.race([asked.waitFor(), popup.waitForURL(/\/tests\//)]);
    if (await asked.isVisible()) await signInAtDevIdp(popup, 'alice@acme.test');
    await popup.waitForURL(/\/console\/orgs\/[^/]+\/tests\//);
    await popup.getByRole('heading', { name: /^Test sign-in (passed|failed)$/ }).waitFor();
    assert.deepEqual(await langAndDir(popup), ['en', 'ltr']);
    await popup.screenshot({ path: artifact('portal-ops-console-test.png'), fullPage: true });
    await assertNoSeriousAxeViolation(popup, 'console test report');
    await popup.close();

    await page.getByRole('link', { name: 'Platform keys and SLOs' }).click();
    await page.getByRole('heading', { name: 'Service level objectives' }).waitFor();
    await page.screenshot({ path: artifact('portal-ops-console-platform.png'), fullPage: true });
    await assertNoSeriousAxeViolation(page, 'console platform');
    await context.close();
  });
});
