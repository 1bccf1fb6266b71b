/**
 * A directory's initial sync (issue 17), the way Microsoft Entra ID sends it: for each
 * user, `GET /Users?filter=userName eq "…"` (is it there?) then `POST /Users` with its
 * core + enterprise body; then for each group the `displayName` probe, `POST /Groups`
 * without members and one `PATCH` adding its share of the users (ten of the groups are in
 * the directory's role mapping, so their memberships recompute roles); 16 requests in
 * parallel. Against Latchkey's server process on CPU 0 (a fresh database and Redis
 * prefix, an org with a verified domain, a directory and its bearer token), and, in the
 * same run, against the reference (bench/support/scim-peer-process.ts: scimmy's Users and
 * Groups resources over in-memory Maps, the library's floor without durability, audit,
 * linking or roles) on CPU 0 too; the load generator is on CPU 1. Prints the wall time of
 * the sync (and of its groups part), users per second, request latency and the server's
 * CPU per user. Aim (issue 17): 10,000 users and 200 groups in under 60 s.
 * Run: npm run build && SCIM_USERS=10000 SCIM_GROUPS=200 npm run bench -- bench/scim-sync.bench.ts
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { build } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { verifiedDomain } from '../test/support/federation-seed.js';
import { freePort } from '../test/support/tcp-proxy.js';
import {
  ctx,
  machine,
  pinnedToServerCore,
  pinToLoadCore,
  platform,
  processCpuMs,
  startBenchWorld,
} from './support/harness.js';

pinToLoadCore();
const USERS = Number(process.env.SCIM_USERS ?? 10_000);
const GROUPS = Number(process.env.SCIM_GROUPS ?? 200);
const PARALLEL = 16;
const DOMAIN = 'sync.bench.test';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const PEER_ENTRY = fileURLToPath(new URL('./support/scim-peer-process.ts', import.meta.url));

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
  /** Of `seconds`, the groups' part (probe, create, one PATCH adding its members). */
  groupSeconds: number;
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
    // A PATCH may answer 200 with the resource or 204 without (RFC 7644 §3.5.2).
    if (res.statusCode !== expect && !(expect === 200 && res.statusCode === 204)) {
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
      const created = await timed(
        { method: 'POST', path: `${target.base}/Users`, headers, body: JSON.stringify(body) },
        201,
      );
      userIds[n] = (JSON.parse(created) as { id?: string }).id ?? '';
    }
  };
  // Then the groups, as Entra ID sends them: the displayName probe, the create without
  // members, one PATCH adding the group's share of the users.
  const perGroup = Math.ceil(USERS / GROUPS);
  const groupWorker = async () => {
    for (let g = next++; g < GROUPS; g = next++) {
      const displayName = `Group ${g}`;
      const filter = encodeURIComponent(`displayName eq "${displayName}"`);
      await timed({ method: 'GET', path: `${target.base}/Groups?filter=${filter}`, headers }, 200);
      const body = { schemas: [GROUP], displayName, externalId: randomUUID(), members: [] };
      const created = await timed(
        { method: 'POST', path: `${target.base}/Groups`, headers, body: JSON.stringify(body) },
        201,
      );
      const id = (JSON.parse(created) as { id?: string }).id ?? '';
      const members = userIds.slice(g * perGroup, (g + 1) * perGroup).map((value) => ({ value }));
      const patch = {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Add', path: 'members', value: members }],
      };
      await timed(
        {
          method: 'PATCH',
          path: `${target.base}/Groups/${id}`,
          headers,
          body: JSON.stringify(patch),
        },
        200,
      );
    }
  };
  const userIds: string[] = [];
  const cpuBefore = target.cpuMs();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const groupsStarted = process.hrtime.bigint();
  next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, groupWorker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const groupSeconds = Number(process.hrtime.bigint() - groupsStarted) / 1e9;
  const cpuAfter = target.cpuMs();
  await pool.close();
  return {
    name,
    seconds,
    p50ms: latency.getValueAtPercentile(50) / 1000,
    p99ms: latency.getValueAtPercentile(99) / 1000,
    failures,
    statuses,
    groupSeconds,
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
  await verifiedDomain(world, world.orgId, DOMAIN);
  const directory = await world.app.directories.create(
    world.orgId,
    // Ten of the groups grant roles: every membership change recomputes roles.
    {
      name: 'Entra ID',
      role_mapping: Object.fromEntries(
        Array.from({ length: 10 }, (_, g) => [`Group ${g}`, `ads.role${g}`]),
      ),
    },
    platform,
    ctx,
  );
  const { secret } = await world.app.directories.issueToken(
    world.orgId,
    directory.id,
    platform,
    ctx,
  );
  const reference = await sync('reference: scimmy Users and Groups over Maps, in memory', {
    url: peer.url,
    base: '',
    auth: 'Bearer reference',
    cpuMs: () => processCpuMs(peer.child.pid),
  });
  const latchkey = await sync('Latchkey: PostgreSQL, audited, linked, groups to roles', {
    url: world.url,
    base: `/scim/v2/${directory.id}`,
    auth: `Bearer ${secret}`,
    cpuMs: () => world.serverCpuMs(),
  });
  const { rows } = await world.app.db.query<{ n: string; members: string; roles: string }>(
    `SELECT (SELECT count(*) FROM scim_users WHERE directory_id = $1) AS n,
            (SELECT count(*) FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
              WHERE g.directory_id = $1) AS members,
            (SELECT count(*) FROM users WHERE scim_directory_id = $1 AND cardinality(roles) > 0)
              AS roles`,
    [directory.id],
  );
  console.log(
    `\nmachine: ${machine()}; each server on CPU 0, load generator on CPU 1, ` +
      `${USERS} users (GET filter + POST each), then ${GROUPS} groups (GET filter + POST + ` +
      `one PATCH adding its members), ${PARALLEL} in parallel`,
  );
  console.log(
    '\n| server | sync time (of it groups) | users/s | p50 | p99 | server CPU / user | failures |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of [reference, latchkey])
    console.log(
      `| ${r.name} | ${r.seconds.toFixed(1)} s (${r.groupSeconds.toFixed(1)} s) | ` +
        `${Math.round(USERS / (r.seconds - r.groupSeconds))} | ` +
        `${r.p50ms.toFixed(1)} ms | ${r.p99ms.toFixed(1)} ms | ` +
        `${r.cpuMsPerUser === null ? '–' : `${(r.cpuMsPerUser * 1000).toFixed(0)} µs`} | ${r.failures}${r.failures ? ` (${JSON.stringify(r.statuses)})` : ''} |`,
    );
  console.log(
    `\nLatchkey's directory holds ${rows[0]!.n} users (aim: ${USERS}), ` +
      `${rows[0]!.members} memberships, ${rows[0]!.roles} users with mapped roles; ` +
      `aim: the whole sync < 60 s`,
  );
} finally {
  peer.child.kill('SIGTERM');
  await world.close();
}
