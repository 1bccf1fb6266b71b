import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoOidcIdp, type DemoOidcIdp } from '../../src/demo/oidc-idp.js';
import { startDemoSamlIdp, type DemoSamlIdp } from '../../src/demo/saml-idp.js';
import { artifact, launchBrowser } from '../support/browser.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { freePort } from '../support/tcp-proxy.js';

const CLIENT_SECRET = 'portal-sso-browser-secret';

describe('setup portal in a real browser: link → SSO step → draft SAML and OIDC connections', () => {
  let t: LiveApp;
  let browser: Browser;
  let platformKey: string;
  let samlIdp: DemoSamlIdp;
  let oidcIdp: DemoOidcIdp | null = null;

  before(async () => {
    t = await startLiveApp();
    browser = await launchBrowser();
    samlIdp = await startDemoSamlIdp({ host: '127.0.0.1', port: 0, accounts: [] });
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
    const link = await api('POST', `/orgs/${orgId}/portal-links`, { intents: ['sso'] });
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(String(link.url));
    await page.getByRole('button', { name: 'Start setup' }).click();
    await page.waitForURL(`${t.issuer}/portal`);
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
    // An admin would enter these at the IdP now; the dev IdP learns them the same way.
    samlIdp.trust({ entityId, acsUrl, signingCertificatePem: null });
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
      accounts: [],
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
    await context.close();
  });
});
