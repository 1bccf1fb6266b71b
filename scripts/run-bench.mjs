#!/usr/bin/env node
// Runs benchmarks (bench/*.bench.ts, or the files named) one after another, each
// printing its figures. They need Postgres and Redis, like the tests; build first
// (`npm run build`) so the server under load runs compiled code.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const named = process.argv.slice(2);
const files = named.length
  ? named
  : readdirSync('bench')
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => `bench/${f}`);
let failed = 0;
for (const file of files.sort()) {
  console.log(`\n### ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
