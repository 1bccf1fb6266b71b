import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifact, launchBrowser } from '../support/browser.js';
import { fakeTxtDns } from '../support/fake-dns.js';
import { startLiveApp, type LiveApp } from '../support/live.js';

describe('setup portal in a real browser: link → Domain step → Check now', () => {
  const { records: txt, resolveTxt } = fakeTxtDns();
  let t: LiveApp;
  let browser: Browser;
  let platformKey: string;

  before(async () => {
    t = await startLiveApp({ resolveTxt });
    browser = await launchBrowser();
    platformKey = (
      await t.app.apiKeys.create({ orgId: null, body: { name: 'portal test' } }, 'cli', null)
    ).secret;
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = async (path: string, body: object) => {
    const res = await fetch(`${t.issuer}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as Record<string, unknown>;
  };

  it('when the IT admin opens the link, adds the domain and checks it before and after publishing the record, then the page says why it failed and then that it is verified', async () => {
    const org = await api('/orgs', { slug: 'northwind', name: 'Northwind Traders' });
    const link = await api(`/orgs/${String(org.id)}/portal-links`, {
      intents: ['domain_verification', 'sso'],
    });
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(String(link.url));
    await page.screenshot({ path: artifact('portal-1-link.png'), fullPage: true });
    await page.getByRole('button', { name: 'Start setup' }).click();
    await page.waitForURL(`${t.issuer}/portal`);
    assert.ok(await page.getByRole('heading', { name: 'Set up Northwind Traders' }).isVisible());
    await page.screenshot({ path: artifact('portal-2-home.png'), fullPage: true });

    const [cookie] = await context.cookies();
    assert.equal(cookie?.name, 'latchkey-portal');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');

    await page.getByRole('link', { name: 'Verify your domain' }).click();
    await page.getByLabel('Domain').fill('northwind.example');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.waitForURL(`${t.issuer}/portal/domains`);
    const recordName = '_latchkey-challenge.northwind.example';
    assert.ok(await page.getByText(recordName).isVisible());
    const value = (await page.locator('dt:has-text("Value") + dd code').textContent())!.trim();
    assert.match(value, /^[\w-]{43}$/);
    // The copy buttons' script ran under the page's CSP (no inline script anywhere).
    assert.ok(await page.getByRole('button', { name: 'Copy the record value' }).isVisible());
    await page.screenshot({ path: artifact('portal-3-record.png'), fullPage: true });

    await page.getByRole('button', { name: 'Check now' }).click();
    const alert = page.getByRole('alert');
    assert.match((await alert.textContent())!, /There is no TXT record at _latchkey-challenge/);
    await page.screenshot({ path: artifact('portal-4-check-failed.png'), fullPage: true });

    txt.set(recordName, [[value]]);
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.waitForURL(/\/portal\/domains\?verified=/);
    assert.ok(await page.getByText('northwind.example is verified.').isVisible());
    await page.screenshot({ path: artifact('portal-5-verified.png'), fullPage: true });

    // The link is spent: opened again, even in this browser, it shows the one refusal page.
    await page.goto(String(link.url));
    assert.ok(
      await page.getByRole('heading', { name: "This setup link can't be used" }).isVisible(),
    );
    await context.close();
  });
});
