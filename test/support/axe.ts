import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser build, injected into each page checked (it is not served by Latchkey). */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core over the whole page: no serious or critical violation. The page's context needs
 * `bypassCSP: true`, only so that axe-core's script can be injected.
 */
export async function assertNoSeriousAxeViolation(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(`axe.run().then((result) =>
    result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  assert.deepEqual(found, [], `${what}: axe-core`);
}

/** The page's `<html lang dir>`, as `[lang, dir]`. */
export const langAndDir = (page: Page): Promise<[string, string]> =>
  page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
