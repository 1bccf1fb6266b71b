/**
 * Benchmark harness: a Latchkey server process pinned to CPU 0 (taskset), real Postgres
 * and Redis, and a load generator in this process pinned to CPU 1. Loops are bounded in
 * count and time and only ever target 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { s256 } from '../../src/tokens/oauth-service.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../test/support/services.js';
import { freePort } from '../../test/support/tcp-proxy.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The platform admin and request context the bench seeds its world with. */
export const platform = { scope: 'platform:admin' as const, keyId: 'bench' };
export const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'bench' };
const REDIRECT = 'http://127.0.0.1:9/cb';
export const AUDIENCE = 'https://ads-api.example';

/** Re-runs this script pinned to CPU 1 (the load generator's core) unless it already is. */
export function pinToLoadCore(): void {
  if (process.env.BENCH_PINNED || !hasTaskset()) return;
  const result = spawnSync(
    'taskset',
    ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_PINNED: '1' },
    },
  );
  process.exit(result.status ?? 1);
}

const hasTaskset = () => spawnSync('taskset', ['--version']).status === 0;

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export interface BenchWorld {
  url: string;
  app: App;
  client: { id: string; secret: string };
  basic: string;
  orgId: string;
  userId: string;
  connectionId: string;
  redis: TestRedis;
  database: TestDatabase;
  /**
   * CPU time the server process has used so far (user + system, ms; Linux /proc), or null
   * elsewhere. Per request, it shows the cost of a request even when other processes
   * share CPU 0 and the req/s figure drops with them.
   */
  serverCpuMs(): number | null;
  /** The server process (for a probe's IPC channel). */
  server: ChildProcess;
  /**
   * Another server process on CPU 0 beside the first: the same database, Redis prefix,
   * keys and issuer (the first one's URL), its own port. Stopped by close() if not before.
   */
  startServer(options?: ServerOptions): Promise<ExtraServer>;
  /** A fresh session with tokens from a real code flow. */
  signIn(): Promise<{ sessionId: string; access_token: string; refresh_token: string }>;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Extra node flags for the server process (e.g. --expose-gc, --import a probe). */
  serverNodeArgs?: string[];
  /** An IPC channel to the server process (for a probe loaded with serverNodeArgs). */
  ipc?: boolean;
  /** Extra environment for the server process (configuration overrides). */
  serverEnv?: Record<string, string>;
}

export interface ExtraServer {
  url: string;
  child: ChildProcess;
  /** CPU time the process has used so far (ms), or null off Linux. */
  cpuMs(): number | null;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Seeds an org, a user and a confidential client through the services, then starts the
 * server process on CPU 0 against the same database, Redis prefix and keys.
 */
export async function startBenchWorld(options: ServerOptions = {}): Promise<BenchWorld> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const keysDir = await mkdtemp(path.join(tmpdir(), 'latchkey-bench-keys-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    LATCHKEY_REDIS_KEY_PREFIX: redis.keyPrefix,
    LATCHKEY_KEYS_DIR: keysDir,
    LATCHKEY_SERVER_ISSUER: url,
    LATCHKEY_SERVER_PORT: String(port),
    // Every server process a free management port of its own (/metrics, /slo).
    LATCHKEY_MANAGEMENT_PORT: '0',
    LATCHKEY_SESSIONS_COOKIE_NAME: 'latchkey',
    LATCHKEY_LOG_LEVEL: 'warn',
  };
  const app = await buildApp(loadConfig({ env }), { logger: createLogger({ level: 'warn' }) });
  const org = await app.orgs.create({ slug: 'bench', name: 'Bench' }, platform, ctx);
  const connectionId = randomUUID();
  await app.db.query(
    `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
     VALUES ($1, $2, 'oidc', 'bench', 'active', '{}', now(), now())`,
    [connectionId, org.id],
  );
  const { user } = await app.users.provisionFromIdentity(
    {
      orgId: org.id,
      connectionId,
      subject: 'bench-user',
      email: 'bench@bench.test',
      emailVerified: true,
      name: 'Bench',
    },
    ctx,
  );
  const created = await app.clients.create(
    {
      name: 'bench',
      type: 'confidential',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      allowed_audiences: [AUDIENCE],
      allowed_scopes: ['openid', 'email', 'offline_access', 'reports:read'],
    },
    platform,
    ctx,
  );
  const client = { id: created.client.id, secret: created.secret! };
  const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;

  const dist = path.join(ROOT, 'dist/src/main.js');
  const profile = process.env.BENCH_CPU_PROF
    ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  /** A server process on CPU 0 listening on `listenPort`, once it is ready. */
  const spawnServer = async (listenPort: number, serverOptions: ServerOptions) => {
    const entry = [
      ...profile,
      ...(serverOptions.serverNodeArgs ?? []),
      ...(existsSync(dist) ? [dist] : ['--import', 'tsx', path.join(ROOT, 'src/main.ts')]),
    ];
    const [command, ...args] = pinnedToServerCore(entry);
    const child: ChildProcess = spawn(command, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        LATCHKEY_SERVER_PORT: String(listenPort),
        ...serverOptions.serverEnv,
      },
      stdio: serverOptions.ipc
        ? ['ignore', 'ignore', 'inherit', 'ipc']
        : ['ignore', 'ignore', 'inherit'],
    });
    const childUrl = `http://127.0.0.1:${listenPort}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${childUrl}/readyz`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (i > 300 || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error('the server did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return child;
  };
  const server = await spawnServer(port, options);
  const others: ChildProcess[] = [];
  const stopServer = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };

  const signIn = async () => {
    const { token, session } = await app.sessions.open(
      {
        userId: user.id,
        orgId: org.id,
        connectionId,
        amr: ['pwd'],
        policy: {
          idleTimeoutSeconds: 3600,
          absoluteLifetimeSeconds: 43_200,
          maxSessionsPerUser: 1000,
        },
      },
      ctx,
    );
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${url}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      client_id: client.id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid email',
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
    }))
      authorize.searchParams.set(k, v);
    const res = await fetch(authorize, {
      headers: { cookie: `latchkey=${token}` },
      redirect: 'manual',
    });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (
      await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT,
        }),
      })
    ).json()) as { access_token: string; refresh_token: string };
    return { sessionId: session.id, ...tokens };
  };

  return {
    url,
    app,
    client,
    basic,
    serverCpuMs: () => processCpuMs(server.pid),
    server,
    async startServer(serverOptions = {}) {
      const otherPort = await freePort();
      const child = await spawnServer(otherPort, serverOptions);
      others.push(child);
      return {
        url: `http://127.0.0.1:${otherPort}`,
        child,
        cpuMs: () => processCpuMs(child.pid),
        stop: () => stopServer(child),
      };
    },
    orgId: org.id,
    userId: user.id,
    connectionId,
    redis,
    database,
    signIn,
    async close() {
      await Promise.all([server, ...others].map(stopServer));
      await app.close();
      await database.drop();
      await redis.cleanup();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

/**
 * The command that runs node with `nodeArgs` on CPU 0 (the servers' core), as every
 * server under load runs, or unpinned where taskset is missing.
 */
export function pinnedToServerCore(nodeArgs: string[]): [string, ...string[]] {
  return hasTaskset()
    ? ['taskset', '-c', '0', process.execPath, ...nodeArgs]
    : [process.execPath, ...nodeArgs];
}

/** utime + stime of a process, from /proc/<pid>/stat (clock ticks of 10 ms on Linux). */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  return cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU time (ms) used so far by every live process whose command name starts with each of
 * `names` (e.g. 'postgres', 'redis-server'), read in one pass over /proc; null off Linux.
 * Processes that ended between two readings drop out, so a delta is a lower bound when
 * backends come and go.
 */
export function processesCpuMs<N extends string>(names: readonly N[]): Record<N, number> | null {
  if (!existsSync('/proc/self/stat')) return null;
  const totals = Object.fromEntries(names.map((name) => [name, 0])) as Record<N, number>;
  forEachProcessStat((_pid, stat) => {
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const name = names.find((n) => comm.startsWith(n));
    if (name !== undefined) totals[name] += cpuMsOfStat(stat) ?? 0;
  });
  return totals;
}

/**
 * The CPU time (ms) each process of one PostgreSQL server has used so far: its postmaster
 * and every process the postmaster started (backends, WAL writer, checkpointer…), found
 * from a backend's pid (`SELECT pg_backend_pid()` on a connection to that server). Other
 * clusters on the machine do not count. Take one at each end of a window and subtract with
 * postgresCpuBetween. Null off Linux.
 */
export function postgresServerCpu(backendPid: number): Map<number, number> | null {
  const parentOf = (stat: string) => Number(statFields(stat)[1]);
  if (!existsSync(`/proc/${backendPid}/stat`)) return null;
  const postmaster = parentOf(readFileSync(`/proc/${backendPid}/stat`, 'utf8'));
  const perProcess = new Map<number, number>();
  forEachProcessStat((pid, stat) => {
    if (pid === postmaster || parentOf(stat) === postmaster)
      perProcess.set(pid, cpuMsOfStat(stat) ?? 0);
  });
  return perProcess;
}

/**
 * CPU (ms) a PostgreSQL server used between two readings of postgresServerCpu: what each
 * process alive at the end used since the first reading (all of it, for a process started
 * meanwhile). A backend that ended in between takes its share with it, so this is a lower
 * bound when connections close during the window (the benches' pools keep theirs).
 */
export function postgresCpuBetween(
  start: Map<number, number> | null,
  end: Map<number, number> | null,
): number {
  if (!start || !end) return NaN;
  let total = 0;
  for (const [pid, ms] of end) total += ms - (start.get(pid) ?? 0);
  return total;
}

/** Each live process's pid and /proc/<pid>/stat, in one pass over /proc (Linux). */
function forEachProcessStat(visit: (pid: number, stat: string) => void): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended while we looked
    }
    visit(Number(entry), stat);
  }
}

/** A stat line's fields after the parenthesised command name (which may hold spaces). */
const statFields = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

function cpuMsOfStat(stat: string): number | null {
  const fields = statFields(stat);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : null;
}

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** Server CPU per measured request (ms), when the caller gave serverCpuMs. */
  serverCpuMsPerRequest: number | null;
  /** Busy CPU of the whole machine over the measured window, in cores (of machineCores). */
  machineBusyCores: number | null;
}

/** Busy and total jiffies of all CPUs together, from /proc/stat (Linux only). */
function machineJiffies(): { busy: number; total: number } | null {
  if (!existsSync('/proc/stat')) return null;
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Closed-loop load: `connections` workers each send one request at a time for
 * `seconds` (after `warmupSeconds` not counted). Every response must pass `check`.
 */
export async function runLoad(options: {
  name: string;
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
  request: (worker: number) => {
    path: string;
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: string;
  };
  check: (status: number, body: string, worker: number) => boolean;
  serverCpuMs?: () => number | null;
  /**
   * Called as the measured window opens and as it closes (after the last response), for
   * readings of the same window (e.g. database CPU and the events written).
   */
  onWindow?: (edge: 'start' | 'end') => void;
}): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  const histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let requests = 0;
  let errors = 0;
  let measuring = false;
  const warmupMs = (options.warmupSeconds ?? 2) * 1000;
  const startedAt = Date.now();
  const endAt = startedAt + warmupMs + options.seconds * 1000;
  let cpuAtStart: number | null = null;
  let machineAtStart: { busy: number; total: number } | null = null;
  setTimeout(() => {
    measuring = true;
    cpuAtStart = options.serverCpuMs?.() ?? null;
    machineAtStart = machineJiffies();
    options.onWindow?.('start');
  }, warmupMs).unref();

  const worker = async (id: number) => {
    while (Date.now() < endAt) {
      const req = options.request(id);
      const t0 = process.hrtime.bigint();
      let ok: boolean;
      try {
        const res = await pool.request({ origin: options.url, ...req });
        const body = await res.body.text();
        ok = options.check(res.statusCode, body, id);
      } catch {
        ok = false;
      }
      const micros = Number(process.hrtime.bigint() - t0) / 1000;
      if (measuring) {
        requests += 1;
        if (!ok) errors += 1;
        histogram.recordValue(Math.max(1, Math.round(micros)));
      }
    }
  };
  const measureStart = startedAt + warmupMs;
  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  const seconds = (Date.now() - measureStart) / 1000;
  const cpuAtEnd = options.serverCpuMs?.() ?? null;
  const machineAtEnd = machineJiffies();
  options.onWindow?.('end');
  // Assigned by the warm-up timer (TypeScript cannot see that it ran).
  const machineFrom = machineAtStart as { busy: number; total: number } | null;
  await pool.close();
  const cores = cpus().length;
  return {
    name: options.name,
    requests,
    errors,
    seconds,
    perSecond: Math.round(requests / seconds),
    p50ms: histogram.getValueAtPercentile(50) / 1000,
    p99ms: histogram.getValueAtPercentile(99) / 1000,
    serverCpuMsPerRequest:
      cpuAtStart !== null && cpuAtEnd !== null && requests > 0
        ? (cpuAtEnd - cpuAtStart) / requests
        : null,
    machineBusyCores:
      machineFrom !== null && machineAtEnd !== null
        ? (cores * (machineAtEnd.busy - machineFrom.busy)) /
          Math.max(1, machineAtEnd.total - machineFrom.total)
        : null,
  };
}

export function report(results: LoadResult[]): void {
  console.log(`\nmachine: ${machine()}; server pinned to CPU 0, load generator on CPU 1\n`);
  console.log('| benchmark | req/s | p50 ms | p99 ms | requests | errors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.perSecond} | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${r.requests} | ${r.errors} |`,
    );
  }
  for (const r of results) {
    const parts: string[] = [];
    if (r.serverCpuMsPerRequest !== null)
      parts.push(
        `${r.serverCpuMsPerRequest.toFixed(2)} ms of server CPU per request ` +
          `(about ${Math.round(1000 / r.serverCpuMsPerRequest)}/s for a core of its own)`,
      );
    if (r.machineBusyCores !== null)
      parts.push(
        `machine busy ${r.machineBusyCores.toFixed(2)} of ${cpus().length} cores ` +
          `(server, load generator, Postgres and Redis together)`,
      );
    if (parts.length) console.log(`\n${r.name}: ${parts.join('; ')}`);
  }
}

/** A server under load: its URL, a client's Basic credentials and the server's CPU. */
export type LoadTarget = Pick<BenchWorld, 'url' | 'basic' | 'serverCpuMs'>;

/** The form body and headers of a client's request to the bench world's server. */
export function formRequest(
  world: Pick<BenchWorld, 'basic'>,
  path: string,
  fields: Record<string, string>,
) {
  return {
    path,
    method: 'POST' as const,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: world.basic,
    },
    body: new URLSearchParams(fields).toString(),
  };
}

/**
 * Introspection of live access tokens, each connection checking its own over and over:
 * `accessTokens` (one a connection) or, by default, one signed-in session a connection.
 */
export async function introspectionLoad(
  target: LoadTarget & Partial<Pick<BenchWorld, 'signIn'>>,
  name: string,
  connections: number,
  seconds: number,
  accessTokens?: string[],
) {
  const tokens =
    accessTokens ??
    (
      await Promise.all(
        Array.from({ length: connections }, () => {
          if (!target.signIn) throw new Error('introspectionLoad needs tokens or signIn');
          return target.signIn();
        }),
      )
    ).map((session) => session.access_token);
  return runLoad({
    name,
    url: target.url,
    connections,
    seconds,
    request: (w) => formRequest(target, '/oauth/introspect', { token: tokens[w]! }),
    serverCpuMs: () => target.serverCpuMs(),
    check: (status, body) => status === 200 && body.startsWith('{"active":true'),
  });
}

/**
 * Client credentials grants of the target's client (on Latchkey, one audit event each);
 * `fields` adds request parameters (e.g. a `resource`).
 */
export function clientCredentialsLoad(
  target: LoadTarget,
  name: string,
  connections: number,
  seconds: number,
  options: { fields?: Record<string, string>; onWindow?: (edge: 'start' | 'end') => void } = {},
) {
  return runLoad({
    name,
    url: target.url,
    connections,
    seconds,
    request: () =>
      formRequest(target, '/oauth/token', {
        grant_type: 'client_credentials',
        scope: 'reports:read',
        ...options.fields,
      }),
    serverCpuMs: () => target.serverCpuMs(),
    ...(options.onWindow ? { onWindow: options.onWindow } : {}),
    check: (status) => status === 200,
  });
}

/**
 * Refresh-token rotation: each connection walks its own chain from `refreshTokens` (one a
 * connection), always presenting the newest. With `scope`, each refresh asks for that
 * narrower scope (RFC 6749 §6); `idToken` says whether every answer must carry an ID
 * token or none may.
 */
export function refreshRotationLoad(
  target: LoadTarget,
  name: string,
  connections: number,
  seconds: number,
  options: {
    refreshTokens: string[];
    scope?: string;
    idToken?: boolean;
    onWindow?: (edge: 'start' | 'end') => void;
  },
) {
  const chains = [...options.refreshTokens];
  return runLoad({
    name,
    url: target.url,
    connections,
    seconds,
    request: (w) =>
      formRequest(target, '/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: chains[w]!,
        ...(options.scope ? { scope: options.scope } : {}),
      }),
    serverCpuMs: () => target.serverCpuMs(),
    ...(options.onWindow ? { onWindow: options.onWindow } : {}),
    check: (status, body, w) => {
      if (status !== 200) return false;
      const answer = JSON.parse(body) as { refresh_token?: string; id_token?: string };
      if (!answer.refresh_token) return false;
      chains[w] = answer.refresh_token;
      return options.idToken === undefined || options.idToken === (answer.id_token !== undefined);
    },
  });
}
