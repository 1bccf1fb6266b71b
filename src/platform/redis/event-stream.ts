/**
 * An append-only, capped log of events for other services to consume (Redis Streams in
 * production: consumers read it with consumer groups, XREADGROUP/XACK). Memory in
 * development keeps the most recent entries inside the process, so nothing else can read
 * them, but every code path runs. Both pass test/contracts/event-stream.contract.ts.
 */
export interface StreamEntry {
  /** The id the stream gave the entry ("<ms>-<seq>" in Redis). */
  id: string;
  fields: Record<string, string>;
}

export interface EventStream {
  /**
   * Appends one entry to the stream named `stream` (under the store's key prefix); the
   * stream keeps about the `maxLength` newest entries (trimmed approximately, cheaply).
   * Resolves with the entry id.
   */
  append(
    stream: string,
    fields: Record<string, string>,
    options: { maxLength: number },
  ): Promise<string>;
  /** The newest `count` entries, oldest first: for tests and diagnostics. */
  tail(stream: string, count: number): Promise<StreamEntry[]>;
}
