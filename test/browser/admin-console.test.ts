import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { artifact } from '../support/browser.js';
import { signInAtDevIdp } from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

/**
 * The platform admin console in Debian's Chromium (issue 18): a platform admin signs in
 * through Latchkey itself (SSO at the development OIDC IdP, as the seeded org "latchkey"),
 * makes a setup link that opens the portal, and disables a connection, which the admin
 * API then reports disabled. Each step is kept as a screenshot.
 */
describe('the admin console in a real browser', () => {
  let t: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;
  let apiKey: string;

  const api = async (path: string) => {
    const res = await fetch(`${t.issuer}/api/v1${path}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(res.status, 200, path);
    return ((await res.json()) as { items: Item[] }).items;
  };
  type Item = Record<string, unknown>;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: artifact(`admin-console-${name}.png`), fullPage: true });

  before(async () => {
    world = await startDemoInBrowser({
      LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
      LATCHKEY_DEMO_SAML_IDP_PORT: '0',
    });
    ({ t, browser } = world);
    apiKey = (await t.app.apiKeys.create({ orgId: null, body: { name: 'test' } }, 'cli', null))
      .secret;
  });
  after(async () => {
    await world.close();
  });

  it('when ops signs in with SSO, then the console makes a working setup link and disables a connection, audited as ops', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.issuer}/console`);
    // Not signed in: Latchkey's own login page, then the platform org's IdP.
    await page.getByLabel('Work email').fill('ops@latchkey.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await signInAtDevIdp(page, 'ops@latchkey.test');
    await page.getByRole('heading', { name: 'Admin console' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/console');
    await shot(page, '1-orgs');

    await page.getByRole('link', { name: 'Acme Retail' }).click();
    await page.getByRole('heading', { name: 'Acme Retail' }).waitFor();
    await shot(page, '2-org');

    // A setup link for the org's IT admin: shown once, and it opens the portal.
    await page.getByLabel('audit_logs').check();
    await page.getByRole('button', { name: 'Create setup link' }).click();
    const url = (await page.getByLabel('Setup link').inputValue()).trim();
    assert.match(url, /\/portal\/start\?token=/);
    await shot(page, '3-setup-link');
    const itAdmin = await browser.newContext();
    const portal = await itAdmin.newPage();
    await portal.goto(url);
    await portal.getByRole('button', { name: 'Start setup' }).click();
    await portal.getByRole('heading', { name: 'Set up Acme Retail' }).waitFor();
    await portal.screenshot({ path: artifact('admin-console-4-portal.png'), fullPage: true });
    await itAdmin.close();

    await page.getByRole('link', { name: '← Acme Retail' }).click();
    await page.getByRole('button', { name: 'Disable Acme IdP' }).click();
    await page.getByText('The connection is disabled').waitFor();
    await shot(page, '5-disabled');
    await page.getByRole('link', { name: 'Platform keys and SLOs' }).click();
    await page.getByRole('heading', { name: 'Service level objectives' }).waitFor();
    await shot(page, '6-platform');
    await context.close();

    // The admin API sees the same: disabled, by ops (a user, not a key).
    const orgs = await api('/orgs?limit=200');
    const acme = orgs.find((o) => o.slug === 'acme')!;
    const idOf = (item: Item) => String(item.id);
    const platform = orgs.find((o) => o.slug === 'latchkey')!;
    const connections = await api(`/orgs/${idOf(acme)}/connections`);
    assert.deepEqual(
      connections.map((c) => [c.name, c.status]),
      [['Acme IdP', 'disabled']],
    );
    const ops = (await api(`/orgs/${idOf(platform)}/users?email_prefix=ops%40`))[0]!;
    const events = await api(
      `/orgs/${idOf(acme)}/audit-events?type=admin.connection.disabled,admin.portal_link.created`,
    );
    assert.deepEqual(
      events.map((e) => [e.type, e.actor]),
      [
        ['admin.portal_link.created', { type: 'user', id: idOf(ops) }],
        ['admin.connection.disabled', { type: 'user', id: idOf(ops) }],
      ],
    );
  });
});
