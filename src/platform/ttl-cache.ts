import type { Clock } from './clock.js';
import { expiringCache } from './expiring-cache.js';

/**
 * A small in-process cache with a time bound per entry and a size bound overall, for
 * hot lookups whose staleness is acceptable for a stated time (every process converges
 * within ttlMs). Values are computed once per key however many callers ask at once.
 * Expired entries are swept as new ones come (expiring-cache.ts).
 */
export function createTtlCache<T>(options: { ttlMs: number; maxEntries: number; clock: Clock }) {
  const entries = expiringCache<{ value: Promise<T>; expiresAtMs: number }>(options.maxEntries);
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const now = options.clock.nowMs();
      const hit = entries.get(key);
      // The injected clock decides freshness (tests move it); the cache's own timer only
      // sweeps.
      if (hit && hit.expiresAtMs > now) return hit.value;
      const value = load();
      entries.set(key, { value, expiresAtMs: now + options.ttlMs }, options.ttlMs);
      // A failed load is not remembered.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    delete(key: string): void {
      entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
}
