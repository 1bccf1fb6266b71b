/**
 * `npm run slo:rules`: writes config/prometheus/latchkey-slo.rules.yaml from
 * config/slo.yaml. `npm run slo:rules -- --check` writes nothing and exits 1 when the
 * committed file is stale (test/metrics/slo-rules.test.ts checks the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSloFile, renderSloRules, SLO_RULES_FILE } from '../src/metrics/index.js';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const target = root(`config/prometheus/${SLO_RULES_FILE}`);
const text = renderSloRules(loadSloFile(root('config/slo.yaml')));

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${target} is stale: run npm run slo:rules`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
