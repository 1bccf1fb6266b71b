import { bucketLifetimes, bucketOf, bucketRange, HOUR_MS, RESOLUTION_MS } from './slo-buckets.js';
import type { Resolution } from './slo-buckets.js';
import type { EventCounts, SloRecorder, SloRecorderOptions } from './slo-recorder.js';

/** SloRecorder inside this process: development and single-process use only. */
export function createMemorySloRecorder(options: SloRecorderOptions): SloRecorder {
  const buckets = new Map<string, Map<string, EventCounts>>();
  const keep = bucketLifetimes(options.retentionMs, { m: HOUR_MS, h: HOUR_MS });
  const key = (resolution: Resolution, index: number) => `${resolution}${index}`;

  const prune = (series: Map<string, EventCounts>, nowMs: number) => {
    for (const name of series.keys()) {
      const resolution = name[0] as Resolution;
      const endMs = (Number(name.slice(1)) + 1) * RESOLUTION_MS[resolution];
      if (endMs < nowMs - keep[resolution]) series.delete(name);
    }
  };

  return {
    add(slo, atMs, counts) {
      if (counts.total === 0) return Promise.resolve();
      const series = buckets.get(slo) ?? new Map<string, EventCounts>();
      buckets.set(slo, series);
      for (const resolution of ['m', 'h'] as const) {
        const name = key(resolution, bucketOf(atMs, resolution));
        const bucket = series.get(name) ?? { good: 0, total: 0 };
        bucket.good += counts.good;
        bucket.total += counts.total;
        series.set(name, bucket);
      }
      prune(series, atMs);
      return Promise.resolve();
    },
    windows(slo, windowsMs, nowMs) {
      const series = buckets.get(slo);
      return Promise.resolve(
        windowsMs.map((windowMs) => {
          const sum = { good: 0, total: 0 };
          const range = bucketRange(windowMs, nowMs);
          for (let i = range.first; i <= range.last; i++) {
            const bucket = series?.get(key(range.resolution, i));
            sum.good += bucket?.good ?? 0;
            sum.total += bucket?.total ?? 0;
          }
          return sum;
        }),
      );
    },
    close() {
      buckets.clear();
      return Promise.resolve();
    },
  };
}
