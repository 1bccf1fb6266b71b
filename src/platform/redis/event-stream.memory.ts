import { systemClock, type Clock } from '../clock.js';
import type { EventStream, StreamEntry } from './event-stream.js';

/**
 * EventStream inside this process (development without Redis): each stream keeps its
 * newest maxLength entries in memory, with ids shaped like Redis's ("<ms>-<seq>").
 */
export function createMemoryEventStream(options: { clock?: Clock } = {}): EventStream {
  const clock = options.clock ?? systemClock;
  const streams = new Map<string, StreamEntry[]>();
  let lastMs = 0;
  let seq = 0;
  const nextId = () => {
    const now = Math.max(clock.nowMs(), lastMs);
    seq = now === lastMs ? seq + 1 : 0;
    lastMs = now;
    return `${now}-${seq}`;
  };
  return {
    append(stream, fields, { maxLength }) {
      const entries = streams.get(stream) ?? [];
      const id = nextId();
      entries.push({ id, fields: { ...fields } });
      if (entries.length > maxLength) entries.splice(0, entries.length - maxLength);
      streams.set(stream, entries);
      return Promise.resolve(id);
    },
    tail(stream, count) {
      const entries = streams.get(stream) ?? [];
      return Promise.resolve(entries.slice(Math.max(0, entries.length - count)));
    },
  };
}
