import { createHmac } from 'node:crypto';
import { createSecretBox, sha256Hex } from '../platform/crypto/index.js';
import type { StoreWrite } from '../platform/redis/index.js';

/**
 * rts:{<rotated digest>}: the successor a rotation issued, kept for the rotated token's
 * retry grace window (RFC 9700 §4.14.2), sealed with a key derived from the rotated token
 * itself, so only its holder can open it.
 */
const successorBox = (rotated: string) =>
  createSecretBox(successorKeyOf(rotated).toString('base64'));

/** RFC 5869 §2.2: a salt not provided is HashLen zeros. */
const NO_SALT = Buffer.alloc(32);
const FIRST_BLOCK = Buffer.from([1]);

/**
 * The seal's key: HKDF-SHA-256 (RFC 5869) of the rotated token, empty salt, one block of
 * output, the same bytes as node's hkdfSync('sha256', rotated, '', info, 32) (a test holds
 * them equal) at a quarter of its cost: hkdfSync imports the token as a KeyObject first,
 * and this runs at every rotation.
 */
export function successorKeyOf(rotated: string): Buffer {
  const prk = createHmac('sha256', NO_SALT).update(rotated).digest();
  return createHmac('sha256', prk)
    .update('latchkey/refresh-token/successor')
    .update(FIRST_BLOCK)
    .digest();
}

export const successorKey = (rotatedDigest: string) => `rts:{${rotatedDigest}}`;

/** The write that keeps a rotated token's successor for graceMs. */
export function successorWrite(rotated: string, successor: string, graceMs: number): StoreWrite {
  const digest = sha256Hex(rotated);
  const value = successorBox(rotated).seal(successor, digest);
  return { key: successorKey(digest), value, ttlMs: Math.max(graceMs, 1) };
}

/** The successor kept for the rotated token (its holder presents it again). */
export const openSuccessor = (rotated: string, sealed: string): string =>
  successorBox(rotated).open(sealed, sha256Hex(rotated));
