import { ledgerBucketOf, LEDGER_BUCKET_MS, type ActiveSessionLedger } from './active-sessions.js';

/** ActiveSessionLedger inside this process (development, single process). */
export function createMemoryActiveSessionLedger(): ActiveSessionLedger {
  const buckets = new Map<number, number>();
  const add = (expiresAtMs: number, delta: number) => {
    const bucket = ledgerBucketOf(expiresAtMs);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + delta);
    return Promise.resolve();
  };
  return {
    opened: (expiresAtMs) => add(expiresAtMs, 1),
    ended: (expiresAtMs) => add(expiresAtMs, -1),
    count(nowMs) {
      let total = 0;
      for (const [bucket, n] of buckets) {
        if (bucket * LEDGER_BUCKET_MS > nowMs) total += n;
        else buckets.delete(bucket);
      }
      return Promise.resolve(Math.max(0, total));
    },
    close() {
      buckets.clear();
      return Promise.resolve();
    },
  };
}
