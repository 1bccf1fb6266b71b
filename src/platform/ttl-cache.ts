import type { Clock } from './clock.js';

/**
 * A small in-process cache with a time bound per entry and a size bound overall, for
 * hot lookups whose staleness is acceptable for a stated time (every process converges
 * within ttlMs). Values are computed once per key however many callers ask at once.
 */
export function createTtlCache<T>(options: { ttlMs: number; maxEntries: number; clock: Clock }) {
  const entries = new Map<string, { value: Promise<T>; expiresAtMs: number }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const now = options.clock.nowMs();
      const hit = entries.get(key);
      if (hit && hit.expiresAtMs > now) return hit.value;
      if (entries.size >= options.maxEntries) entries.clear();
      const value = load();
      entries.set(key, { value, expiresAtMs: now + options.ttlMs });
      // A failed load is not remembered.
      value.catch(() => entries.delete(key));
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
