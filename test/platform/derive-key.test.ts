import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveKey } from '../../src/platform/crypto/index.js';

describe('deriveKey (HKDF-SHA-256, no salt)', () => {
  it('when given RFC 5869 test case 3 (empty salt and info), then it yields its OKM', () => {
    const okm = deriveKey(Buffer.alloc(22, 0x0b), '', 42);
    assert.equal(
      okm.toString('hex'),
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('when two purposes share a secret, then their keys differ and neither is the secret', () => {
    const secret = Buffer.alloc(32, 7);
    const a = deriveKey(secret, 'latchkey/authorize/reauthentication-marker');
    const b = deriveKey(secret, 'latchkey/another-purpose');
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a, secret);
    assert.deepEqual(deriveKey(secret, 'latchkey/authorize/reauthentication-marker'), a);
  });
});
