/**
 * What 1,000 connected SSE receivers cost one Latchkey process (issue 14: < 50 MB more
 * memory), and how long a revocation takes to reach all of them. The receivers are plain
 * HTTP clients (node:http, one socket each) reading GET /ssf/events with one receiver
 * client's bearer token, counted as connected once their first heartbeat came (after the
 * replay). Memory is the server's after a full GC (bench/support/memory-probe.mjs over
 * IPC), before and after connecting them. Peer, same run and machine: as many idle
 * keep-alive HTTP connections (each made by one GET /healthz) to a fresh Latchkey process
 * of the same build, the baseline cost of a connection.
 * Run: npm run bench -- bench/sse-receivers.bench.ts  (needs Postgres and Redis)
 * Small: SSE_RECEIVERS=100 npm run bench -- bench/sse-receivers.bench.ts
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { Agent, request, type ClientRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { machine, pinToLoadCore, startBenchWorld } from './support/harness.js';
import {
  mintAccessTokens,
  percentiles,
  registerReceiver,
  revokeAccessToken,
  wallMs,
} from './support/ssf.js';

pinToLoadCore();
const RECEIVERS = Number(process.env.SSE_RECEIVERS ?? 1000);
const REVOCATIONS = Number(process.env.SSE_REVOCATIONS ?? 5);
/** Connections being made at once. */
const CONNECTING = 50;
const PROBE = fileURLToPath(new URL('./support/memory-probe.mjs', import.meta.url));

const openFiles = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout);
if (Number.isFinite(openFiles) && openFiles < RECEIVERS + 500)
  throw new Error(
    `ulimit -n is ${openFiles}: too few file descriptors for ${RECEIVERS} receivers ` +
      `(raise it: ulimit -n ${RECEIVERS * 2 + 1000})`,
  );

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** The server's memory after a full GC (its probe answers over IPC). */
function memoryOf(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string } & Memory) => {
      if (message.type !== 'memory') return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

/** Runs `make` for 0..count-1, `limit` at a time. */
async function inBatches(count: number, limit: number, make: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await make(next++);
    }),
  );
}

interface SseReceiver {
  request: ClientRequest;
  heartbeats: number;
  /** When each SET came (wall-clock ms), in order. */
  sets: number[];
  closed: boolean;
}

/** One SSE connection; resolves once its first heartbeat came (it is then current). */
function connectSse(url: string, bearer: string, agent: Agent): Promise<SseReceiver> {
  return new Promise((resolve, reject) => {
    const receiver: SseReceiver = {
      request: undefined as unknown as ClientRequest,
      heartbeats: 0,
      sets: [],
      closed: false,
    };
    const req = request(`${url}/ssf/events`, {
      agent,
      headers: { authorization: `Bearer ${bearer}`, accept: 'text/event-stream' },
    });
    receiver.request = req;
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`/ssf/events answered ${res.statusCode}`));
        res.resume();
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes('event: set\n')) receiver.sets.push(wallMs());
          else if (block.includes('event: heartbeat\n') && ++receiver.heartbeats === 1)
            resolve(receiver);
        }
      });
      res.on('close', () => (receiver.closed = true));
    });
    req.on('error', (error) => {
      receiver.closed = true;
      reject(error);
    });
    req.end();
  });
}

/** One idle keep-alive connection: a GET /healthz answered, the socket kept. */
function keepAliveConnection(url: string): Promise<{ agent: Agent; open: () => boolean }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        let open = true;
        req.socket?.once('close', () => (open = false));
        resolve({ agent, open: () => open });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const delta = (before: Memory, after: Memory) => ({
  rss: after.rss - before.rss,
  heapUsed: after.heapUsed - before.heapUsed,
  heapTotal: after.heapTotal - before.heapTotal,
  external: after.external - before.external,
});

const serverOptions = { serverNodeArgs: ['--expose-gc', '--import', PROBE], ipc: true };
const world = await startBenchWorld(serverOptions);
const receivers: SseReceiver[] = [];
try {
  const peerServer = await world.startServer(serverOptions);
  const { clientId, clientSecret } = await registerReceiver(world);
  const tokenRes = await fetch(`${world.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'ssf',
      resource: `${world.url}/ssf`,
    }),
  });
  const { access_token: bearer } = (await tokenRes.json()) as { access_token: string };
  const toRevoke = await mintAccessTokens(world, REVOCATIONS + 1);
  const sseAgent = new Agent({ keepAlive: false, maxSockets: Infinity });

  // Warm-up, not measured: a few receivers come and go, one revocation, healthz answered.
  const warm = await Promise.all(
    Array.from({ length: 10 }, () => connectSse(world.url, bearer, sseAgent)),
  );
  await revokeAccessToken(world.url, world.basic, toRevoke.pop()!);
  await sleep(500);
  for (const w of warm) w.request.destroy();
  for (let i = 0; i < 20; i++) {
    await (await fetch(`${world.url}/healthz`)).arrayBuffer();
    await (await fetch(`${peerServer.url}/healthz`)).arrayBuffer();
  }
  await sleep(1000);

  // Peer: idle keep-alive connections to a fresh process of the same build.
  const peerBefore = await memoryOf(peerServer.child);
  const idleStarted = Date.now();
  const idle: { agent: Agent; open: () => boolean }[] = [];
  // Quickly: Node closes a keep-alive connection idle for 5 s (server.keepAliveTimeout).
  await inBatches(RECEIVERS, 4 * CONNECTING, async () => {
    idle.push(await keepAliveConnection(peerServer.url));
  });
  const idleConnectSeconds = (Date.now() - idleStarted) / 1000;
  const peerAfter = await memoryOf(peerServer.child);
  const idleOpen = idle.filter((c) => c.open()).length;
  for (const c of idle) c.agent.destroy();
  await peerServer.stop();

  // SSE receivers on the world's process.
  const before = await memoryOf(world.server);
  const connectStarted = Date.now();
  await inBatches(RECEIVERS, CONNECTING, async () => {
    receivers.push(await connectSse(world.url, bearer, sseAgent));
  });
  const connectSeconds = (Date.now() - connectStarted) / 1000;
  await sleep(2500); // a heartbeat round for everyone
  const after = await memoryOf(world.server);

  // Revocations, one at a time: from the answer to the first, median and last receiver.
  const rounds: {
    first: number;
    p50: number;
    p99: number;
    all: number;
    allFromSent: number;
    missing: number;
  }[] = [];
  for (let round = 0; round < REVOCATIONS; round++) {
    const seen = receivers.map((r) => r.sets.length);
    const sentAt = wallMs();
    await revokeAccessToken(world.url, world.basic, toRevoke[round]!);
    const answeredAt = wallMs();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && receivers.some((r, i) => r.sets.length <= seen[i]!))
      await sleep(5);
    const reached = receivers
      .map((r, i) => r.sets[seen[i]!])
      .filter((at): at is number => at !== undefined)
      .map((at) => at - answeredAt);
    const p = percentiles(reached);
    rounds.push({
      first: Math.min(...reached),
      p50: p.p50,
      p99: p.p99,
      all: p.max,
      allFromSent: p.max + answeredAt - sentAt,
      missing: RECEIVERS - reached.length,
    });
    await sleep(200);
  }
  const stillOpen = receivers.filter((r) => !r.closed).length;

  const sse = delta(before, after);
  const peer = delta(peerBefore, peerAfter);
  console.log(
    `\nmachine: ${machine()}; server pinned to CPU 0, receivers in this process on CPU 1; ` +
      `memory after a full GC`,
  );
  console.log(
    `${RECEIVERS} SSE receivers connected in ${connectSeconds.toFixed(1)} s (${CONNECTING} at a time), ` +
      `${stillOpen} still open at the end; ${RECEIVERS} keep-alive connections in ` +
      `${idleConnectSeconds.toFixed(1)} s, ${idleOpen} still open when measured\n`,
  );
  console.log(
    '| connections | extra RSS | extra heap used | extra heap total | extra external | ' +
      'RSS per connection | heap used per connection |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${RECEIVERS} SSE receivers (/ssf/events) | ${mb(sse.rss)} MB | ${mb(sse.heapUsed)} MB | ` +
      `${mb(sse.heapTotal)} MB | ${mb(sse.external)} MB | ${kb(sse.rss / RECEIVERS)} KB | ` +
      `${kb(sse.heapUsed / RECEIVERS)} KB |`,
  );
  console.log(
    `| peer: ${RECEIVERS} idle keep-alive HTTP connections (/healthz), fresh process | ` +
      `${mb(peer.rss)} MB | ${mb(peer.heapUsed)} MB | ${mb(peer.heapTotal)} MB | ` +
      `${mb(peer.external)} MB | ${kb(peer.rss / RECEIVERS)} KB | ${kb(peer.heapUsed / RECEIVERS)} KB |`,
  );
  console.log(
    `\nserver RSS: ${mb(before.rss)} → ${mb(after.rss)} MB with the SSE receivers; ` +
      `peer process ${mb(peerBefore.rss)} → ${mb(peerAfter.rss)} MB (issue's aim: < 50 MB extra)\n`,
  );
  console.log(
    `| revocation (RFC 7009) → all ${RECEIVERS} receivers, ms after the answer | first | p50 | p99 | last | last, ms after the call was sent | missing |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  rounds.forEach((r, i) =>
    console.log(
      `| revocation ${i + 1} | ${r.first.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ` +
        `${r.all.toFixed(1)} | ${r.allFromSent.toFixed(1)} | ${r.missing} |`,
    ),
  );
  if (idleOpen < RECEIVERS)
    console.log(
      `\nWARNING: only ${idleOpen} of ${RECEIVERS} keep-alive connections were open when ` +
        'measured (idle ones close after 5 s): the peer row undercounts.',
    );
  console.log(
    '\nNegative times: the receivers had the SET before this process read the revoking answer.',
  );
} finally {
  for (const r of receivers) r.request.destroy();
  await world.close();
}
