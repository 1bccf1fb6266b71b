import { LRUCache } from 'lru-cache';

/** Stale entries are swept after this many writes (one pass over the cache, amortized). */
const SWEEP_EVERY_WRITES = 1000;

/**
 * An in-process cache whose entries each live for their own time, bounded in size (least
 * recently used go first). Expired entries are never returned, and are swept as new ones
 * come, so a cache under a steady load holds what the last minutes brought and no more:
 * its memory is flat, not a pile that grows until a size bound clears it.
 */
export function expiringCache<V extends NonNullable<unknown>>(maxEntries: number) {
  const cache = new LRUCache<string, V>({ max: maxEntries, ttlAutopurge: false });
  let writes = 0;
  return {
    get: (key: string): V | undefined => cache.get(key),
    set(key: string, value: V, ttlMs: number): void {
      if ((writes += 1) % SWEEP_EVERY_WRITES === 0) cache.purgeStale();
      cache.set(key, value, { ttl: Math.max(1, Math.ceil(ttlMs)) });
    },
    delete: (key: string): void => void cache.delete(key),
    clear: (): void => cache.clear(),
    get size(): number {
      return cache.size;
    },
  };
}

export type ExpiringCache<V extends NonNullable<unknown>> = ReturnType<typeof expiringCache<V>>;
