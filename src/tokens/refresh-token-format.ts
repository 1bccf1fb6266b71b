import { createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A refresh token that says which family it belongs to and which generation of it it is
 * (0 for the family's first token, one more at every rotation), so that reuse of a rotated
 * token (RFC 9700 §4.14.2) is recognised from the family's state alone, without a marker
 * kept per rotated token:
 *
 *   rt2_<family>.<generation>.<256 random bits>.<MAC>
 *
 * The MAC (HMAC-SHA-256, first 128 bits) is under a key only Latchkey holds, so nobody can
 * make up a token of a real family's earlier generation to have its session ended. The
 * random part keeps the token itself a secret: Redis holds only its SHA-256 digest.
 * Tokens of the earlier, opaque format (`rt_` and 256 random bits) parse as null.
 */
export interface RefreshTokenFacts {
  familyId: string;
  generation: number;
  /** Everything the MAC covers, and the MAC it came with. */
  signed: string;
  mac: string;
}

const PREFIX = 'rt2_';
const FAMILY = /^[A-Za-z0-9_-]{1,64}$/;
const FORMAT =
  /^rt2_([A-Za-z0-9_-]{1,64})\.(0|[1-9][0-9]{0,14})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/;
const MAC_BYTES = 16;

/** The MAC key, derived from a server secret (never used as is). */
export const deriveRefreshTokenKey = (root: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), 'latchkey/refresh-token/family-mac', 32));

export function createRefreshTokenFormat(key: Buffer) {
  if (key.length < 32) throw new Error('The refresh-token MAC key must be at least 32 bytes.');
  // Imported once: an HMAC keyed with raw bytes imports them again at every call.
  const macKey = createSecretKey(key);
  const macOf = (signed: string) =>
    createHmac('sha256', macKey).update(signed).digest().subarray(0, MAC_BYTES);

  return {
    /** A new token of the family's given generation. */
    mint(familyId: string, generation: number): string {
      if (!FAMILY.test(familyId)) throw new Error('A refresh-token family id must be a token.');
      if (!Number.isSafeInteger(generation) || generation < 0)
        throw new Error('A refresh-token generation is a whole number.');
      const signed = `${PREFIX}${familyId}.${generation}.${randomBytes(32).toString('base64url')}`;
      return `${signed}.${macOf(signed).toString('base64url')}`;
    },

    /** What a well-formed token says, MAC not yet checked; null for any other string. */
    parse(token: string): RefreshTokenFacts | null {
      const match = FORMAT.exec(token);
      if (!match) return null;
      const generation = Number(match[2]);
      if (!Number.isSafeInteger(generation)) return null;
      const mac = match[4]!;
      return { familyId: match[1]!, generation, signed: token.slice(0, -mac.length - 1), mac };
    },

    /** True only for a token minted with this key, spelt as minted (constant time). */
    verify(facts: RefreshTokenFacts): boolean {
      const expected = Buffer.from(macOf(facts.signed).toString('base64url'));
      const presented = Buffer.from(facts.mac);
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}

export type RefreshTokenFormat = ReturnType<typeof createRefreshTokenFormat>;
