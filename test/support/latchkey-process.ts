import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LiveApp } from './live.js';
import { freePort } from './tcp-proxy.js';

export interface LatchkeyProcess {
  url: string;
  /** Its management listener (/metrics, /slo), on a free port of its own. */
  managementUrl: string;
  child: ChildProcess;
  /** SIGTERM and wait for the exit (a drained, graceful stop). */
  stop(): Promise<void>;
  /** SIGKILL: the process dies wherever it is, as under an OOM killer or a lost node. */
  kill(): Promise<void>;
}

/**
 * Another Latchkey process beside the in-test app `a`: the same database, Redis, keys and
 * issuer, its own ports, public and management (`src/main.ts` through tsx, as `npm run
 * dev` runs it), so that two of them never collide. `env`
 * overrides what it gets (e.g. a DATABASE_URL through a TCP proxy).
 */
export async function startLatchkeyProcess(
  a: LiveApp,
  env: Record<string, string> = {},
): Promise<LatchkeyProcess> {
  const port = await freePort();
  const managementPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: a.database.url,
      REDIS_URL: a.redis.url,
      LATCHKEY_REDIS_KEY_PREFIX: a.redis.keyPrefix,
      LATCHKEY_KEYS_DIR: a.keysDir,
      LATCHKEY_SERVER_ISSUER: a.issuer,
      LATCHKEY_SERVER_PORT: String(port),
      LATCHKEY_MANAGEMENT_PORT: String(managementPort),
      LATCHKEY_SESSIONS_COOKIE_NAME: 'latchkey',
      LATCHKEY_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    assert.equal(child.exitCode, null, `the Latchkey process exited: ${stderr}`);
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) break;
    if (i > 600) throw new Error(`the Latchkey process never became ready: ${stderr}`);
    await sleep(100);
  }
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    managementUrl: `http://127.0.0.1:${managementPort}`,
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited();
    },
    async kill() {
      child.kill('SIGKILL');
      await exited();
    },
  };
}
