import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';

// scripts/patch-ioredis.mjs (postinstall) replaces ioredis's per-pipeline `length` accessor
// with a prototype getter: the per-instance AccessorPair lived in old space and kept every
// autopipelined command, and the request awaiting it, alive through young-generation GCs.
describe('ioredis Pipeline (patched by scripts/patch-ioredis.mjs)', () => {
  it('has no per-instance length accessor, and length still counts the queued commands', () => {
    const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
    try {
      const pipeline = redis.pipeline();
      assert.equal(Object.getOwnPropertyDescriptor(pipeline, 'length'), undefined);
      assert.equal(pipeline.length, 0);
      pipeline.get('a').get('b');
      assert.equal(pipeline.length, 2);
      const multi = redis.multi();
      multi.get('a');
      assert.equal(Object.getOwnPropertyDescriptor(multi, 'length'), undefined);
      assert.equal(multi.length, 2); // MULTI, GET (EXEC is queued by exec())
    } finally {
      redis.disconnect();
    }
  });
});
