/**
 * The audit trail's write path at a fixed rate (issue 16: ≤ 60 µs of PostgreSQL CPU per
 * event at 5,000 events/s). For BENCH_SECONDS (after 2 s of warm-up), this process offers
 * BENCH_AUDIT_RATE events a second (open loop: each millisecond it appends what the clock
 * says is due, whatever is still in flight) through the audit log's append(), as the token
 * endpoint does for every grant: group-committed per chain, hash-chained, durable before it
 * resolves; the server process started beside it relays them to the Redis stream as usual.
 * Two shapes: client-credentials grants (platform chain, no org) and refresh grants (an
 * org's chain, naming the user and session, with more indexes to keep).
 *
 * The peer, at the same offered rate on the same PostgreSQL in the same run: the events
 * table Keycloak writes when event storage is on (EVENT_ENTITY, its columns and its
 * (realm_id, event_time) index), one INSERT in its own transaction per event through a pool
 * of the same size: no chain, no outbox, no relay.
 *
 * Figures: events written and per second, append latency (p50, p99), PostgreSQL CPU per
 * event (utime + stime of the bench database's server: its postmaster and every process
 * it started, over the window), WAL bytes per event, and this process's CPU per event.
 * Run: npm run build && npm run bench -- bench/audit-append.bench.ts (Postgres and Redis as
 * for the tests; for PostgreSQL figures undisturbed by other databases, point
 * TEST_DATABASE_URL at a server of the bench's own).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readRelayBacklog, type AuditEventInput } from '../src/audit/index.js';
import {
  machine,
  pinToLoadCore,
  postgresCpuBetween,
  postgresServerCpu,
  startBenchWorld,
} from './support/harness.js';

pinToLoadCore();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const RATE = Number(process.env.BENCH_AUDIT_RATE ?? 5000);

interface Result {
  name: string;
  events: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  postgresUsPerEvent: number;
  walBytesPerEvent: number;
  writerUsPerEvent: number;
  failed: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;

/**
 * Offers RATE writes a second for warm-up + SECONDS. Over the window after warm-up: the
 * writes completed in it (and so the rate), the CPU and WAL it took; the latency of every
 * write issued in it, waited for to the end (a writer that falls behind shows as queueing).
 */
async function offer(
  name: string,
  admin: pg.Client,
  backendPid: number,
  write: (n: number) => Promise<unknown>,
): Promise<Result> {
  const latencies: number[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let failed = 0;
  let issued = 0;
  let completedInWindow = 0;
  let phase: 'warm-up' | 'window' | 'closed' = 'warm-up';
  const wal = async () =>
    Number(
      (await admin.query<{ b: string }>("SELECT pg_current_wal_lsn() - '0/0' AS b")).rows[0]!.b,
    );
  const reading = async () => ({
    at: performance.now(),
    cpu: postgresServerCpu(backendPid),
    wal: await wal(),
    writer: process.cpuUsage(),
  });
  const startedAt = performance.now();
  let opened: Awaited<ReturnType<typeof reading>> | null = null;
  for (;;) {
    const elapsed = performance.now() - startedAt;
    if (elapsed >= (WARMUP_SECONDS + SECONDS) * 1000) break;
    if (phase === 'warm-up' && elapsed >= WARMUP_SECONDS * 1000) {
      phase = 'window';
      opened = await reading();
    }
    const due = Math.floor((elapsed / 1000) * RATE);
    for (; issued < due; issued += 1) {
      const at = performance.now();
      const timed = phase === 'window';
      const p = write(issued).then(
        () => {
          if (phase === 'window') completedInWindow += 1;
          if (timed) latencies.push(performance.now() - at);
        },
        () => (failed += 1),
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  phase = 'closed';
  const closed = await reading();
  const completed = completedInWindow;
  await Promise.all(inFlight);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    name,
    events: completed,
    perSecond: Math.round(completed / ((closed.at - opened!.at) / 1000)),
    p50ms: percentile(sorted, 0.5),
    p99ms: percentile(sorted, 0.99),
    postgresUsPerEvent: (postgresCpuBetween(opened!.cpu, closed.cpu) * 1000) / completed,
    walBytesPerEvent: (closed.wal - opened!.wal) / completed,
    writerUsPerEvent:
      (closed.writer.user - opened!.writer.user + closed.writer.system - opened!.writer.system) /
      completed,
    failed,
  };
}

const world = await startBenchWorld();
const admin = new pg.Client({ connectionString: world.database.url });
await admin.connect();
// Never closes an idle connection: a backend that ends takes its CPU time with it.
const peerPool = new pg.Pool({
  connectionString: world.database.url,
  max: 10,
  idleTimeoutMillis: 0,
});
try {
  const backendPid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!
    .pid;
  // Keycloak's EVENT_ENTITY (model/jpa changelogs) and its IDX_EVENT_TIME.
  await admin.query(`CREATE TABLE peer_event_entity (
    id varchar(36) PRIMARY KEY, client_id varchar(255), details_json text, error varchar(255),
    ip_address varchar(255), realm_id varchar(255), session_id varchar(255),
    event_time bigint, type varchar(255), user_id varchar(255), details_json_long_value text)`);
  await admin.query('CREATE INDEX idx_event_time ON peer_event_entity (realm_id, event_time)');

  const { app, client, orgId, userId } = world;
  const clientCredentials = (): AuditEventInput => ({
    type: 'token.issued',
    orgId: null,
    actor: { type: 'client', id: client.id },
    target: { type: 'client', id: client.id },
    context: { requestId: randomUUID(), ip: '127.0.0.1', userAgent: 'bench' },
    data: {
      grant_type: 'client_credentials',
      client_id: client.id,
      jti: randomUUID(),
      scope: 'reports:read',
      audience: ['https://ads-api.example'],
    },
  });
  const refresh = (): AuditEventInput => {
    const sid = randomUUID();
    return {
      type: 'token.issued',
      orgId,
      actor: { type: 'client', id: client.id },
      target: { type: 'session', id: sid },
      context: { requestId: randomUUID(), ip: '127.0.0.1', userAgent: 'bench' },
      data: {
        grant_type: 'refresh_token',
        client_id: client.id,
        sid,
        user_id: userId,
        jti: randomUUID(),
        scope: 'openid email',
        refresh_token_issued: true,
        id_token_issued: true,
      },
    };
  };
  const peerWrite = (event: AuditEventInput) =>
    peerPool.query(
      `INSERT INTO peer_event_entity (id, client_id, details_json, error, ip_address, realm_id,
         session_id, event_time, type, user_id) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9)`,
      [
        randomUUID(),
        event.actor.id,
        JSON.stringify(event.data),
        event.context?.ip,
        event.orgId ?? 'master',
        event.target?.type === 'session' ? event.target.id : null,
        Date.now(),
        'REFRESH_TOKEN',
        (event.data?.user_id as string | undefined) ?? null,
      ],
    );

  /** Until the relay has sent everything: its work belongs to the run that wrote it. */
  const drained = async () => {
    for (let i = 0; i < 300 && (await readRelayBacklog(app.db)).events > 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
  };
  const results: Result[] = [];
  for (const [shape, make] of [
    ['client credentials (platform chain)', clientCredentials],
    ['refresh (org chain, user and session)', refresh],
  ] as const) {
    results.push(
      await offer(`Latchkey audit append, ${shape}`, admin, backendPid, () =>
        app.audit.append(make()),
      ),
    );
    await drained();
    results.push(
      await offer(`peer: Keycloak-style event row, ${shape}`, admin, backendPid, () =>
        peerWrite(make()),
      ),
    );
  }

  console.log(
    `\nmachine: ${machine()}; offered ${RATE} events/s for ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured (open loop)`,
  );
  console.log(
    '\n| writer | events/s | p50 | p99 | PostgreSQL CPU / event | WAL / event | writer CPU / event |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.name} | ${r.perSecond}${r.failed ? ` (${r.failed} failed)` : ''} | ${r.p50ms.toFixed(1)} ms | ${r.p99ms.toFixed(1)} ms | ${r.postgresUsPerEvent.toFixed(0)} µs | ${Math.round(r.walBytesPerEvent)} B | ${r.writerUsPerEvent.toFixed(0)} µs |`,
    );
  console.log(
    '\n(Latchkey: one hash-chained event per grant, durable before append() resolves, relayed to the Redis stream by the server process; aim ≤ 60 µs of PostgreSQL CPU per event)',
  );
} finally {
  await peerPool.end();
  await admin.end();
  await world.close();
}
