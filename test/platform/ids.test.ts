import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uuidv7 } from '../../src/platform/ids.js';

describe('uuidv7', () => {
  it('when made, then it is an RFC 9562 version 7 UUID carrying the time', () => {
    const at = Date.UTC(2026, 10, 26, 4, 0, 0, 123);
    const id = uuidv7(at);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), at);
  });

  it('when made in later milliseconds, then ids sort in time order', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((d) => uuidv7(Date.UTC(2026, 0, 1) + d));
    assert.deepEqual([...ids].sort(), ids);
  });

  it('when many are made in one millisecond, then none repeats', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(now)));
    assert.equal(ids.size, 10_000);
  });

  it('when several are made one after another in one millisecond, then they sort in that order', () => {
    const at = Date.UTC(2026, 10, 26, 8, 0, 0, 5);
    const ids = Array.from({ length: 1000 }, () => uuidv7(at));
    assert.deepEqual([...ids].sort(), ids);
    for (const id of ids) assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), at);
  });

  it('when the clock is set back, then the id carries the earlier time (not the last one seen)', () => {
    const later = Date.UTC(2026, 10, 26, 9);
    uuidv7(later);
    const earlier = later - 60_000;
    assert.equal(parseInt(uuidv7(earlier).replace(/-/g, '').slice(0, 12), 16), earlier);
  });
});
