/**
 * Short-lived values with atomic single-use semantics, in domain words. Login
 * transactions, authorization codes and SAML request ids are `put` and later `take`n
 * exactly once; replay caches `claim` an id so a second claim fails; tombstones are `put`
 * and read with `get`. Redis in production, memory in development; both pass
 * test/contracts/ephemeral-store.contract.ts.
 */
/** One write of EphemeralStore.putAll: a value, or members appended to a capped list. */
export type StoreWrite =
  | { key: string; value: string; ttlMs: number }
  | { key: string; append: string[]; maxLength: number; ttlMs: number };

export interface EphemeralStore {
  /** Stores value under key for ttlMs, replacing any previous value. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** The value, or null when absent or expired. */
  get(key: string): Promise<string | null>;
  /** Returns the value and removes it in one step: of two concurrent takes, one gets null. */
  take(key: string): Promise<string | null>;
  /**
   * Single-use redemption in one atomic step: takes the value under key and keeps it under
   * usedKey for usedTtlMs, so a second redemption is recognised as a replay. When key is
   * absent, the value under usedKey (if any) comes back with `used: true`. With `mark`,
   * a first redemption also puts mark.value under mark.key for mark.ttlMs (e.g. when a
   * grace window for retries opened). On Redis Cluster all keys must share a hash slot: give them the same `{tag}`.
   */
  redeem(
    key: string,
    usedKey: string,
    usedTtlMs: number,
    mark?: { key: string; value: string; ttlMs: number },
  ): Promise<{ value: string; used: boolean } | null>;
  /** Records key for ttlMs if it is not already there; true for the first claim only. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Adds member to the set under key; the set expires ttlMs after its latest addition. */
  addToSet(key: string, member: string, ttlMs: number): Promise<void>;
  /** The members of the set under key (empty when absent or expired). */
  setMembers(key: string): Promise<string[]>;
  /**
   * Several writes in one call, in the order given: each a `put`, or an append of members
   * to the list under key that keeps only its newest maxLength (the list expires ttlMs
   * after its latest append). Where `putAllIsAtomic`, they land together in one atomic
   * step (one Redis script); on Redis Cluster, whose keys live on several nodes, each
   * lands on its own and the caller may not rely on their order.
   */
  putAll(writes: StoreWrite[]): Promise<void>;
  readonly putAllIsAtomic: boolean;
  /** The list under key, oldest first (empty when absent or expired). */
  listMembers(key: string): Promise<string[]>;
  /** Removes key; true if something was removed. */
  delete(key: string): Promise<boolean>;
  /** Resolves when the backing store answers; rejects otherwise. */
  ping(): Promise<void>;
  /**
   * Names this incarnation of the store: it changes whenever the store restarted (and
   * so may have lost its data, or loaded an older snapshot). Redis: the server's run_id;
   * null where no single one exists (Redis Cluster: each node has its own).
   */
  incarnation(): Promise<string | null>;
  close(): Promise<void>;
}
