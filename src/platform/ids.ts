import { randomBytes, randomUUID } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): time-ordered, so ids sort by creation and index well, and
 * they reveal no counts. 48 bits of milliseconds, then the random bits of a v4 UUID
 * (node's randomUUID draws from a cached entropy pool: cheap enough for every request).
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const random = randomUUID();
  const time = nowMs.toString(16).padStart(12, '0').slice(-12);
  // random: xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx (N is already the RFC 9562 variant).
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

/** A random URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
