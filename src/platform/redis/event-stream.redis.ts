import type { RedisClient } from './client.js';
import type { EventStream, StreamEntry } from './event-stream.js';

/** EventStream on Redis Streams: XADD with MAXLEN ~ (trimming whole macro nodes only). */
export function createRedisEventStream(redis: RedisClient): EventStream {
  return {
    async append(stream, fields, { maxLength }) {
      const flat = Object.entries(fields).flat();
      const id = await redis.xadd(stream, 'MAXLEN', '~', String(maxLength), '*', ...flat);
      if (id === null) throw new Error('XADD returned no id');
      return id;
    },
    async tail(stream, count) {
      const entries = await redis.xrevrange(stream, '+', '-', 'COUNT', count);
      return entries.reverse().map(([id, flat]): StreamEntry => {
        const fields: Record<string, string> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
        return { id, fields };
      });
    },
  };
}
