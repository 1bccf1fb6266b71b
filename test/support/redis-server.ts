import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from './tcp-proxy.js';

/**
 * A redis-server of the test's own, on a free port, to kill and restart: the machine's
 * Redis is never stopped. Its data lives in a temp dir; `save()` writes a snapshot that
 * a restart loads, like a Redis restarted from an older RDB file.
 */
export interface OwnRedis {
  url: string;
  port: number;
  /** A plain client (no prefix), reconnecting across restarts. */
  client(): Redis;
  /** SAVE: the next start loads the data as it is now. */
  save(): Promise<void>;
  /** SIGKILL: no shutdown save, connections cut. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      'redis-server is not installed: these fault tests start Redis servers of their own ' +
        '(apt-get install redis-server).',
    );
  }
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'latchkey-redis-'));
  let child: ChildProcess | null = null;
  const clients: Redis[] = [];
  const url = `redis://127.0.0.1:${port}`;

  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: dir, stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i += 1) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch {
        await sleep(50);
      } finally {
        probe.disconnect();
      }
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGKILL');
    await new Promise((resolve) => running.once('exit', resolve));
  };

  await start();
  return {
    url,
    port,
    client() {
      const c = new Redis(url, { maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    async save() {
      const c = new Redis(url, { maxRetriesPerRequest: 0 });
      try {
        await c.save();
      } finally {
        c.disconnect();
      }
    },
    kill,
    start,
    async stop() {
      for (const c of clients) c.disconnect();
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
