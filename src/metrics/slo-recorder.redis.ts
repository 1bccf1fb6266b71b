import type { RedisClient } from '../platform/redis/index.js';
import { bucketLifetimes, bucketOf, bucketRange, HOUR_MS, type Resolution } from './slo-buckets.js';
import type { EventCounts, SloRecorder, SloRecorderOptions } from './slo-recorder.js';

/**
 * SloRecorder on Redis. Buckets are fields of a few hashes, so a 30-day window is read
 * with about 40 HGETALLs in one round trip rather than 43,200 GETs:
 *   slo:{<slo>}:m:<hour>   fields g<minute>, t<minute>: good and total of each minute
 *   slo:{<slo>}:h:<day>    fields g<hour>, t<hour>: good and total of each hour
 * (bucket indices are ms since the epoch / bucket length). HINCRBY adds atomically, so
 * every process adds to the same buckets. Each hash expires a retention period after its
 * last write; the hash tag keeps one SLO's keys in one Redis Cluster slot.
 */
const GROUP: Record<Resolution, number> = { m: 60, h: 24 };

export function createRedisSloRecorder(
  redis: RedisClient,
  options: SloRecorderOptions,
  namespace = 'slo:',
): SloRecorder {
  const ttlMs = bucketLifetimes(options.retentionMs, { m: 2 * HOUR_MS, h: 48 * HOUR_MS });
  const hashOf = (slo: string, resolution: Resolution, index: number) =>
    `${namespace}{${slo}}:${resolution}:${Math.floor(index / GROUP[resolution])}`;

  return {
    async add(slo, atMs, counts) {
      if (counts.total === 0) return;
      const multi = redis.multi();
      for (const resolution of ['m', 'h'] as const) {
        const index = bucketOf(atMs, resolution);
        const hash = hashOf(slo, resolution, index);
        multi
          .hincrby(hash, `g${index}`, counts.good)
          .hincrby(hash, `t${index}`, counts.total)
          .pexpire(hash, ttlMs[resolution]);
      }
      const results = await multi.exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    },

    async windows(slo, windowsMs, nowMs) {
      const ranges = windowsMs.map((windowMs) => bucketRange(windowMs, nowMs));
      const hashes = new Set<string>();
      for (const range of ranges) {
        const group = GROUP[range.resolution];
        for (let g = Math.floor(range.first / group); g <= Math.floor(range.last / group); g++)
          hashes.add(hashOf(slo, range.resolution, g * group));
      }
      const names = [...hashes];
      const pipeline = redis.pipeline();
      for (const name of names) pipeline.hgetall(name);
      const results = (await pipeline.exec()) ?? [];
      const fields = new Map<string, Record<string, string>>();
      names.forEach((name, i) => {
        const [error, value] = results[i] ?? [new Error('no reply')];
        if (error) throw error;
        fields.set(name, value as Record<string, string>);
      });
      return ranges.map((range): EventCounts => {
        const sum = { good: 0, total: 0 };
        for (let i = range.first; i <= range.last; i++) {
          const hash = fields.get(hashOf(slo, range.resolution, i));
          sum.good += Number(hash?.[`g${i}`] ?? 0);
          sum.total += Number(hash?.[`t${i}`] ?? 0);
        }
        return sum;
      });
    },

    async close() {
      // The client is shared and closed by its owner (the composition root).
    },
  };
}
