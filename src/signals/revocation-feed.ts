import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import { REVOCATIONS_CHANNEL, type RevocationLog } from './revocation-log.js';
import type { RecordedRevocation } from './revocation.js';

/** What a feed listener hears: revocations just read, in order, and the new head. */
export type FeedListener = (entries: RecordedRevocation[], head: number) => void;

/**
 * One process's tail of the durable revocation log, for every receiver connected to it:
 * it reads what was recorded after its head once, however many receivers listen, when a
 * NOTIFY says a writer committed (any process) and every pollIntervalMs anyway (a NOTIFY
 * can be lost with its connection). Its head is only what it has read, so "current up to
 * head" is never claimed for what it has not seen; `freshAtMs` is when it last read the
 * log successfully (receivers are told to fail closed when that grows old).
 */
export interface RevocationFeed {
  head(): number;
  /**
   * When the log was last read successfully (ms since the epoch, real time whatever the
   * injected clock: freshness is about time that really passed), or null before.
   */
  freshAtMs(): number | null;
  /** Called once when the feed stops (the process is closing): receivers are let go. */
  onStop(listener: () => void): () => void;
  subscribe(listener: FeedListener): () => void;
  /**
   * Revocations in force after a position, oldest first, and whether the position was
   * unknown (newer than the log's head: the receiver gets everything in force instead).
   */
  readAfter(
    after: number | null,
    limit: number,
  ): Promise<{ entries: RecordedRevocation[]; fromStart: boolean }>;
  /** Reads the log now (after a local write, or in tests). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

const PAGE = 1000;

export async function startRevocationFeed(deps: {
  db: Database;
  log: RevocationLog;
  clock: Clock;
  pollIntervalMs: number;
  onError?: (error: unknown, what: string) => void;
}): Promise<RevocationFeed> {
  const { log, clock } = deps;
  const listeners = new Set<FeedListener>();
  let head = 0;
  let freshAtMs: number | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;

  const readNew = async () => {
    for (;;) {
      const startedAtMs = Date.now();
      // The log's head first, then the page: every position up to that head committed
      // before it was read (writers commit in position order), so the page holds them
      // all; read the other way round, one committed in between would be skipped.
      const logHead = await log.head();
      const page = await log.inForce(clock.nowMs(), head, PAGE);
      const last = page.at(-1)?.position ?? head;
      const newHead = Math.max(head, last, page.length < PAGE ? logHead : 0);
      const advanced = newHead !== head;
      head = newHead;
      freshAtMs = startedAtMs;
      if (advanced || page.length) {
        for (const listener of listeners) {
          try {
            listener(page, head);
          } catch (error) {
            deps.onError?.(error, 'revocation feed listener');
          }
        }
      }
      if (page.length < PAGE) return;
    }
  };

  /** One read at a time; a wake during a read reads again right after it. */
  const poll = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = readNew()
      .catch((error: unknown) => deps.onError?.(error, 'revocation feed read'))
      .finally(() => {
        inFlight = null;
        if (again) {
          again = false;
          void poll();
        }
      });
    return inFlight;
  };

  head = await log.head();
  freshAtMs = Date.now();
  const stopListeners = new Set<() => void>();
  const stopListening = await deps.db.listen(
    REVOCATIONS_CHANNEL,
    () => void poll(),
    () => void poll(),
  );
  const timer = setInterval(() => void poll(), deps.pollIntervalMs);
  timer.unref();

  return {
    head: () => head,
    freshAtMs: () => freshAtMs,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStop(listener) {
      stopListeners.add(listener);
      return () => stopListeners.delete(listener);
    },
    async readAfter(after, limit) {
      // A position this process has not read up to yet may be another's: read first.
      if (after !== null && after > head) await poll();
      const fromStart = after === null || after > head;
      const entries = await log.inForce(clock.nowMs(), fromStart ? 0 : after, limit);
      return { entries, fromStart };
    },
    poll,
    async stop() {
      clearInterval(timer);
      listeners.clear();
      for (const listener of [...stopListeners]) listener();
      stopListeners.clear();
      await stopListening();
      await inFlight;
    },
  };
}
