import { randomUUID } from 'node:crypto';
import { backgroundJob, type BackgroundJob } from '../platform/background-job.js';
import type { Clock } from '../platform/clock.js';
import { guardedFetch, type HostLookup, type OutboundPolicy } from '../platform/net/index.js';
import type { RevocationFeed } from './revocation-feed.js';
import type { SetRenderer } from './ssf-delivery.js';
import type { Stream, StreamStore } from './ssf-stream-store.js';

const LEASE_MS = 30_000;
const STREAMS_PER_PASS = 20;
const SETS_PER_STREAM_PASS = 200;
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60_000;

/** Exponential backoff after the nth failure in a row: 1 s doubling to 5 min. */
export const pushBackoffMs = (failures: number) =>
  Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1));

export interface PushJob extends BackgroundJob {
  /** One pass over the due push streams; resolves with how many SETs were delivered. */
  runOnce(): Promise<number>;
}

interface PushDeps {
  store: StreamStore;
  feed: RevocationFeed;
  render: SetRenderer;
  clock: Clock;
  outbound: OutboundPolicy;
  /** Opens the sealed Authorization a receiver asked pushes to carry. */
  open: (sealed: string, context: string) => string;
  lookup?: HostLookup;
  onError?: (error: unknown) => void;
}

/** One SET to a push stream's endpoint: null when acknowledged, else why not. */
async function pushSet(
  deps: Pick<PushDeps, 'outbound' | 'open' | 'lookup'>,
  stream: Stream,
  set: string,
): Promise<string | null> {
  const headers: Record<string, string> = {
    'content-type': 'application/secevent+jwt',
    accept: 'application/json',
    'user-agent': 'Latchkey-SSF/1',
  };
  if (stream.authorizationSealed)
    headers.authorization = deps.open(stream.authorizationSealed, `ssf-stream:${stream.id}`);
  try {
    const res = await guardedFetch(stream.endpointUrl, deps.outbound, {
      method: 'POST',
      headers,
      body: set,
      followRedirects: false,
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
    });
    if (res.status === 202 || res.status === 200) return null;
    return `HTTP ${res.status} ${res.text().slice(0, 200)}`.trim();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * RFC 8935 push delivery: each due push stream is leased by one process at a time and
 * sent its stream events, then the revocations after its acknowledged position, one SET
 * per POST in order, through the SSRF-guarded fetch. 202 (or 200) moves the position on;
 * anything else stops the stream's pass and schedules the next attempt with backoff, and
 * the stream's status tells the receiver why (ssf-service presentStatus).
 */
export function createPushJob(deps: PushDeps): PushJob {
  const owner = randomUUID();
  const { store, clock } = deps;

  const post = (stream: Stream, set: string) => pushSet(deps, stream, set);

  const deliver = async (stream: Stream): Promise<number> => {
    let delivered = 0;
    let failure: string | null = null;
    const events = await store.events(stream.id, 0, SETS_PER_STREAM_PASS);
    for (const event of events) {
      failure = await post(stream, event.set);
      if (failure) break;
      await store.ackEvents(stream.id, [event.seq]);
      delivered += 1;
    }
    let acked = stream.ackedPosition;
    if (!failure) {
      // The head before the read: all up to it is in what the read returns.
      const head = deps.feed.head();
      const { entries } = await deps.feed.readAfter(acked, SETS_PER_STREAM_PASS);
      const sets = new Map((await deps.render(entries, stream)).map((s) => [s.position, s.set]));
      for (const entry of entries) {
        const set = sets.get(entry.position);
        if (set) {
          failure = await post(stream, set);
          if (failure) break;
          delivered += 1;
        }
        acked = entry.position;
      }
      if (!failure && entries.length < SETS_PER_STREAM_PASS) acked = Math.max(acked, head);
    }
    const failures = failure ? stream.failures + 1 : 0;
    await store.update(stream.id, {
      ackedPosition: acked,
      ackedAbove: [],
      failures,
      lastError: failure,
      nextAttemptAtMs: failure ? clock.nowMs() + pushBackoffMs(failures) : clock.nowMs(),
    });
    return delivered;
  };

  let lastPurgeMs = 0;
  const pass = async () => {
    // Stream events acknowledged, or older than a day, go now and then.
    if (clock.nowMs() - lastPurgeMs > 60_000) {
      lastPurgeMs = clock.nowMs();
      await store.purgeEvents();
    }
    const due = await store.leaseDuePush(owner, LEASE_MS, STREAMS_PER_PASS);
    let total = 0;
    for (const stream of due) {
      try {
        total += await deliver(stream);
      } catch (error) {
        deps.onError?.(error);
      } finally {
        await store.release(stream.id, owner).catch((error: unknown) => deps.onError?.(error));
      }
    }
    return total;
  };

  // One pass at a time in this process (the lease keeps other processes out): a wake
  // during a pass runs another right after it.
  let running: Promise<number> | null = null;
  let again = false;
  const runOnce = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass().finally(() => {
      running = null;
      if (again) {
        again = false;
        void runOnce().catch((error: unknown) => deps.onError?.(error));
      }
    });
    return running;
  };

  const job = backgroundJob(runOnce, deps.onError);
  // A revocation read by this process's feed is pushed at once, not at the next tick.
  let unsubscribe: (() => void) | null = null;
  return {
    runOnce,
    start(intervalMs) {
      job.start(intervalMs);
      unsubscribe ??= deps.feed.subscribe(() => {
        void runOnce().catch((error: unknown) => deps.onError?.(error));
      });
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await job.stop();
    },
  };
}
