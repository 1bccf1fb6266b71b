import { hkdfSync } from 'node:crypto';
import { createSecretBox, sha256Hex } from '../platform/crypto/index.js';
import type { StoreWrite } from '../platform/redis/index.js';

/**
 * rts:{<rotated digest>}: the successor a rotation issued, kept for the rotated token's
 * retry grace window (RFC 9700 §4.14.2), sealed with a key derived from the rotated token
 * itself, so only its holder can open it.
 */
const successorBox = (rotated: string) =>
  createSecretBox(
    Buffer.from(
      hkdfSync('sha256', rotated, Buffer.alloc(0), 'latchkey/refresh-token/successor', 32),
    ).toString('base64'),
  );

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
