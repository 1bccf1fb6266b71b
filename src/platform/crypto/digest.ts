import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 of text (or bytes) as hex: how tokens and session secrets are stored (a dump
 * grants nothing), and the name of content addressed by its digest (an org's logo).
 */
export const sha256Hex = (text: string | Uint8Array): string =>
  createHash('sha256').update(text).digest('hex');

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
