import { constantTimeEqual, sha256Hex } from '../platform/crypto/index.js';
import { idBearingToken } from '../platform/ids.js';
import type { TokenCredential } from './directory-store.js';

/**
 * `scim_<id>_<secret>`: the token's UUID as 32 hex digits, then 32 random bytes (256 bits)
 * in base64url. Only a SHA-256 digest of the whole token is stored: with 256 bits of
 * entropy a digest cannot be reversed by guessing, and the SCIM door (thousands of
 * requests at an initial sync) pays no argon2 on every call.
 */
const DIRECTORY_TOKEN = idBearingToken('scim');

/** A new token of this token id. */
export const newDirectoryToken = DIRECTORY_TOKEN.make;

/** The token id a presented token names, or null when it is not shaped like one. */
export const tokenIdOf = DIRECTORY_TOKEN.idOf;

interface TokenCheckInput {
  presented: string;
  /** The directory named by the request path. */
  directoryId: string;
  credential: TokenCredential;
  now: Date;
}

/** A named check of a presented directory token; false refuses (401, fail closed). */
interface TokenCheck {
  reason: string;
  check(input: TokenCheckInput): boolean;
}

/**
 * RFC 7644 §2: the SCIM client authenticates with a bearer token (RFC 6750). In order; the
 * first that fails refuses the request, and every refusal answers the same 401, so a
 * token of another org's directory learns nothing about the directory in the path.
 */
export const DIRECTORY_TOKEN_CHECKS: readonly TokenCheck[] = [
  // A token is only valid at its own directory's endpoint.
  { reason: 'other_directory', check: (i) => i.credential.directoryId === i.directoryId },
  // The secret part: the digest of the whole presented token, compared in constant time.
  {
    reason: 'wrong_secret',
    check: (i) => constantTimeEqual(sha256Hex(i.presented), i.credential.digest),
  },
  { reason: 'token_revoked', check: (i) => i.credential.revokedAt === null },
  // A rotated-out token works until the end of its overlap, not after.
  {
    reason: 'token_expired',
    check: (i) => i.credential.expiresAt === null || i.credential.expiresAt > i.now,
  },
  { reason: 'directory_disabled', check: (i) => i.credential.directoryStatus === 'active' },
  { reason: 'org_disabled', check: (i) => i.credential.orgStatus === 'active' },
];

/** The reason of the first check the token fails, or null when it passes them all. */
export const refusalOf = (input: TokenCheckInput): string | null =>
  DIRECTORY_TOKEN_CHECKS.find((c) => !c.check(input))?.reason ?? null;
