/**
 * A directory's initial sync (issue 17), the way Microsoft Entra ID sends it: for each
 * user, `GET /Users?filter=userName eq "…"` (is it there?) then `POST /Users` with its
 * core + enterprise body, one user per request pair, 16 in parallel. Against Latchkey's
 * server process on CPU 0 (a fresh database and Redis prefix, an org with a verified
 * domain, a directory and its bearer token), and, in the same run, against the reference
 * (bench/support/scim-peer-process.ts: scimmy's Users resource over an in-memory Map, the
 * library's floor without durability, audit or linking) on CPU 0 too; the load generator
 * is on CPU 1. Prints the wall time of the sync, users per second, request latency and
 * the server's CPU per user. Aim (issue 17): 10,000 users in under 60 s.
 * Run: npm run build && SCIM_USERS=10000 npm run bench -- bench/scim-sync.bench.ts
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { build } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { freePort } from '../test/support/tcp-proxy.js';
import {
  machine,
  pinnedToServerCore,
  pinToLoadCore,
  processCpuMs,
  startBenchWorld,
} from './support/harness.js';

pinToLoadCore();
const USERS = Number(process.env.SCIM_USERS ?? 10_000);
const PARALLEL = 16;
const DOMAIN = 'sync.bench.test';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PEER_ENTRY = fileURLToPath(new URL('./support/scim-peer-process.ts', import.meta.url));
const platform = { scope: 'platform:admin' as const, keyId: 'bench' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'bench' };

/** Entra ID's create body for user n (its documented attribute mapping). */
const entraUser = (n: number) => ({
  schemas: [CORE, ENTERPRISE],
  externalId: randomUUID(),
  userName: `user${n}@${DOMAIN}`,
  active: true,
  displayName: `User ${n}`,
  emails: [{ primary: true, type: 'work', value: `user${n}@${DOMAIN}` }],
  name: { formatted: `User ${n}`, familyName: `${n}`, givenName: 'User' },
  title: 'Analyst',
  [ENTERPRISE]: { employeeNumber: String(n), department: 'Ads' },
});

interface SyncResult {
  name: string;
  seconds: number;
  p50ms: number;
  p99ms: number;
  failures: number;
  /** Unexpected statuses and how often each came. */
  statuses: Record<string, number>;
  cpuMsPerUser: number | null;
}

async function sync(
  name: string,
  target: { url: string; base: string; auth: string; cpuMs: () => number | null },
): Promise<SyncResult> {
  const pool = new Pool(target.url, { connections: PARALLEL, pipelining: 1 });
  const latency = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 });
  const headers = { authorization: target.auth, 'content-type': 'application/scim+json' };
  let next = 0;
  let failures = 0;
  const statuses: Record<string, number> = {};
  const timed = async (options: Parameters<Pool['request']>[0], expect: number) => {
    const t0 = process.hrtime.bigint();
    const res = await pool.request(options);
    const body = await res.body.text();
    latency.recordValue(Math.max(1, Math.round(Number(process.hrtime.bigint() - t0) / 1000)));
    if (res.statusCode !== expect) {
      failures += 1;
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
    return body;
  };
  const worker = async () => {
    for (let n = next++; n < USERS; n = next++) {
      const body = entraUser(n);
      const filter = encodeURIComponent(`userName eq "${body.userName}"`);
      const found = await timed(
        { method: 'GET', path: `${target.base}/Users?filter=${filter}`, headers },
        200,
      );
      if (!found.includes('"totalResults":0')) failures += 1;
      await timed(
        { method: 'POST', path: `${target.base}/Users`, headers, body: JSON.stringify(body) },
        201,
      );
    }
  };
  const cpuBefore = target.cpuMs();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = target.cpuMs();
  await pool.close();
  return {
    name,
    seconds,
    p50ms: latency.getValueAtPercentile(50) / 1000,
    p99ms: latency.getValueAtPercentile(99) / 1000,
    failures,
    statuses,
    cpuMsPerUser: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / USERS,
  };
}

async function startPeer() {
  const port = await freePort();
  const [command, ...args] = pinnedToServerCore(['--import', 'tsx', PEER_ENTRY]);
  const child = spawn(command, args, {
    env: { ...process.env, PEER_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', () => reject(new Error('the SCIM reference exited before it was ready')));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

const world = await startBenchWorld();
const peer = await startPeer();
try {
  await world.app.db.query(
    `INSERT INTO org_domains (id, org_id, domain, status, verification_token, verification_method, verified_at, created_at, updated_at)
     VALUES ($1, $2, $3, 'verified', 'x', 'attestation', now(), now(), now())`,
    [randomUUID(), world.orgId, DOMAIN],
  );
  const directory = await world.app.directories.create(
    world.orgId,
    { name: 'Entra ID' },
    platform,
    ctx,
  );
  const { secret } = await world.app.directories.issueToken(
    world.orgId,
    directory.id,
    platform,
    ctx,
  );
  const reference = await sync('reference: scimmy Users over a Map, in memory', {
    url: peer.url,
    base: '',
    auth: 'Bearer reference',
    cpuMs: () => processCpuMs(peer.child.pid),
  });
  const latchkey = await sync('Latchkey: PostgreSQL, audited, linked', {
    url: world.url,
    base: `/scim/v2/${directory.id}`,
    auth: `Bearer ${secret}`,
    cpuMs: () => world.serverCpuMs(),
  });
  const { rows } = await world.app.db.query<{ n: string }>(
    'SELECT count(*) AS n FROM scim_users WHERE directory_id = $1',
    [directory.id],
  );
  console.log(
    `\nmachine: ${machine()}; each server on CPU 0, load generator on CPU 1, ` +
      `${USERS} users (GET filter + POST each), ${PARALLEL} in parallel`,
  );
  console.log('\n| server | sync time | users/s | p50 | p99 | server CPU / user | failures |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of [reference, latchkey])
    console.log(
      `| ${r.name} | ${r.seconds.toFixed(1)} s | ${Math.round(USERS / r.seconds)} | ` +
        `${r.p50ms.toFixed(1)} ms | ${r.p99ms.toFixed(1)} ms | ` +
        `${r.cpuMsPerUser === null ? '–' : `${(r.cpuMsPerUser * 1000).toFixed(0)} µs`} | ${r.failures}${r.failures ? ` (${JSON.stringify(r.statuses)})` : ''} |`,
    );
  console.log(
    `\nLatchkey's directory holds ${rows[0]!.n} users afterwards (aim: ${USERS}, < 60 s)`,
  );
} finally {
  peer.child.kill('SIGTERM');
  await world.close();
}
