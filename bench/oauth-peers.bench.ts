/**
 * Latchkey beside a peer in the same run (issue 16): node-oidc-provider with a Redis
 * adapter (bench/support/peer-provider-process.ts, peer-redis-adapter.ts) and Latchkey,
 * each in a server process of its own on CPU 0, driven by the same load generator on
 * CPU 1 (the harness's runLoad: undici, 50 connections, 2 s warm-up, BENCH_SECONDS
 * measured), one after the other, the peer first. Compared, per operation, throughput,
 * p99 and the server process's CPU per request:
 * - client credentials (peer: opaque access tokens stored in Redis, and JWT (ES256) ones
 *   on a second row; Latchkey: ES256 JWTs, one audit event each, in PostgreSQL);
 * - refresh-token rotation with an ID token (openid scope) and without one (Latchkey:
 *   the refresh asks for the narrower scope `email`; peer: refresh tokens granted
 *   `email offline_access` without openid);
 * - introspection of a user's access token (peer: opaque tokens, the only kind its
 *   introspection finds; Latchkey: its session-bound ES256 JWTs).
 * The peer's refresh and access tokens are minted through its own models, not by its
 * authorization code flow (see peer-provider-process.ts). Beside the table: PostgreSQL
 * CPU per audited event over Latchkey's client-credentials window and over its refresh
 * (with an ID token) window (utime + stime of the PostgreSQL server the bench's database
 * is on: its postmaster and every process it started, over the audit events written in
 * that window). For figures undisturbed by other databases' work, point TEST_DATABASE_URL
 * at a PostgreSQL of the bench's own.
 * Run: npm run build && BENCH_SECONDS=10 npm run bench -- bench/oauth-peers.bench.ts
 * (needs Postgres and Redis, like the tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createTestRedis, type TestRedis } from '../test/support/services.js';
import { freePort } from '../test/support/tcp-proxy.js';
import {
  AUDIENCE,
  clientCredentialsLoad,
  introspectionLoad,
  machine,
  pinnedToServerCore,
  pinToLoadCore,
  processCpuMs,
  postgresCpuBetween,
  postgresServerCpu,
  refreshRotationLoad,
  startBenchWorld,
  type BenchWorld,
  type LoadResult,
  type LoadTarget,
} from './support/harness.js';
import type { MintRequest } from './support/peer-provider-process.js';

pinToLoadCore();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const JWT_AUDIENCE = 'https://ads-api-jwt.example';
const PEER_ENTRY = fileURLToPath(new URL('./support/peer-provider-process.ts', import.meta.url));

interface Minted {
  refreshTokens: string[];
  accessTokens: string[];
}

interface Peer extends LoadTarget {
  mint(request: Omit<MintRequest, 'kind'>): Promise<Minted>;
  stop(): Promise<void>;
}

/**
 * node-oidc-provider in its own process on CPU 0, with the bench world's client (same id
 * and secret, so the same Basic header) and a Redis key prefix of its own.
 */
async function startPeer(world: BenchWorld, redis: TestRedis): Promise<Peer> {
  const port = await freePort();
  const [command, ...args] = pinnedToServerCore(['--import', 'tsx', PEER_ENTRY]);
  const child: ChildProcess = spawn(command, args, {
    env: {
      ...process.env,
      PEER_PORT: String(port),
      PEER_REDIS_URL: redis.url,
      PEER_REDIS_PREFIX: redis.keyPrefix,
      PEER_CLIENT_ID: world.client.id,
      PEER_CLIENT_SECRET: world.client.secret,
      PEER_AUDIENCE: AUDIENCE,
      PEER_JWT_AUDIENCE: JWT_AUDIENCE,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(kind: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { kind: string } & T) => {
        if (message.kind !== kind) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message);
      };
      const onExit = () => reject(new Error(`the peer exited before '${kind}'`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  await next('ready');
  return {
    url: `http://127.0.0.1:${port}`,
    basic: world.basic,
    serverCpuMs: () => processCpuMs(child.pid),
    async mint(request) {
      const minted = next<Minted>('minted');
      child.send({ kind: 'mint', ...request } satisfies MintRequest);
      return minted;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** PostgreSQL's CPU and the audit events written over one measured window. */
async function auditWindow(world: BenchWorld) {
  type Reading = { at: Date; cpu: Map<number, number> | null };
  let start: Reading | null = null;
  let end: Reading | null = null;
  const { rows } = await world.app.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const backendPid = rows[0]!.pid;
  const reading = (): Reading => ({ at: new Date(), cpu: postgresServerCpu(backendPid) });
  return {
    onWindow(edge: 'start' | 'end') {
      if (edge === 'start') start = reading();
      else end = reading();
    },
    async postgresCpuPerEvent() {
      if (!start || !end) throw new Error('no measured window');
      const { rows } = await world.app.db.query<{ events: string }>(
        `SELECT count(*) AS events FROM audit_events
          WHERE occurred_at >= $1 AND occurred_at < $2`,
        [start.at, end.at],
      );
      const events = Number(rows[0]!.events);
      const cpuMs = postgresCpuBetween(start.cpu, end.cpu);
      return { events, cpuMs, usPerEvent: (cpuMs * 1000) / events };
    },
  };
}

const world = await startBenchWorld();
const peerRedis = await createTestRedis();
let peer: Peer | null = null;
try {
  peer = await startPeer(world, peerRedis);
  const withOpenId = await peer.mint({
    refreshTokens: CONNECTIONS,
    refreshScope: 'openid email offline_access',
    accessTokens: CONNECTIONS,
    accessScope: 'openid email',
  });
  const withoutOpenId = await peer.mint({
    refreshTokens: CONNECTIONS,
    refreshScope: 'email offline_access',
    accessTokens: 0,
    accessScope: '',
  });
  const sessions = await Promise.all(Array.from({ length: 2 * CONNECTIONS }, () => world.signIn()));
  const latchkeyChains = sessions.map((s) => s.refresh_token);

  const rows: { operation: string; peer: LoadResult; latchkey: LoadResult }[] = [];
  const audit = await auditWindow(world);
  const refreshAudit = await auditWindow(world);
  const clientCredentialsLatchkey = await clientCredentialsLoad(
    world,
    'Latchkey client credentials',
    CONNECTIONS,
    SECONDS,
    { onWindow: (edge) => audit.onWindow(edge) },
  );
  rows.push({
    operation: 'client credentials (peer: opaque access tokens)',
    peer: await clientCredentialsLoad(peer, 'peer client credentials', CONNECTIONS, SECONDS),
    latchkey: clientCredentialsLatchkey,
  });
  rows.push({
    operation: 'client credentials (peer: JWT access tokens, ES256)',
    peer: await clientCredentialsLoad(peer, 'peer client credentials, JWT', CONNECTIONS, SECONDS, {
      fields: { resource: JWT_AUDIENCE },
    }),
    latchkey: clientCredentialsLatchkey,
  });
  rows.push({
    operation: 'refresh rotation with an ID token',
    peer: await refreshRotationLoad(peer, 'peer refresh, ID token', CONNECTIONS, SECONDS, {
      refreshTokens: withOpenId.refreshTokens,
      idToken: true,
    }),
    latchkey: await refreshRotationLoad(world, 'Latchkey refresh, ID token', CONNECTIONS, SECONDS, {
      refreshTokens: latchkeyChains.slice(0, CONNECTIONS),
      idToken: true,
      onWindow: (edge) => refreshAudit.onWindow(edge),
    }),
  });
  rows.push({
    operation: 'refresh rotation without an ID token',
    peer: await refreshRotationLoad(peer, 'peer refresh, no ID token', CONNECTIONS, SECONDS, {
      refreshTokens: withoutOpenId.refreshTokens,
      idToken: false,
    }),
    latchkey: await refreshRotationLoad(
      world,
      'Latchkey refresh, no ID token',
      CONNECTIONS,
      SECONDS,
      { refreshTokens: latchkeyChains.slice(CONNECTIONS), scope: 'email', idToken: false },
    ),
  });
  rows.push({
    operation: 'introspection (peer: opaque access tokens)',
    peer: await introspectionLoad(
      peer,
      'peer introspection',
      CONNECTIONS,
      SECONDS,
      withOpenId.accessTokens,
    ),
    latchkey: await introspectionLoad(world, 'Latchkey introspection', CONNECTIONS, SECONDS),
  });
  const postgres = await audit.postgresCpuPerEvent();
  const refreshPostgres = await refreshAudit.postgresCpuPerEvent();

  const figure = (r: LoadResult) =>
    `${r.perSecond}/s, p99 ${r.p99ms.toFixed(1)} ms${r.errors ? `, ${r.errors} errors` : ''}`;
  const cpu = (r: LoadResult) =>
    r.serverCpuMsPerRequest === null ? '–' : `${Math.round(r.serverCpuMsPerRequest * 1000)} µs`;
  console.log(
    `\nmachine: ${machine()}; each server on CPU 0 (its own process), load generator on CPU 1, ` +
      `${CONNECTIONS} connections, 2 s warm-up + ${SECONDS} s measured`,
  );
  console.log(
    '\n| operation | node-oidc-provider + Redis | Latchkey | ratio | server CPU per request (peer vs Latchkey) |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const { operation, peer: p, latchkey: l } of rows)
    console.log(
      `| ${operation} | ${figure(p)} | ${figure(l)} | ${(l.perSecond / p.perSecond).toFixed(2)}× | ${cpu(p)} vs ${cpu(l)} |`,
    );
  console.log(
    `\nPostgreSQL CPU per audited event (Latchkey client credentials): ` +
      `${postgres.usPerEvent.toFixed(0)} µs (${postgres.cpuMs} ms of PostgreSQL server CPU over ` +
      `${postgres.events} events in ${clientCredentialsLatchkey.seconds.toFixed(1)} s; aim ≤ 60 µs)`,
  );
  console.log(
    `PostgreSQL CPU per audited event (Latchkey refresh with an ID token: token.issued and ` +
      `session.refreshed, org events): ${refreshPostgres.usPerEvent.toFixed(0)} µs ` +
      `(${refreshPostgres.cpuMs} ms over ${refreshPostgres.events} events)`,
  );
  console.log(`(${cpus().length} cores; ratio = Latchkey ÷ peer, requests per second)`);
} finally {
  await peer?.stop();
  await peerRedis.cleanup();
  await world.close();
}
