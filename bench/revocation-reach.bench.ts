/**
 * How soon a revocation reaches the services (issue 14): 3 Latchkey processes (one
 * database, Redis and key set), 3 @latchkey/validator processes over SSE and 3 polling the
 * JSON feed (every 1 s), each connected to a different Latchkey process with a receiver
 * client's credentials (no Redis access). Access tokens are revoked one after another
 * (RFC 7009, /oauth/revoke) round-robin over the Latchkey processes; for each revocation
 * and validator, the time from the revoking call's answer to the validator's
 * onRevocation listener (from then on verify() answers token_revoked). Peer, same run and
 * machine: raw Redis PUBLISH → SUBSCRIBE to 3 subscriber processes, from PUBLISH's reply
 * to each subscriber's receipt, for as many messages at the same pace: the floor a
 * fan-out through Redis (the pub/sub path being removed) could reach.
 * Run: npm run bench -- bench/revocation-reach.bench.ts  (needs Postgres and Redis)
 * Small: REACH_REVOCATIONS=20 npm run bench -- bench/revocation-reach.bench.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { AUDIENCE, machine, pinToLoadCore, startBenchWorld } from './support/harness.js';
import {
  jtiOf,
  mintAccessTokens,
  percentiles,
  registerReceiver,
  revokeAccessToken,
  wallMs,
} from './support/ssf.js';

pinToLoadCore();
const REVOCATIONS = Number(process.env.REACH_REVOCATIONS ?? 200);
/** Pause between two revocations (they are issued one at a time). */
const SPACING_MS = Number(process.env.REACH_SPACING_MS ?? 25);
const POLL_INTERVAL_MS = 1000;
/** Which validators run (together): REACH_DELIVERIES=sse for the SSE ones only. */
const DELIVERIES = (process.env.REACH_DELIVERIES ?? 'sse,poll')
  .split(',')
  .filter((d): d is 'sse' | 'poll' => d === 'sse' || d === 'poll');
const PROCESSES = 3;
/** Revocations per Latchkey process before the measured ones (client cache, JIT). */
const WARMUP = 5;
const RECEIVER = fileURLToPath(new URL('./support/reach-receiver.ts', import.meta.url));

interface Receiver {
  name: string;
  child: ChildProcess;
  /** The Latchkey process it is connected to (index), or null (Redis). */
  server: number | null;
  /** When it heard each revocation (jti) or message (id), wall-clock ms. */
  heard: Map<string, number>;
  ready: Promise<Record<string, unknown>>;
  next(type: string): Promise<Record<string, unknown>>;
}

function startReceiver(name: string, server: number | null, config: unknown): Receiver {
  // On the load core with this process (taskset's affinity is inherited).
  const child = fork(RECEIVER, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const heard = new Map<string, number>();
  const waiting = new Map<string, (message: Record<string, unknown>) => void>();
  child.on('message', (message: Record<string, unknown>) => {
    if (message.type === 'revoked') heard.set(message.jti as string, message.atMs as number);
    else if (message.type === 'received') heard.set(message.id as string, message.atMs as number);
    else waiting.get(message.type as string)?.(message);
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const exited = () => reject(new Error(`${name} exited`));
      child.once('exit', exited);
      waiting.set(type, (message) => {
        child.off('exit', exited);
        waiting.delete(type);
        resolve(message);
      });
    });
  return { name, child, server, heard, ready: next('ready'), next };
}

async function stopReceivers(receivers: Receiver[]) {
  await Promise.all(
    receivers.map(async (r) => {
      if (r.child.exitCode !== null) return;
      const exited = new Promise((resolve) => r.child.once('exit', resolve));
      r.child.send({ type: 'close' });
      await Promise.race([exited, sleep(5000).then(() => r.child.kill('SIGKILL'))]);
    }),
  );
}

/** Waits until every receiver heard every id, or the deadline. */
async function heardAll(receivers: Receiver[], ids: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (receivers.every((r) => ids.every((id) => r.heard.has(id)))) return;
    await sleep(50);
  }
}

type Row = [string, number[], number];
const fmt = (ms: number) => (Number.isNaN(ms) ? '–' : ms.toFixed(1));
function printRows(title: string, rows: Row[]) {
  console.log(`\n${title}\n`);
  console.log('| path | samples | p50 ms | p95 ms | p99 ms | max ms | missing |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, values, missing] of rows) {
    const p = percentiles(values);
    console.log(
      `| ${name} | ${p.n} | ${fmt(p.p50)} | ${fmt(p.p95)} | ${fmt(p.p99)} | ${fmt(p.max)} | ${missing} |`,
    );
  }
}

const world = await startBenchWorld();
const receivers: Receiver[] = [];
try {
  const servers = [world.url];
  for (let i = 1; i < PROCESSES; i++) servers.push((await world.startServer()).url);
  const { clientId, clientSecret } = await registerReceiver(world);
  const minted = await mintAccessTokens(world, REVOCATIONS + WARMUP * PROCESSES);
  const warmup = minted.slice(REVOCATIONS);
  const tokens = minted.slice(0, REVOCATIONS);
  const jtis = tokens.map(jtiOf);

  for (const delivery of DELIVERIES)
    servers.forEach((target, server) =>
      receivers.push(
        startReceiver(`${delivery} validator → Latchkey ${server + 1}`, server, {
          mode: 'validator',
          issuer: world.url,
          target,
          audience: AUDIENCE,
          clientId,
          clientSecret,
          delivery,
          pollIntervalMs: POLL_INTERVAL_MS,
        }),
      ),
    );
  const ready = await Promise.all(receivers.map((r) => r.ready));
  const form = ready[0]!.form as string;

  // Every validator accepts every token before it is revoked (first verifications).
  const check = async () =>
    Promise.all(
      receivers.map(async (r) => {
        const answer = r.next('checked');
        r.child.send({ type: 'check', tokens });
        return (await answer).codes as Record<string, number>;
      }),
    );
  const before = await check();
  if (!before.every((codes) => codes.ok === tokens.length))
    throw new Error(`not every token was accepted before revocation: ${JSON.stringify(before)}`);

  // Warm-up, not measured: each process authenticates the client once (then caches it).
  for (let i = 0; i < warmup.length; i++)
    await revokeAccessToken(servers[i % PROCESSES]!, world.basic, warmup[i]!);
  await heardAll(receivers, warmup.map(jtiOf), 3 * POLL_INTERVAL_MS + 10_000);

  // The revocations, one at a time, round-robin over the Latchkey processes.
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    sentAt[i] = wallMs();
    await revokeAccessToken(servers[i % PROCESSES]!, world.basic, tokens[i]!);
    answeredAt[i] = wallMs();
    await sleep(SPACING_MS);
  }
  await heardAll(receivers, jtis, 3 * POLL_INTERVAL_MS + 10_000);
  const after = await check();
  const rejected = after.map((codes) => codes.token_revoked ?? 0);

  const reach = (delivery: string, filter: (server: number, revocation: number) => boolean) => {
    const fromAnswer: number[] = [];
    const fromSent: number[] = [];
    let missing = 0;
    for (const r of receivers.filter((x) => x.name.startsWith(delivery))) {
      jtis.forEach((jti, i) => {
        if (!filter(r.server!, i)) return;
        const at = r.heard.get(jti);
        if (at === undefined) missing += 1;
        else {
          fromAnswer.push(at - answeredAt[i]!);
          fromSent.push(at - sentAt[i]!);
        }
      });
    }
    return { fromAnswer, fromSent, missing };
  };
  // Which validator missed which revocation (never heard it on its feed).
  const misses = receivers.flatMap((r) =>
    jtis.flatMap((jti, i) =>
      r.heard.has(jti)
        ? []
        : [`${r.name} missed #${i + 1} (revoked on Latchkey ${(i % PROCESSES) + 1})`],
    ),
  );
  const all = () => true;
  const sse = reach('sse', all);
  const sseSame = reach('sse', (server, i) => server === i % PROCESSES);
  const sseOther = reach('sse', (server, i) => server !== i % PROCESSES);
  const poll = reach('poll', all);
  await stopReceivers(receivers.splice(0));

  // Peer: raw Redis PUBLISH → SUBSCRIBE, 3 subscriber processes, same count and pace.
  const channel = `${world.redis.keyPrefix}bench-reach`;
  const subscribers = Array.from({ length: PROCESSES }, (_, i) =>
    startReceiver(`redis subscriber ${i + 1}`, null, {
      mode: 'redis',
      redisUrl: world.redis.url,
      channel,
    }),
  );
  receivers.push(...subscribers);
  await Promise.all(subscribers.map((s) => s.ready));
  const publisher = new Redis(world.redis.url);
  const published: { sent: number; answered: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const sent = wallMs();
    await publisher.publish(channel, String(i));
    published.push({ sent, answered: wallMs() });
    await sleep(SPACING_MS);
  }
  const ids = published.map((_, i) => String(i));
  await heardAll(subscribers, ids, 10_000);
  publisher.disconnect();
  const redisFromAnswer: number[] = [];
  const redisFromSent: number[] = [];
  let redisMissing = 0;
  for (const s of subscribers)
    ids.forEach((id, i) => {
      const at = s.heard.get(id);
      if (at === undefined) redisMissing += 1;
      else {
        redisFromAnswer.push(at - published[i]!.answered);
        redisFromSent.push(at - published[i]!.sent);
      }
    });
  await stopReceivers(receivers.splice(0));

  console.log(
    `\nmachine: ${machine()}; ${PROCESSES} Latchkey processes on CPU 0, validators, ` +
      `subscribers and the revoking client on CPU 1; @latchkey/validator from ${form}`,
  );
  console.log(
    `${tokens.length} access tokens revoked (RFC 7009) one at a time, ${SPACING_MS} ms apart, ` +
      `round-robin over the ${PROCESSES} processes (after ${WARMUP} each not measured); each heard by ${PROCESSES} validators ` +
      `of each kind (${DELIVERIES.join(', ')}; one per process, all running together)`,
  );
  const calls = answeredAt.map((at, i) => at - sentAt[i]!);
  printRows('Reach: from the revoking call’s answer to the validator’s onRevocation', [
    ['SSE, all validators', sse.fromAnswer, sse.missing],
    ['SSE, validator on the revoking process', sseSame.fromAnswer, sseSame.missing],
    ['SSE, validator on another process', sseOther.fromAnswer, sseOther.missing],
    [`poll (JSON feed every ${POLL_INTERVAL_MS} ms)`, poll.fromAnswer, poll.missing],
    ['peer: Redis PUBLISH → SUBSCRIBE (3 subscriber processes)', redisFromAnswer, redisMissing],
  ]);
  printRows('The same, from when the revoking call (or PUBLISH) was sent', [
    ['revoking call itself (sent → answer)', calls, 0],
    ['SSE, all validators', sse.fromSent, sse.missing],
    [`poll (JSON feed every ${POLL_INTERVAL_MS} ms)`, poll.fromSent, poll.missing],
    ['peer: Redis PUBLISH → SUBSCRIBE', redisFromSent, redisMissing],
  ]);
  console.log(
    `\nSSE p99 from the answer: ${fmt(percentiles(sse.fromAnswer).p99)} ms (issue's aim ≤ 100 ms). ` +
      `Afterwards each validator refused as token_revoked: ${rejected.join(', ')} of ${tokens.length}. ` +
      'Negative times: the validator heard it before the revoking client read the answer.',
  );
  if (misses.length) console.log(`\nMissed (not heard within the wait): ${misses.join('; ')}`);
} finally {
  await stopReceivers(receivers);
  await world.close();
}
