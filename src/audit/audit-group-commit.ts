// The group commit behind AuditLog.append() (audit-log.ts): events of one chain queue and
// are written together, one transaction per chain at a time.
import type { Database } from '../platform/db/index.js';
import { UnavailableError } from '../platform/errors.js';
import type { ChainHead, PreparedEvent } from './audit-store.js';
import { insertChained, insertChainedAfter } from './audit-store.js';

/** Group commit bounds: a batch is written after this long or at this many events. */
export const APPEND_WINDOW_MS = 2;
export const APPEND_MAX_BATCH = 500;

interface Pending<E> {
  event: E;
  id: string;
  atMs: number;
  /** When it was queued (monotonic, ms): a batch waits for company until its first is this old. */
  queuedAt: number;
  resolve: (id: string) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommit<E> {
  /** Queues the event on its chain; resolves with id once the event is committed. */
  enqueue(chainId: string, event: E, id: string, atMs: number): Promise<string>;
  /** Writes what is queued and waits for writes under way (shutdown). */
  close(): Promise<void>;
}

export function createGroupCommit<E>(deps: {
  db: Database;
  /** Turns a queued event into its row, reading through the pool. */
  prepare: (event: E, id: string, atMs: number) => Promise<PreparedEvent>;
}): GroupCommit<E> {
  const { db } = deps;

  // Group commit, per chain: at most one transaction per chain is under way (they would
  // only queue on the chain's head lock). Events arriving meanwhile wait and go together
  // in the next one, so the batch grows with the load and throughput follows commit
  // latency × batch size. A batch is written once its first event has waited
  // APPEND_WINDOW_MS for company (or it is full), whether the chain was idle or a write was
  // under way: when commits are quick, batches would otherwise shrink to a few events, each
  // paying a whole statement and commit in PostgreSQL. Every caller hears after COMMIT, or
  // gets the error.
  const chains = new Map<
    string,
    { queue: Pending<E>[]; timer: NodeJS.Timeout | null; writing: Promise<void> | null }
  >();

  // Each chain's head as this log last wrote it: the next batch of that chain is then one
  // compare-and-set statement (insertChainedAfter); when another writer moved the head
  // meanwhile, nothing is written and the batch takes the locking path.
  const heads = new Map<string, ChainHead>();

  const writeChain = async (chainId: string, batch: Pending<E>[]) => {
    try {
      const prepared: PreparedEvent[] = [];
      for (const p of batch) prepared.push(await deps.prepare(p.event, p.id, p.atMs));
      const known = heads.get(chainId);
      let head = known ? await insertChainedAfter(db, chainId, prepared, known) : null;
      head ??= await db.transaction(async (tx) =>
        (await insertChained(tx, prepared)).get(chainId)!,
      );
      heads.set(chainId, head);
      for (const p of batch) p.resolve(p.id);
    } catch (error) {
      heads.delete(chainId);
      // The database is away: what queued behind this batch would only wait for a
      // second timeout (the breaker's probe). It is refused now, as this batch was.
      const behind =
        error instanceof UnavailableError ? (chains.get(chainId)?.queue.splice(0) ?? []) : [];
      for (const p of [...batch, ...behind]) p.reject(error);
    }
  };

  const flushChain = (chainId: string) => {
    const chain = chains.get(chainId);
    if (!chain || chain.writing) return;
    if (chain.timer) clearTimeout(chain.timer);
    chain.timer = null;
    const batch = chain.queue.splice(0, APPEND_MAX_BATCH);
    if (!batch.length) {
      chains.delete(chainId);
      return;
    }
    chain.writing = writeChain(chainId, batch).finally(() => {
      chain.writing = null;
      // Whatever queued meanwhile goes once its first has waited the window (or it is full).
      schedule(chainId);
    });
  };

  /** Writes the chain's queue now if it is full or its first has waited long enough, else later. */
  const schedule = (chainId: string) => {
    const chain = chains.get(chainId);
    if (!chain || chain.writing) return;
    const first = chain.queue[0];
    if (!first) return flushChain(chainId);
    const waited = performance.now() - first.queuedAt;
    if (chain.queue.length >= APPEND_MAX_BATCH || waited >= APPEND_WINDOW_MS)
      return flushChain(chainId);
    chain.timer ??= setTimeout(() => flushChain(chainId), APPEND_WINDOW_MS - waited);
  };

  const flush = () => {
    for (const chainId of [...chains.keys()]) flushChain(chainId);
  };

  return {
    enqueue(chainId, event, id, atMs) {
      return new Promise<string>((resolve, reject) => {
        let chain = chains.get(chainId);
        if (!chain) chains.set(chainId, (chain = { queue: [], timer: null, writing: null }));
        chain.queue.push({ event, id, atMs, queuedAt: performance.now(), resolve, reject });
        schedule(chainId);
      });
    },

    async close() {
      flush();
      for (;;) {
        const writing = [...chains.values()].flatMap((c) => (c.writing ? [c.writing] : []));
        if (!writing.length) break;
        await Promise.allSettled(writing);
      }
    },
  };
}
