/**
 * Short-lived values with atomic single-use semantics, in domain words. Login
 * transactions, authorization codes and SAML request ids are `put` and later `take`n
 * exactly once; replay caches `claim` an id so a second claim fails; tombstones are `put`
 * and read with `get`. Redis in production, memory in development; both pass
 * test/contracts/ephemeral-store.contract.ts.
 */
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
   * Appends members to the list under key in one atomic step, keeping only its newest
   * maxLength; the list expires ttlMs after its latest append.
   */
  appendToList(key: string, members: string[], ttlMs: number, maxLength: number): Promise<void>;
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
