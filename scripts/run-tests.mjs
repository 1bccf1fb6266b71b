#!/usr/bin/env node
// Runs every test/**/*.test.ts and packages/*/test/**/*.test.ts with node's own test runner
// (TypeScript through tsx). Node 20's runner takes no globs, so the files are listed here.
// Extra arguments are passed on (e.g. `npm test -- --test-name-pattern=readyz`); paths
// narrow the run.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(full).isDirectory() ? walk(full) : full.endsWith('.test.ts') ? [full] : [];
  });
// The workspaces' own tests (packages/validator/test, …) run with the repository's.
const packageTests = existsSync('packages')
  ? readdirSync('packages')
      .map((name) => path.join('packages', name, 'test'))
      .filter((dir) => existsSync(dir) && statSync(dir).isDirectory())
  : [];
const files = (paths.length ? paths : ['test', ...packageTests])
  .flatMap((p) => (statSync(p).isDirectory() ? walk(p) : [p]))
  .sort();

// TEST_DURATIONS=<file> also writes each file's seconds there, slowest first
// (scripts/test-durations-reporter.mjs; see docs/testing.md).
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
if (process.env.TEST_DURATIONS)
  reporters.push(
    `--test-reporter=${path.resolve('scripts/test-durations-reporter.mjs')}`,
    `--test-reporter-destination=${process.env.TEST_DURATIONS}`,
  );

// One file at a time per two cores (a file keeps about two busy: its app, its clients,
// PostgreSQL, Redis, a browser): on a 2-core machine two at once measured no faster, each
// file's tests twice as slow (docs/testing.md). TEST_CONCURRENCY=<n> overrides. Files do
// not collide (own database, Redis key prefix, ports, temp directories); a file marked
// `// @run-alone: <why>` runs with no other beside it (test/support/run-alone.mjs).
const concurrency =
  Number(process.env.TEST_CONCURRENCY) ||
  Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2)));
// One at a time, nothing runs beside anything: no lock to take (and no connection per file).
const runAlone =
  concurrency > 1
    ? ['--import', pathToFileURL(path.resolve('test/support/run-alone.mjs')).href]
    : [];
const lock = concurrency > 1 ? { LATCHKEY_TEST_LOCK: String(randomInt(2 ** 31)) } : {};

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    ...runAlone,
    '--test',
    `--test-concurrency=${concurrency}`,
    ...reporters,
    ...flags,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', ...lock } },
);
process.exit(result.status ?? 1);
