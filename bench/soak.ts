/**
 * Soak: one Latchkey server process under a steady mixed load for a long time (default
 * 30 minutes), to show that its memory and its Redis keys stay flat. Not part of
 * `npm run bench` (it is long); run it with `npm run build && npm run soak`.
 *
 * The mix: refresh-token rotations, client-credentials grants, introspections, userinfo,
 * access-token revocations (RFC 7009), and admin session ends each followed by a sign-in
 * (a new session and a code flow), over a pool of SOAK_SESSIONS live sessions. Access
 * tokens live 300 s (the clients' default, and tokens.maxAccessTokenTtlSeconds here), so
 * what is kept as long as an access token could live (revocation tombstones) levels off
 * within the warm-up. The
 * rate is steered during the warm-up so the server uses about SOAK_CORE_SHARE (0.7) of a
 * core (its CPU time from /proc), then held; SOAK_RATE=<requests/s> holds a given rate
 * from the start instead. Each sample also shows the mean latency of the mix's main
 * operations and the cores PostgreSQL, Redis and the load generator used, so a falling
 * rate can be traced to where the time went; the end shows the run database's tables
 * (rows, sequential and index scans). Every SOAK_SAMPLE_SECONDS it records the
 * server's RSS and heap used after a full GC (through a probe loaded into the server,
 * bench/support/memory-probe.mjs) and the number of Redis keys under the run's prefix.
 * After the warm-up, the first and the last three samples are compared: flat means within
 * 10 %. With SOAK_SNAPSHOTS=<dir> it writes heap snapshots at the end of the warm-up and
 * at the end, to diff in Chrome DevTools.
 *
 * Env: SOAK_MINUTES (30), SOAK_WARMUP_MINUTES (5), SOAK_SAMPLE_SECONDS (30),
 * SOAK_CORE_SHARE (0.7), SOAK_START_RATE (800 requests/s), SOAK_RATE (unset: steered),
 * SOAK_SESSIONS (200).
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import {
  machine,
  pinToLoadCore,
  processesCpuMs,
  startBenchWorld,
  type BenchWorld,
} from './support/harness.js';

pinToLoadCore();

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const MINUTES = env('SOAK_MINUTES', 30);
const WARMUP_MINUTES = env('SOAK_WARMUP_MINUTES', 5);
const SAMPLE_SECONDS = env('SOAK_SAMPLE_SECONDS', 30);
const CORE_SHARE = env('SOAK_CORE_SHARE', 0.7);
const SESSIONS = env('SOAK_SESSIONS', 200);
const WORKERS = 48;
const SNAPSHOTS = process.env.SOAK_SNAPSHOTS;
const PROBE = fileURLToPath(new URL('./support/memory-probe.mjs', import.meta.url));

type Op = 'refresh' | 'client_credentials' | 'introspect' | 'userinfo' | 'revoke' | 'sign_in';
const WEIGHTS: Array<[Op, number]> = [
  ['refresh', 30],
  ['client_credentials', 20],
  ['introspect', 25],
  ['userinfo', 10],
  ['revoke', 5],
  ['sign_in', 10],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
const pick = (): Op => {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [op, w] of WEIGHTS) if ((r -= w) < 0) return op;
  return 'refresh';
};

interface Chain {
  sessionId: string;
  access: string;
  refresh: string;
  busy: boolean;
  /** Its session was ended and no new one could be opened yet: it signs in anew first. */
  dead?: boolean;
}

interface Sample {
  minute: number;
  perSecond: number;
  errors: number;
  serverCoreShare: number | null;
  postgresCores: number | null;
  redisCores: number | null;
  loadCores: number;
  /** Mean latency (ms) of each operation of the mix in the interval. */
  latencyMs: Partial<Record<Op, number>>;
  rssMb: number;
  heapAfterGcMb: number;
  redisKeys: number;
}

const world: BenchWorld = await startBenchWorld({
  serverNodeArgs: ['--expose-gc', '--import', PROBE],
  ipc: true,
  serverEnv: { LATCHKEY_TOKENS_MAX_ACCESS_TOKEN_TTL_SECONDS: '300' },
});

const memory = () =>
  new Promise<{ rss: number; heapUsed: number }>((resolve) => {
    const onMessage = (m: { type?: string; rss: number; heapUsed: number }) => {
      if (m?.type !== 'memory') return;
      world.server.off('message', onMessage);
      resolve(m);
    };
    world.server.on('message', onMessage);
    world.server.send({ type: 'memory' });
  });

const snapshot = (name: string) =>
  new Promise<string>((resolve) => {
    const onMessage = (m: { type?: string; file: string }) => {
      if (m?.type !== 'snapshot') return;
      world.server.off('message', onMessage);
      resolve(m.file);
    };
    world.server.on('message', onMessage);
    world.server.send({ type: 'snapshot', file: `${SNAPSHOTS}/${name}.heapsnapshot` });
  });

/** The run's Redis keys, counted by family (ids and digests replaced by *). */
const keyFamilies = new Map<string, number>();
const redisKeys = async () => {
  let cursor = '0';
  let count = 0;
  keyFamilies.clear();
  do {
    const [next, keys] = await world.redis.client.scan(
      cursor,
      'MATCH',
      `${world.redis.keyPrefix}*`,
      'COUNT',
      5000,
    );
    cursor = next;
    count += keys.length;
    for (const key of keys) {
      const family = key
        .slice(world.redis.keyPrefix.length)
        .split(':')
        .map((part) => (/[0-9a-f]{8}|[A-Za-z0-9_-]{20,}|^\{|^\d+$/.test(part) ? '*' : part))
        .join(':');
      keyFamilies.set(family, (keyFamilies.get(family) ?? 0) + 1);
    }
  } while (cursor !== '0');
  return count;
};

const pool = new Pool(world.url, { connections: WORKERS, pipelining: 1 });
const formHeaders = {
  'content-type': 'application/x-www-form-urlencoded',
  authorization: world.basic,
};
const post = async (path: string, fields: Record<string, string>, headers = formHeaders) => {
  const res = await pool.request({
    path,
    method: 'POST',
    headers,
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.statusCode, body: await res.body.text() };
};
const apiKey = (
  await world.app.apiKeys.create({ orgId: null, body: { name: 'soak' } }, 'cli', null)
).secret;

const chains: Chain[] = [];
const newChain = async (): Promise<Chain> => {
  const signedIn = await world.signIn();
  return {
    sessionId: signedIn.sessionId,
    access: signedIn.access_token,
    refresh: signedIn.refresh_token,
    busy: false,
    dead: false,
  };
};
for (let i = 0; i < SESSIONS; i += 10)
  chains.push(...(await Promise.all(Array.from({ length: Math.min(10, SESSIONS - i) }, newChain))));
const idleChain = () => {
  for (let tries = 0; tries < 8; tries += 1) {
    const chain = chains[Math.floor(Math.random() * chains.length)]!;
    if (!chain.busy) return chain;
  }
  return null;
};

let requests = 0;
let errors = 0;
const errorKinds = new Map<string, number>();
const fail = (what: string) => {
  errors += 1;
  errorKinds.set(what, (errorKinds.get(what) ?? 0) + 1);
};

/** One operation of the mix; returns how many requests it made. */
async function operate(op: Op): Promise<number> {
  if (op === 'client_credentials') {
    const res = await post('/oauth/token', { grant_type: 'client_credentials' });
    if (res.status !== 200) fail(`client_credentials ${res.status}`);
    return 1;
  }
  const chain = idleChain();
  if (!chain) return 0;
  chain.busy = true;
  try {
    if (chain.dead) {
      Object.assign(chain, await newChain());
      return 2;
    }
    switch (op) {
      case 'refresh': {
        const res = await post('/oauth/token', {
          grant_type: 'refresh_token',
          refresh_token: chain.refresh,
        });
        if (res.status !== 200) {
          fail(`refresh ${res.status}`);
          chain.dead = true;
          Object.assign(chain, await newChain());
          return 3;
        }
        const tokens = JSON.parse(res.body) as { access_token: string; refresh_token: string };
        chain.access = tokens.access_token;
        chain.refresh = tokens.refresh_token;
        return 1;
      }
      case 'introspect': {
        const res = await post('/oauth/introspect', { token: chain.access });
        if (res.status !== 200) fail(`introspect ${res.status}`);
        return 1;
      }
      case 'userinfo': {
        const res = await pool.request({
          path: '/oauth/userinfo',
          method: 'GET',
          headers: { authorization: `Bearer ${chain.access}` },
        });
        await res.body.text();
        // A token revoked by the mix is refused: that is right, not an error.
        if (res.statusCode !== 200 && res.statusCode !== 401) fail(`userinfo ${res.statusCode}`);
        return 1;
      }
      case 'revoke': {
        const res = await post('/oauth/revoke', {
          token: chain.access,
          token_type_hint: 'access_token',
        });
        if (res.status !== 200) fail(`revoke ${res.status}`);
        return 1;
      }
      case 'sign_in': {
        // The session's user is done: an admin ends it, and someone signs in anew.
        const res = await pool.request({
          path: `/api/v1/orgs/${world.orgId}/sessions/${chain.sessionId}`,
          method: 'DELETE',
          headers: { authorization: `Bearer ${apiKey}` },
        });
        await res.body.text();
        if (res.statusCode !== 204) fail(`end_session ${res.statusCode}`);
        // If the new sign-in fails, the chain must not go on with the ended session.
        chain.dead = true;
        Object.assign(chain, await newChain());
        return 3;
      }
      default:
        return 0;
    }
  } catch (error) {
    fail(`${op} ${(error as Error).message}`);
    return 1;
  } finally {
    chain.busy = false;
  }
}

// Paced workers: together they aim at `rate` requests per second.
const FIXED_RATE = process.env.SOAK_RATE ? Number(process.env.SOAK_RATE) : null;
let rate = FIXED_RATE ?? env('SOAK_START_RATE', 800);
let running = true;
const latency = new Map<Op, { ms: number; count: number }>();
const workers = Array.from({ length: WORKERS }, async () => {
  let next = performance.now();
  while (running) {
    const op = pick();
    const began = performance.now();
    const made = await operate(op);
    if (made > 0) {
      const entry = latency.get(op) ?? { ms: 0, count: 0 };
      entry.ms += performance.now() - began;
      entry.count += 1;
      latency.set(op, entry);
    }
    requests += made;
    next += (made * 1000 * WORKERS) / rate;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -1000) next = performance.now(); // behind: do not burst to catch up
  }
});

const startedAt = Date.now();
const samples: Sample[] = [];
const warmupEndsAt = startedAt + WARMUP_MINUTES * 60_000;
const endsAt = startedAt + MINUTES * 60_000;
const cpuNow = () => {
  const stores = processesCpuMs(['postgres', 'redis-server']);
  const own = process.cpuUsage();
  return {
    cpuMs: world.serverCpuMs(),
    postgresMs: stores?.postgres ?? null,
    redisMs: stores?.['redis-server'] ?? null,
    loadMs: (own.user + own.system) / 1000,
  };
};
let last = { at: Date.now(), requests: 0, errors: 0, ...cpuNow() };
let snapshotTaken = false;
const fixed = (value: number | null, digits = 2) => (value === null ? '–' : value.toFixed(digits));
const SHOWN: Op[] = ['refresh', 'client_credentials', 'introspect', 'sign_in'];
console.log(
  `soak: ${MINUTES} min (warm-up ${WARMUP_MINUTES}), ${FIXED_RATE ? `${FIXED_RATE} requests/s held` : 'rate steered'}, ${machine()}`,
);
console.log(
  '| minute | req/s | errors | server core share | PG / Redis / load cores | ms refresh / cc / introspect / sign-in | RSS MB | heap after GC MB | Redis keys |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
while (Date.now() < endsAt) {
  await sleep(Math.min(SAMPLE_SECONDS * 1000, Math.max(0, endsAt - Date.now())));
  const now = Date.now();
  const cpu = cpuNow();
  const seconds = (now - last.at) / 1000;
  const cores = (a: number | null, b: number | null) =>
    a !== null && b !== null ? Math.max(0, a - b) / 1000 / seconds : null;
  const share = cores(cpu.cpuMs, last.cpuMs);
  const latencyMs: Partial<Record<Op, number>> = {};
  for (const [op, { ms, count }] of latency) latencyMs[op] = ms / count;
  latency.clear();
  const [mem, keys] = await Promise.all([memory(), redisKeys()]);
  const sample: Sample = {
    minute: (now - startedAt) / 60_000,
    perSecond: (requests - last.requests) / seconds,
    errors: errors - last.errors,
    serverCoreShare: share,
    postgresCores: cores(cpu.postgresMs, last.postgresMs),
    redisCores: cores(cpu.redisMs, last.redisMs),
    loadCores: cores(cpu.loadMs, last.loadMs) ?? 0,
    latencyMs,
    rssMb: mem.rss / 2 ** 20,
    heapAfterGcMb: mem.heapUsed / 2 ** 20,
    redisKeys: keys,
  };
  samples.push(sample);
  console.log(
    `| ${sample.minute.toFixed(1)} | ${Math.round(sample.perSecond)} | ${sample.errors} | ${fixed(share)} | ${fixed(sample.postgresCores)} / ${fixed(sample.redisCores)} / ${fixed(sample.loadCores)} | ${SHOWN.map((op) => fixed(latencyMs[op] ?? null, 1)).join(' / ')} | ${sample.rssMb.toFixed(1)} | ${sample.heapAfterGcMb.toFixed(1)} | ${keys} |`,
  );
  last = { at: now, requests, errors, ...cpu };
  // Steer the rate during the warm-up toward CORE_SHARE of a core, then hold it.
  if (!FIXED_RATE && now < warmupEndsAt && share !== null && share > 0.05) {
    rate *= Math.min(1.5, Math.max(0.67, CORE_SHARE / share));
  } else if (now >= warmupEndsAt && SNAPSHOTS && !snapshotTaken) {
    snapshotTaken = true;
    console.log(`heap snapshot: ${await snapshot('after-warmup')}`);
  }
}
running = false;
await Promise.all(workers);
if (SNAPSHOTS) console.log(`heap snapshot: ${await snapshot('end')}`);

const steady = samples.filter((s) => s.minute * 60_000 >= WARMUP_MINUTES * 60_000);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const drift = (field: 'rssMb' | 'heapAfterGcMb' | 'redisKeys') => {
  const first = mean(steady.slice(0, 3).map((s) => s[field]));
  const lastOnes = mean(steady.slice(-3).map((s) => s[field]));
  const values = steady.map((s) => s[field]);
  return {
    first,
    last: lastOnes,
    change: first > 0 ? (lastOnes - first) / first : 0,
    min: Math.min(...values),
    max: Math.max(...values),
  };
};
console.log(
  `\nsteady state (after ${WARMUP_MINUTES} min): ${Math.round(mean(steady.map((s) => s.perSecond)))} requests/s, ` +
    `server at ${mean(steady.map((s) => s.serverCoreShare ?? 0)).toFixed(2)} of a core, ` +
    `${requests} requests in all, ${errors} errors${errorKinds.size ? ` (${[...errorKinds].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`,
);
console.log(
  `Redis keys at the end, by family: ${[...keyFamilies]
    .sort((a, b) => b[1] - a[1])
    .map(([family, n]) => `${family} ${n}`)
    .join(', ')}`,
);
const tables = await world.app.db.query<{
  relname: string;
  n_live_tup: string;
  seq_scan: string;
  seq_tup_read: string;
  idx_scan: string | null;
}>(
  `SELECT relname, n_live_tup, seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables
   ORDER BY seq_tup_read DESC, n_live_tup DESC LIMIT 8`,
);
console.log(
  `tables (rows, sequential scans, rows read by them, index scans): ${tables.rows
    .map(
      (t) =>
        `${t.relname} ${t.n_live_tup} / ${t.seq_scan} / ${t.seq_tup_read} / ${t.idx_scan ?? 0}`,
    )
    .join('; ')}`,
);
let flat = true;
for (const field of ['rssMb', 'heapAfterGcMb', 'redisKeys'] as const) {
  const d = drift(field);
  const ok = Math.abs(d.change) <= 0.1;
  flat &&= ok;
  console.log(
    `${field}: first ${d.first.toFixed(1)}, last ${d.last.toFixed(1)} (${(d.change * 100).toFixed(1)} %), ` +
      `range ${d.min.toFixed(1)}–${d.max.toFixed(1)}: ${ok ? 'flat' : 'NOT flat'}`,
  );
}
await pool.close();
await world.close();
process.exit(flat ? 0 : 1);
