import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of text as hex: how tokens and session secrets are stored (a dump grants nothing). */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
