import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/services.js';
import { freePort } from '../support/tcp-proxy.js';

const KEY = /lk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/;

/** `src/main.ts` as `npm run dev` starts it, to its exit: what it printed and how it ended. */
async function startToExit(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/**
 * Issue 18's "tried as a new user would": a first development start that fails after the
 * seed made the bootstrap platform key (here: the SAML demo IdP's port is taken) still
 * shows the key, and the next start, which does not make another, says how to make one.
 */
describe('a development start that fails after the seed', () => {
  let database: TestDatabase;
  let taken: ReturnType<typeof createServer>;
  let env: Record<string, string>;
  let keysDir: string;

  before(async () => {
    database = await createTestDatabase();
    keysDir = mkdtempSync(path.join(tmpdir(), 'latchkey-start-failure-'));
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as { port: number }).port;
    env = {
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      LATCHKEY_REDIS_URL: '',
      REDIS_URL: '',
      LATCHKEY_KEYS_DIR: keysDir,
      LATCHKEY_SERVER_PORT: String(await freePort()),
      LATCHKEY_MANAGEMENT_PORT: String(await freePort()),
      LATCHKEY_DEMO_ENABLED: 'true',
      LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
      LATCHKEY_DEMO_SAML_IDP_PORT: String(takenPort),
      LATCHKEY_LOG_LEVEL: 'error',
    };
  });
  after(async () => {
    await new Promise<void>((resolve) => taken?.close(() => resolve()));
    await database?.drop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('when the demo SAML IdP cannot listen, then the start fails and still shows the key it made; the next says how to make a new one', async () => {
    const first = await startToExit(env);
    assert.notEqual(first.code, 0, 'the start failed');
    assert.match(first.stderr, /cannot listen/, first.stderr);
    assert.match(first.stdout, KEY, `the key is shown: ${first.stdout}`);
    const second = await startToExit(env);
    assert.notEqual(second.code, 0);
    assert.doesNotMatch(second.stdout, KEY, 'never shown twice');
    assert.match(second.stdout, /npm run cli -- apikeys create --platform/);
  });
});
