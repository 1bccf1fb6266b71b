/**
 * How SLO events are bucketed in time, the same for every SloRecorder. Events are added
 * to the minute and to the hour they happened in. A sliding window of up to 6 h is
 * summed from minute buckets, a longer one from hour buckets; either way it is the
 * window's length in whole buckets, ending with the current (partial) one. So the 5m
 * window at 12:07:30 holds the events of 12:03:00–12:07:30, and the 30d window is exact
 * to the hour: at most a few hundred small numbers to add, however busy Latchkey is.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const FINE_WINDOW_LIMIT_MS = 6 * HOUR_MS;

export type Resolution = 'm' | 'h';
export const RESOLUTION_MS: Record<Resolution, number> = { m: MINUTE_MS, h: HOUR_MS };

export interface BucketRange {
  resolution: Resolution;
  /** Bucket indices (ms since the epoch / bucket length), both ends included. */
  first: number;
  last: number;
}

export function bucketRange(windowMs: number, nowMs: number): BucketRange {
  const resolution: Resolution = windowMs <= FINE_WINDOW_LIMIT_MS ? 'm' : 'h';
  const size = RESOLUTION_MS[resolution];
  const last = Math.floor(nowMs / size);
  return { resolution, first: last - Math.ceil(windowMs / size) + 1, last };
}

/**
 * How long each resolution's buckets must be kept: minute buckets while a fine window can
 * read them, hour buckets for the retention, each with a margin of the store's own.
 */
export const bucketLifetimes = (
  retentionMs: number,
  marginMs: Record<Resolution, number>,
): Record<Resolution, number> => ({
  m: FINE_WINDOW_LIMIT_MS + marginMs.m,
  h: retentionMs + marginMs.h,
});

export const bucketOf = (atMs: number, resolution: Resolution) =>
  Math.floor(atMs / RESOLUTION_MS[resolution]);
