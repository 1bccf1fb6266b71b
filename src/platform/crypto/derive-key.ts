import { hkdfSync } from 'node:crypto';

/**
 * A key for one purpose, derived from a secret every process shares (RFC 5869 HKDF with
 * SHA-256, no salt, the purpose as info): the shared secret itself is never used as is,
 * and keys for different purposes are independent.
 */
export function deriveKey(secret: Buffer, purpose: string, lengthBytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), purpose, lengthBytes));
}
