import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './tcp-proxy.js';

/**
 * A real three-master Redis Cluster on loopback, made of redis-server processes this
 * test run starts (and stops), to prove the stores' scripts keep their keys in one slot.
 */
export async function startRedisCluster(): Promise<{ seedUrl: string; stop(): Promise<void> }> {
  for (const tool of ['redis-server', 'redis-cli']) {
    if (spawnSync(tool, ['--version']).status !== 0) {
      throw new Error(
        `${tool} is missing: install Debian's redis-server (apt-get install redis-server)`,
      );
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'latchkey-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--cluster-node-timeout',
        '2000',
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    for (const node of nodes) node.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      for (
        let i = 0;
        spawnSync('redis-cli', ['-p', String(port), 'ping'])
          .stdout?.toString()
          .trim() !== 'PONG';
        i++
      ) {
        if (i > 100) throw new Error(`redis-server on ${port} did not start`);
        await sleep(50);
      }
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8' },
    );
    if (create.status !== 0)
      throw new Error(`cluster create failed: ${create.stdout}${create.stderr}`);
    for (let i = 0; ; i++) {
      const info = spawnSync('redis-cli', ['-p', String(ports[0]), 'cluster', 'info'], {
        encoding: 'utf8',
      }).stdout;
      if (info.includes('cluster_state:ok')) break;
      if (i > 200) throw new Error('the cluster did not become ready');
      await sleep(50);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { seedUrl: `redis://127.0.0.1:${ports[0]}`, stop };
}
