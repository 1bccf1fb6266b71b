import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { seedTokenWorld, type TokenWorld } from '../support/token-world.js';

const run = promisify(execFile);
const AUDIENCE = 'https://reports-api.example';

/** What a plain Node service does with the package: ESM, no TypeScript, no loader. */
const CONSUMER = `
import { createTokenValidator, TokenValidationError } from '@latchkey/validator';

const [issuer, audience, clientId, clientSecret, ...tokens] = process.argv.slice(2);
const validator = createTokenValidator({
  issuer,
  audience,
  revocations: { clientId, clientSecret, stalenessBoundMs: 2000 },
});
await validator.start();
const outcomes = [];
for (const token of tokens) {
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      const claims = await validator.verify(token);
      outcomes.push({ outcome: 'valid', client_id: claims.client_id });
      break;
    } catch (error) {
      if (!(error instanceof TokenValidationError)) throw error;
      if (error.code !== 'validator_unavailable' || Date.now() > deadline) {
        outcomes.push({ outcome: error.code });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
await validator.close();
console.log(JSON.stringify(outcomes));
`;

/** The environment of a shell outside this repository: no loader, no npm run context. */
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name !== 'NODE_OPTIONS' && !name.toLowerCase().startsWith('npm_'),
    ),
  );

/**
 * @latchkey/validator as another team gets it: `npm pack` of the workspace, installed
 * into an empty folder, imported by a plain `node` script that validates tokens of a
 * running Latchkey.
 */
describe('@latchkey/validator as a packed npm package', () => {
  let a: LiveApp;
  let w: TokenWorld;
  let workDir: string;
  let consumerDir: string;

  before(async () => {
    const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
    if (npm.status !== 0)
      throw new Error(
        'npm is not installed or does not run (`npm --version` failed): this test packs ' +
          '@latchkey/validator with npm and installs it into a fresh folder.',
      );
    workDir = await mkdtemp(path.join(tmpdir(), 'latchkey-validator-pack-'));
    consumerDir = path.join(workDir, 'consumer');
    a = await startLiveApp();
    w = await seedTokenWorld(a, AUDIENCE);
  });
  after(async () => {
    await a?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('when packed, installed into a fresh folder and imported by plain node, then it accepts a live token and refuses a revoked one', async () => {
    // prepack builds dist/ (JS and .d.ts) first.
    await run(
      'npm',
      ['pack', '-w', '@latchkey/validator', '--pack-destination', workDir, '--silent'],
      { env: cleanEnv(), timeout: 120_000 },
    );
    const tarball = readdirSync(workDir).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, `npm pack wrote no tarball in ${workDir}`);

    await mkdir(consumerDir);
    await writeFile(
      path.join(consumerDir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    // jose and lru-cache come from npm's cache when the registry cannot be reached.
    await run(
      'npm',
      ['install', path.join(workDir, tarball), '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: consumerDir, env: cleanEnv(), timeout: 120_000 },
    );
    const installed = path.join(consumerDir, 'node_modules', '@latchkey', 'validator');
    assert.ok(existsSync(path.join(installed, 'dist', 'index.js')), 'dist/index.js installed');
    assert.ok(existsSync(path.join(installed, 'dist', 'index.d.ts')), 'type declarations');
    await writeFile(path.join(consumerDir, 'check.mjs'), CONSUMER);

    const live = await w.clientCredentials(w.codeClient);
    const revoked = await w.clientCredentials(w.codeClient);
    await w.revoke(w.codeClient, revoked);
    const { stdout } = await run(
      'node',
      [
        'check.mjs',
        a.issuer,
        AUDIENCE,
        w.receiver.id,
        w.receiver.secret,
        live,
        revoked,
        'not-a-jwt',
      ],
      { cwd: consumerDir, env: cleanEnv(), timeout: 60_000 },
    );
    assert.deepEqual(JSON.parse(stdout.trim()), [
      { outcome: 'valid', client_id: w.codeClient.id },
      { outcome: 'token_revoked' },
      { outcome: 'token_malformed' },
    ]);
  });
});
