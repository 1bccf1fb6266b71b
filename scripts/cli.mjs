#!/usr/bin/env node
// `npm run cli -- …`: the operator CLI from the sources (through tsx) where tsx is
// installed, a checkout; from the compiled dist/src/cli.js where it is not, the image
// (npm ci --omit=dev leaves tsx out). The same commands either way.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const hasTsx = (() => {
  try {
    createRequire(import.meta.url).resolve('tsx');
    return true;
  } catch {
    return false;
  }
})();
const args = hasTsx ? ['--import', 'tsx', 'src/cli.ts'] : ['dist/src/cli.js'];
if (!hasTsx && !existsSync('dist/src/cli.js')) {
  process.stderr.write('latchkey: neither tsx (npm ci) nor dist/ (npm run build) is here\n');
  process.exit(1);
}
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
