/** Events of one SLI: how many there were, and how many of them were good. */
export interface EventCounts {
  good: number;
  total: number;
}

/**
 * Where GET /slo keeps the events of each SLO, shared by every Latchkey process: Redis in
 * production, memory in development; both pass test/contracts/slo-recorder.contract.ts.
 * Counts are added, never replaced, so any number of processes can add to the same
 * minute; windows slide as described in slo-buckets.ts.
 */
export interface SloRecorder {
  /** Adds counts of an SLO's events that happened at atMs. */
  add(slo: string, atMs: number, counts: EventCounts): Promise<void>;
  /** The SLO's events in each sliding window (ms) that ends at nowMs, in the same order. */
  windows(slo: string, windowsMs: readonly number[], nowMs: number): Promise<EventCounts[]>;
  close(): Promise<void>;
}

export interface SloRecorderOptions {
  /** The longest window ever asked for (the longest SLO window): older buckets may go. */
  retentionMs: number;
}
