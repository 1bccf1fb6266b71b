import type { Browser } from 'playwright-core';
import { seedDemo, type DemoEnvironment } from '../../src/demo/seed.js';
import { launchBrowser } from './browser.js';
import { startLiveApp, type LiveApp } from './live.js';

/**
 * A live Latchkey with its development IdPs seeded (acme over OIDC, globex over SAML) on
 * ports of their own, and Debian's Chromium to drive it: the cast of the browser SSO tests.
 */
export async function startDemoInBrowser(env: Record<string, string>): Promise<{
  t: LiveApp;
  demo: DemoEnvironment;
  browser: Browser;
  close(): Promise<void>;
}> {
  const t = await startLiveApp({ env: { LATCHKEY_DEMO_ENABLED: 'true', ...env } });
  const demo = await seedDemo(t.app, () => undefined);
  const browser = await launchBrowser();
  return {
    t,
    demo,
    browser,
    async close() {
      await browser.close();
      await demo.close();
      await t.close();
    },
  };
}
