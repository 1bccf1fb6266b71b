import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemoOidcIdp, type DemoOidcIdp } from '../../src/demo/oidc-idp.js';
import { startDemoSamlIdp, type DemoSamlIdp, type DemoSamlSp } from '../../src/demo/saml-idp.js';
import { signInAtDevIdp } from '../support/browser-app.js';
import { artifact, launchBrowser } from '../support/browser.js';
import { fakeTxtDns } from '../support/fake-dns.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { freePort } from '../support/tcp-proxy.js';

const CLIENT_SECRET = 'portal-sso-browser-secret';
/** Contoso's employee at its OIDC IdP, whose address is not verified there at first. */
const FOX = {
  sub: 'fox',
  email: 'fox@contoso.test',
  email_verified: false,
  name: 'Fox Mulder',
  groups: ['staff'],
};

describe('setup portal in a real browser: link → Domain → SSO step → draft SAML and OIDC connections → test sign-in → activate → an employee signs in', () => {
  const { records: txt, resolveTxt } = fakeTxtDns();
  let t: LiveApp;
  let browser: Browser;
  let platformKey: string;
  let samlIdp: DemoSamlIdp;
  let oidcIdp: DemoOidcIdp | null = null;
  let samlSp: DemoSamlSp | null = null;
  /** What the first walk made, for the test sign-ins that follow. */
  let walk: {
    context: BrowserContext;
    page: Page;
    orgId: string;
    samlId: string;
    oidcId: string;
  } | null = null;

  before(async () => {
    t = await startLiveApp({ resolveTxt });
    browser = await launchBrowser();
    samlIdp = await startDemoSamlIdp({
      host: '127.0.0.1',
      port: 0,
      accounts: [{ email: 'dana@contoso.test', name: 'Dana Scully', groups: ['staff'] }],
    });
    platformKey = (
      await t.app.apiKeys.create({ orgId: null, body: { name: 'portal sso test' } }, 'cli', null)
    ).secret;
  });
  after(async () => {
    await browser?.close();
    await oidcIdp?.close();
    await samlIdp?.close();
    await t?.close();
  });

  const api = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await fetch(`${t.issuer}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.ok(res.ok, await res.clone().text());
    return (await res.json()) as Record<string, unknown>;
  };
  const copied = async (page: Page, label: string) =>
    (await page.locator(`code[data-copy="${label}"]`).textContent())!.trim();

  it('when the IT admin picks generic SAML and gives the dev IdP metadata URL, then generic OIDC with the dev OIDC IdP, then each is a draft with the id its values showed', async () => {
    const org = await api('POST', '/orgs', { slug: 'contoso', name: 'Contoso' });
    const orgId = String(org.id);
    const link = await api('POST', `/orgs/${orgId}/portal-links`, {
      intents: ['domain_verification', 'sso'],
    });
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(String(link.url));
    await page.getByRole('button', { name: 'Start setup' }).click();
    await page.waitForURL(`${t.issuer}/portal`);
    // The org's domain first: its employees' emails are then routed to its IdP.
    await page.getByRole('link', { name: 'Verify your domain' }).click();
    await page.getByLabel('Domain').fill('contoso.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.waitForURL(`${t.issuer}/portal/domains`);
    const recordValue = (await page.locator('dt:has-text("Value") + dd code').textContent())!;
    txt.set('_latchkey-challenge.contoso.test', [[recordValue.trim()]]);
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.waitForURL(/\/portal\/domains\?verified=/);
    assert.ok(await page.getByText('contoso.test is verified.').isVisible());
    await page.goto(`${t.issuer}/portal`);
    await page.getByRole('link', { name: 'Single sign-on' }).click();
    await page.waitForURL(`${t.issuer}/portal/sso`);
    assert.ok(await page.getByText('None yet.').isVisible());
    await page.screenshot({ path: artifact('portal-sso-1-pick.png'), fullPage: true });

    // SAML: the values to enter at the IdP carry the connection's id before it exists.
    await page.getByRole('link', { name: 'Generic SAML 2.0' }).click();
    const acsUrl = await copied(page, 'ACS URL');
    const entityId = await copied(page, 'SP entity id');
    const samlId = /\/saml\/([0-9a-f-]{36})\/acs$/.exec(acsUrl)![1]!;
    assert.equal(entityId, `${t.issuer}/saml/${samlId}`);
    assert.ok(await page.getByRole('button', { name: 'Copy the ACS URL' }).isVisible());
    await page.screenshot({ path: artifact('portal-sso-2-saml-values.png'), fullPage: true });
    // An admin would enter these at the IdP now; the dev IdP learns them the same way. This
    // admin forgets the email: a persistent NameID and no email attribute statement.
    samlSp = { entityId, acsUrl, signingCertificatePem: null };
    samlIdp.trust({ ...samlSp, release: { nameIdFormat: 'persistent', attributes: ['name'] } });
    await page.getByLabel('Connection name').fill('Contoso SAML');
    await page.getByLabel('IdP metadata URL').fill(samlIdp.entityId);
    await page.getByRole('button', { name: 'Create draft connection' }).click();
    await page.waitForURL(`${t.issuer}/portal/sso/${samlId}?created=1`);
    assert.ok(await page.getByRole('heading', { name: 'Contoso SAML Draft' }).isVisible());
    assert.equal(await copied(page, 'ACS URL'), acsUrl);
    assert.ok(await page.getByRole('button', { name: 'Test sign-in' }).isVisible());
    assert.ok(await page.getByRole('button', { name: 'Activate' }).isDisabled());
    await page.screenshot({ path: artifact('portal-sso-3-saml-draft.png'), fullPage: true });
    const saml = await api('GET', `/orgs/${orgId}/connections/${samlId}`);
    assert.equal(saml.status, 'draft');
    assert.equal(saml.idp_entity_id, samlIdp.entityId);

    // OIDC: the redirect URI shown is the one the admin registers at the IdP.
    await page.getByRole('link', { name: 'Single sign-on' }).click();
    assert.ok(await page.getByRole('link', { name: 'Contoso SAML' }).isVisible());
    await page.getByRole('link', { name: 'Generic OpenID Connect' }).click();
    const redirectUri = await copied(page, 'redirect URI');
    const oidcId = /\/login\/oidc\/callback\/([0-9a-f-]{36})$/.exec(redirectUri)![1]!;
    oidcIdp = await startDemoOidcIdp({
      host: '127.0.0.1',
      port: await freePort(),
      clients: [
        {
          client_id: 'contoso-latchkey',
          client_secret: CLIENT_SECRET,
          redirect_uris: [redirectUri],
        },
      ],
      accounts: [FOX],
    });
    await page.getByLabel('Connection name').fill('Contoso OIDC');
    await page.getByLabel('Issuer').fill(oidcIdp.issuer);
    await page.getByLabel('Client ID').fill('contoso-latchkey');
    await page.getByLabel('Client secret').fill(CLIENT_SECRET);
    await page.screenshot({ path: artifact('portal-sso-4-oidc-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Check and create draft connection' }).click();
    await page.waitForURL(`${t.issuer}/portal/sso/${oidcId}?created=1`);
    assert.ok(await page.getByRole('heading', { name: 'Contoso OIDC Draft' }).isVisible());
    assert.equal(await copied(page, 'redirect URI'), redirectUri);
    await page.screenshot({ path: artifact('portal-sso-5-oidc-draft.png'), fullPage: true });
    const oidc = await api('GET', `/orgs/${orgId}/connections/${oidcId}`);
    assert.equal(oidc.status, 'draft');
    assert.equal(oidc.issuer, oidcIdp.issuer);
    assert.equal(oidc.redirect_uri, redirectUri);
    walk = { context, page, orgId, samlId, oidcId };
  });

  /** Test sign-in in the tab it opens: through the IdP, to the report (via its continue page). */
  const testSignIn = async (page: Page, signIn: (idpPage: Page) => Promise<void>) => {
    const [popup] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Test sign-in' }).click(),
    ]);
    await signIn(popup);
    await popup.waitForURL(/\/portal\/tests\//);
    await popup.waitForLoadState();
    // Where the browser withholds the Strict portal cookie on the way back from the IdP's
    // site, a page on this origin continues with one click; where it sends it, the report.
    const onward = popup.getByRole('link', { name: 'See the result' });
    if (await onward.isVisible()) await onward.click();
    await popup.getByRole('heading', { name: /^Test sign-in (passed|failed)$/ }).waitFor();
    return popup;
  };
  const samlSignIn = async (idpPage: Page) => {
    await signInAtDevIdp(idpPage, 'dana@contoso.test');
    await idpPage.getByRole('button', { name: 'Continue' }).click();
  };

  it('when the IT admin tests the SAML draft, then a missing email fails with the fix; fixed at the IdP it passes, activates, and an employee signs in from /login', async () => {
    const { context, page, orgId, samlId } = walk!;
    await page.goto(`${t.issuer}/portal/sso/${samlId}`);
    const failed = await testSignIn(page, samlSignIn);
    assert.ok(await failed.getByText('email_missing').first().isVisible());
    assert.match(
      (await failed.locator('main').textContent()) ?? '',
      /Add an attribute statement named "email"/,
    );
    await failed.screenshot({
      path: artifact('portal-sso-6-saml-test-failed.png'),
      fullPage: true,
    });
    await failed.close();
    await page.reload();
    assert.ok(await page.getByRole('button', { name: 'Activate' }).isDisabled());
    assert.equal((await api('GET', `/orgs/${orgId}/connections/${samlId}`)).status, 'draft');

    // Fixed at the IdP: the emailAddress NameID and the email attribute statement.
    samlIdp.trust(samlSp!);
    const passed = await testSignIn(page, samlSignIn);
    assert.ok(await passed.getByText('dana@contoso.test').first().isVisible());
    await passed.screenshot({
      path: artifact('portal-sso-7-saml-test-passed.png'),
      fullPage: true,
    });
    await passed.getByRole('button', { name: 'Activate Contoso SAML' }).click();
    await passed.waitForURL(`${t.issuer}/portal/sso/${samlId}`);
    await passed.screenshot({ path: artifact('portal-sso-8-saml-active.png'), fullPage: true });
    assert.equal((await api('GET', `/orgs/${orgId}/connections/${samlId}`)).status, 'active');

    // An employee of the org signs in from the login page, as any day after.
    const employee = await browser.newContext();
    const login = await employee.newPage();
    await login.goto(`${t.issuer}/login`);
    await login.getByLabel('Work email').fill('dana@contoso.test');
    await login.getByRole('button', { name: 'Continue' }).click();
    await samlSignIn(login);
    await login.getByRole('heading', { name: 'Signed in as Dana Scully' }).waitFor();
    assert.equal(login.url(), `${t.issuer}/account`);
    await employee.close();
    void context;
  });

  it('when the IT admin tests the OIDC draft, then an unverified email fails with the reason; verified at the IdP it passes and activates, and an employee signs in through it', async () => {
    const { context, page, orgId, oidcId } = walk!;
    await page.goto(`${t.issuer}/portal/sso/${oidcId}`);
    const oidcSignIn = (idpPage: Page) => signInAtDevIdp(idpPage, FOX.email);
    const failed = await testSignIn(page, oidcSignIn);
    assert.ok(await failed.getByText('email_not_verified').first().isVisible());
    await failed.screenshot({
      path: artifact('portal-sso-9-oidc-test-failed.png'),
      fullPage: true,
    });
    await failed.close();
    FOX.email_verified = true; // The IT admin verifies the address at the IdP.
    await page.reload();
    const passed = await testSignIn(page, async (idpPage) => {
      // The IdP may remember the admin's sign-in (then it answers at once) or ask again.
      const asked = idpPage.getByLabel('Password');
      await Promise.race([asked.waitFor(), idpPage.waitForURL(/\/portal\/tests\//)]);
      if (await asked.isVisible()) await signInAtDevIdp(idpPage, FOX.email);
    });
    await passed.getByRole('button', { name: 'Activate Contoso OIDC' }).click();
    await passed.waitForURL(`${t.issuer}/portal/sso/${oidcId}`);
    await passed.screenshot({ path: artifact('portal-sso-10-oidc-active.png'), fullPage: true });
    assert.equal((await api('GET', `/orgs/${orgId}/connections/${oidcId}`)).status, 'active');

    const employee = await browser.newContext();
    const login = await employee.newPage();
    await login.goto(`${t.issuer}/login`);
    await login.getByLabel('Work email').fill(FOX.email);
    await login.getByRole('button', { name: 'Continue' }).click();
    await login.getByRole('button', { name: 'Contoso OIDC' }).click();
    await signInAtDevIdp(login, FOX.email);
    await login.getByRole('heading', { name: 'Signed in as Fox Mulder' }).waitFor();
    await employee.close();
    await context.close();
  });
});
