import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventStream } from '../../src/platform/redis/index.js';

export interface EventStreamHarness {
  stream: EventStream;
  teardown(): Promise<void>;
}

/** The behaviour every EventStream implementation must have (memory and Redis alike). */
export function eventStreamContract(name: string, setup: () => Promise<EventStreamHarness>): void {
  describe(`EventStream contract: ${name}`, () => {
    let h: EventStreamHarness;
    let n = 0;
    const streamName = () => `contract:s${++n}`;
    before(async () => {
      h = await setup();
    });
    after(async () => {
      await h.teardown();
    });

    it('when entries are appended, then they are read back in order with their fields and increasing ids', async () => {
      const s = streamName();
      const first = await h.stream.append(s, { id: 'a', event: '{"x":1}' }, { maxLength: 100 });
      const second = await h.stream.append(s, { id: 'b', event: '{"x":2}' }, { maxLength: 100 });
      assert.match(first, /^\d+-\d+$/);
      const tail = await h.stream.tail(s, 10);
      assert.deepEqual(tail, [
        { id: first, fields: { id: 'a', event: '{"x":1}' } },
        { id: second, fields: { id: 'b', event: '{"x":2}' } },
      ]);
    });

    it('when a stream is capped, then it keeps about maxLength newest entries and never loses the newest', async () => {
      const s = streamName();
      for (let i = 0; i < 300; i++) await h.stream.append(s, { i: String(i) }, { maxLength: 10 });
      const tail = await h.stream.tail(s, 1000);
      // MAXLEN ~ trims whole macro nodes (100 entries by default in Redis): never fewer
      // than maxLength, never the whole history.
      assert.ok(tail.length >= 10 && tail.length < 300, `kept ${tail.length}`);
      assert.equal(tail.at(-1)?.fields.i, '299');
    });

    it('when a stream has never been written, then its tail is empty', async () => {
      assert.deepEqual(await h.stream.tail(streamName(), 10), []);
    });
  });
}
