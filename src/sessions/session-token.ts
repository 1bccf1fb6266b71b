import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../platform/crypto/index.js';
import { uuidOfHex } from '../platform/ids.js';

/**
 * A session token is `<id>.<secret>`. The id is 32 bytes: the org's UUID (16 bytes, so
 * the store can find the session's hash slot) and 16 random bytes; the secret is 32
 * random bytes (256 bits). Both base64url. Only SHA-256(secret) is stored.
 */
export interface SessionToken {
  token: string;
  id: string;
  secretHash: string;
}

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex');
const bytesToUuid = (bytes: Buffer) => uuidOfHex(bytes.toString('hex'));

export function mintSessionToken(orgId: string): SessionToken {
  const id = Buffer.concat([uuidToBytes(orgId), randomBytes(16)]).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { token: `${id}.${secret}`, id, secretHash: sha256Hex(secret) };
}

/** The parts of a presented token, or null when it is not one of ours. */
export function parseSessionToken(
  token: string,
): { id: string; orgId: string; secretHash: string } | null {
  const match = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const idBytes = Buffer.from(match[1]!, 'base64url');
  if (idBytes.length !== 32) return null;
  return {
    id: match[1]!,
    orgId: bytesToUuid(idBytes.subarray(0, 16)),
    secretHash: sha256Hex(match[2]!),
  };
}

/** The org a session id belongs to (ids embed it). */
export function orgOfSessionId(sessionId: string): string | null {
  const bytes = Buffer.from(sessionId, 'base64url');
  return bytes.length === 32 && /^[A-Za-z0-9_-]{43}$/.test(sessionId)
    ? bytesToUuid(bytes.subarray(0, 16))
    : null;
}
