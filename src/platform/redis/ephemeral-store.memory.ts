import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import type { EphemeralStore } from './ephemeral-store.js';

/**
 * EphemeralStore inside this process: development and single-process use only (config
 * refuses it in production). Expired entries are dropped when touched and by a sweep.
 */
export function createMemoryEphemeralStore(
  options: { clock?: Clock; sweepIntervalMs?: number } = {},
): EphemeralStore {
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, { value: string; expiresAtMs: number }>();
  const sets = new Map<string, { members: Set<string>; expiresAtMs: number }>();
  const lists = new Map<string, { members: string[]; expiresAtMs: number }>();
  /** The entry under key unless it has expired (then it is dropped, as Redis would). */
  const liveIn = <T extends { expiresAtMs: number }>(map: Map<string, T>, key: string) => {
    const entry = map.get(key);
    if (entry && entry.expiresAtMs <= clock.nowMs()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  };
  const live = (key: string) => liveIn(entries, key);
  const liveSet = (key: string) => liveIn(sets, key);
  const liveList = (key: string) => liveIn(lists, key);
  const incarnation = `memory:${randomUUID()}`;
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
    for (const key of sets.keys()) liveSet(key);
    for (const key of lists.keys()) liveList(key);
  }, options.sweepIntervalMs ?? 30_000);
  sweep.unref();

  return {
    put(key, value, ttlMs) {
      entries.set(key, { value, expiresAtMs: clock.nowMs() + ttlMs });
      return Promise.resolve();
    },
    get: (key) => Promise.resolve(live(key)?.value ?? null),
    take(key) {
      const entry = live(key);
      entries.delete(key);
      return Promise.resolve(entry?.value ?? null);
    },
    redeem(key, usedKey, usedTtlMs, mark) {
      const entry = live(key);
      if (entry) {
        entries.delete(key);
        entries.set(usedKey, { value: entry.value, expiresAtMs: clock.nowMs() + usedTtlMs });
        if (mark)
          entries.set(mark.key, { value: mark.value, expiresAtMs: clock.nowMs() + mark.ttlMs });
        return Promise.resolve({ value: entry.value, used: false });
      }
      const used = live(usedKey);
      return Promise.resolve(used ? { value: used.value, used: true } : null);
    },
    claim(key, ttlMs) {
      if (live(key)) return Promise.resolve(false);
      entries.set(key, { value: '1', expiresAtMs: clock.nowMs() + ttlMs });
      return Promise.resolve(true);
    },
    addToSet(key, member, ttlMs) {
      const entry = liveSet(key) ?? { members: new Set<string>(), expiresAtMs: 0 };
      entry.members.add(member);
      entry.expiresAtMs = clock.nowMs() + ttlMs;
      sets.set(key, entry);
      return Promise.resolve();
    },
    setMembers: (key) => Promise.resolve([...(liveSet(key)?.members ?? [])]),
    putAll(writes) {
      for (const write of writes) {
        const expiresAtMs = clock.nowMs() + write.ttlMs;
        if ('value' in write) entries.set(write.key, { value: write.value, expiresAtMs });
        else if (write.append.length) {
          const all = [...(liveList(write.key)?.members ?? []), ...write.append];
          lists.set(write.key, { members: all.slice(-write.maxLength), expiresAtMs });
        }
      }
      return Promise.resolve();
    },
    putAllIsAtomic: true,
    listMembers: (key) => Promise.resolve([...(liveList(key)?.members ?? [])]),
    delete(key) {
      const had =
        live(key) !== undefined || liveSet(key) !== undefined || liveList(key) !== undefined;
      entries.delete(key);
      sets.delete(key);
      lists.delete(key);
      return Promise.resolve(had);
    },
    ping: () => Promise.resolve(),
    // Memory lives as long as the process: one incarnation.
    incarnation: () => Promise.resolve(incarnation),
    close() {
      clearInterval(sweep);
      entries.clear();
      sets.clear();
      lists.clear();
      return Promise.resolve();
    },
  };
}
