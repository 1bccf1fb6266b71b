import assert from 'node:assert/strict';
import { hkdfSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  openSuccessor,
  successorKeyOf,
  successorWrite,
} from '../../src/tokens/refresh-successor.js';

describe('a rotated refresh token’s sealed successor', () => {
  it('when the seal key is derived, then it is the HKDF-SHA-256 node’s hkdfSync derives (empty salt, 32 bytes)', () => {
    for (const token of [
      '',
      'rt_x',
      `rt2_fam.7.${randomBytes(32).toString('base64url')}.mac`,
      '🔐',
    ]) {
      const expected = Buffer.from(
        hkdfSync('sha256', token, Buffer.alloc(0), 'latchkey/refresh-token/successor', 32),
      );
      assert.deepEqual(successorKeyOf(token), expected, token);
    }
  });

  it('when a successor is sealed, then only the rotated token opens it', () => {
    const rotated = `rt2_fam.1.${randomBytes(32).toString('base64url')}.mac`;
    const write = successorWrite(rotated, 'the-successor', 30_000);
    assert.ok('value' in write);
    assert.equal(openSuccessor(rotated, write.value), 'the-successor');
    assert.throws(() => openSuccessor(`${rotated}x`, write.value));
  });
});
