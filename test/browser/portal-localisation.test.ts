import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertNoSeriousAxeViolation, langAndDir } from '../support/axe.js';
import { artifact, launchBrowser } from '../support/browser.js';
import { fakeTxtDns } from '../support/fake-dns.js';
import { startLiveApp, type LiveApp } from '../support/live.js';

/** A value as a right-to-left page says it: isolated (FSI … PDI) from the words around it. */
const isolated = (value: string) => `\u2068?${value.replace(/[()]/g, '\\$&')}\u2069?`;

/** What each browser's portal says: the words the test finds the pages by. */
const WORDS = {
  en: {
    locale: 'en-US',
    dir: 'ltr',
    start: 'Start setup',
    home: /^Set up Fabrikam$/,
    domainStep: 'Verify your domain',
    domainLabel: 'Domain',
    addDomain: 'Add domain',
    copyValue: 'Copy the record value',
    copy: 'Copy',
    sso: 'Single sign-on',
    samlChoice: 'Generic SAML 2.0',
    okta: /^Connect Okta \(SAML 2\.0\)$/,
    oktaStep: 'In the Okta Admin Console, open Applications → Applications',
    oidc: /^Connect your OpenID Connect provider$/,
    connectionName: 'Connection name',
  },
  de: {
    locale: 'de-DE',
    dir: 'ltr',
    start: 'Einrichtung starten',
    home: /^Fabrikam einrichten$/,
    domainStep: 'Ihre Domain bestätigen',
    domainLabel: 'Domainname',
    addDomain: 'Domain hinzufügen',
    copyValue: 'Wert des Eintrags kopieren',
    copy: 'Kopieren',
    sso: 'Single Sign-On',
    samlChoice: 'Generischer SAML-2.0-Anbieter',
    okta: /^Okta verbinden \(SAML 2\.0\)$/,
    oktaStep: 'Öffnen Sie in der Okta Admin Console Applications → Applications',
    oidc: /^OpenID-Connect-Anbieter verbinden$/,
    connectionName: 'Name der Verbindung',
  },
  ar: {
    locale: 'ar-EG',
    dir: 'rtl',
    start: 'بدء الإعداد',
    home: new RegExp(`^إعداد ${isolated('Fabrikam')}$`),
    domainStep: 'التحقق من نطاقك',
    domainLabel: 'النطاق',
    addDomain: 'إضافة النطاق',
    copyValue: 'نسخ قيمة السجل',
    copy: 'نسخ',
    sso: 'تسجيل الدخول الموحّد',
    samlChoice: 'SAML 2.0 عام',
    okta: new RegExp(`^ربط ${isolated('Okta')} \\(${isolated('SAML 2.0')}\\)$`),
    oktaStep: 'في Okta Admin Console، افتح Applications → Applications',
    oidc: new RegExp(`^ربط ${isolated('مزوّد OpenID Connect الخاص بك')}$`),
    connectionName: 'اسم الاتصال',
  },
} as const;

type Language = keyof typeof WORDS;

/**
 * Issue 20: the setup portal's home, Domain step, SSO chooser and a SAML and an OIDC
 * connection form with its IdP guide, shown to English, German and Arabic Chromium
 * browsers: in their language, with the right lang and dir, and axe-core on each page in
 * English and Arabic. One Latchkey and one Chromium for the file.
 */
describe('the setup portal in English, German and Arabic browsers', () => {
  const { resolveTxt } = fakeTxtDns();
  let t: LiveApp;
  let browser: Browser;
  let platformKey: string;
  let orgId: string;

  before(async () => {
    t = await startLiveApp({ resolveTxt });
    browser = await launchBrowser();
    platformKey = (
      await t.app.apiKeys.create({ orgId: null, body: { name: 'portal l10n test' } }, 'cli', null)
    ).secret;
    orgId = String((await api('/orgs', { slug: 'fabrikam', name: 'Fabrikam' })).id);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function api(path: string, body: object) {
    const res = await fetch(`${t.issuer}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as Record<string, unknown>;
  }

  /** A page in the browser's language: lang and dir, a screenshot, and axe where asked. */
  async function check(page: Page, language: Language, name: string, axe: boolean) {
    assert.deepEqual(await langAndDir(page), [language, WORDS[language].dir], name);
    await page.screenshot({
      path: artifact(`portal-l10n-${language}-${name}.png`),
      fullPage: true,
    });
    if (axe) await assertNoSeriousAxeViolation(page, `${language} ${name}`);
  }

  /** Through the portal's pages in one browser, from a link of its own. */
  async function walk(language: Language, axe: boolean) {
    const words = WORDS[language];
    const link = await api(`/orgs/${orgId}/portal-links`, {
      intents: ['domain_verification', 'sso'],
    });
    // bypassCSP only lets axe-core's script be injected.
    const context = await browser.newContext({ locale: words.locale, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(String(link.url));
    await page.getByRole('button', { name: words.start }).click();
    await page.waitForURL(`${t.issuer}/portal`);
    await page.getByRole('heading', { level: 1, name: words.home }).waitFor();
    await check(page, language, 'home', axe);

    await page.getByRole('link', { name: words.domainStep }).click();
    await page.getByLabel(words.domainLabel, { exact: true }).fill(`${language}.fabrikam.example`);
    await page.getByRole('button', { name: words.addDomain }).click();
    await page.waitForURL(`${t.issuer}/portal/domains`);
    await page.getByRole('heading', { level: 1, name: words.domainStep }).waitFor();
    // The copy script's button, in the page's words (the script is a static file).
    const copyValue = page.getByRole('button', { name: words.copyValue }).first();
    await copyValue.waitFor();
    assert.equal((await copyValue.textContent())?.trim(), words.copy);
    await check(page, language, 'domain', axe);

    await page.goto(`${t.issuer}/portal`);
    await page.getByRole('link', { name: words.sso }).click();
    await page.waitForURL(`${t.issuer}/portal/sso`);
    await page.getByRole('heading', { level: 1, name: words.sso }).waitFor();
    await page.getByRole('link', { name: words.samlChoice }).waitFor();
    await check(page, language, 'sso', axe);

    await page.goto(`${t.issuer}/portal/sso/new/okta`);
    await page.getByRole('heading', { level: 1, name: words.okta }).waitFor();
    await page.getByText(words.oktaStep).waitFor();
    await page.getByLabel(words.connectionName).waitFor();
    await check(page, language, 'saml-okta', axe);

    await page.goto(`${t.issuer}/portal/sso/new/oidc`);
    await page.getByRole('heading', { level: 1, name: words.oidc }).waitFor();
    await page.getByLabel(words.connectionName).waitFor();
    await check(page, language, 'oidc', axe);
    return { context, page };
  }

  it('when a German browser walks the portal, then home, Domain step, SSO chooser and the SAML and OIDC forms are German, lang="de" dir="ltr"', async () => {
    const { context } = await walk('de', false);
    await context.close();
  });

  it('when an Arabic browser walks the portal, then every page is Arabic and right-to-left, the IdP guide around its English UI names, with no serious axe violation', async () => {
    const { context, page } = await walk('ar', true);
    // The guide's first step: an Arabic sentence, the console's own names kept.
    assert.match((await page.locator('main ol li').first().textContent())!, /^لدى مزوّدك، سجّل/);
    // Back points right, the way the page reads; the issuer, a URL, is typed left to right.
    await page.getByRole('link', { name: '→ تسجيل الدخول الموحّد' }).waitFor();
    assert.equal(await page.getByLabel('الجهة المُصدِرة (Issuer)').getAttribute('dir'), 'ltr');
    await context.close();
  });

  it('when an English browser walks the portal, then no serious axe violation; picking Deutsch on the switcher keeps the portal page, now German', async () => {
    const { context, page } = await walk('en', true);
    await page.goto(`${t.issuer}/portal`);
    await page
      .getByRole('navigation', { name: 'Language' })
      .getByRole('link', { name: 'Deutsch' })
      .click();
    await page.getByRole('heading', { level: 1, name: WORDS.de.home }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/portal', 'back on the portal home');
    assert.deepEqual(await langAndDir(page), ['de', 'ltr']);
    await page.screenshot({ path: artifact('portal-l10n-switched-de-home.png'), fullPage: true });
    await context.close();
  });
});
