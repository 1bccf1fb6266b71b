import { randomBytes, randomUUID } from 'node:crypto';

let lastMs = -1;
let counter = 0;
/** The time fields of lastMs, `tttttttt-tttt-`: ids of one millisecond share them. */
let lastTime = '';

/**
 * UUIDv7 (RFC 9562 §5.7): time-ordered, so ids sort by creation and index well, and
 * they reveal no counts. 48 bits of milliseconds, then the random bits of a v4 UUID
 * (node's randomUUID draws from a cached entropy pool: cheap enough for every request).
 * Within one millisecond of one process, the 12 bits after the version are a counter
 * from a random start (RFC 9562 §6.2, method 1), so ids made one after another sort in
 * that order (audit events, cursors); past 4,096 in a millisecond they are random again.
 * The millisecond is always nowMs's own: a clock set back is followed, not hidden.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const random = randomUUID();
  if (nowMs === lastMs && counter < 0xfff) counter += 1;
  else {
    if (nowMs !== lastMs) {
      const time = nowMs.toString(16).padStart(12, '0').slice(-12);
      lastTime = `${time.slice(0, 8)}-${time.slice(8, 12)}-`;
    }
    lastMs = nowMs;
    // Start in the lower half so a burst has room to count up.
    counter = parseInt(random.slice(15, 18), 16) & 0x7ff;
  }
  const sequence = counter.toString(16).padStart(3, '0');
  // random: xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx (N is already the RFC 9562 variant).
  return `${lastTime}7${sequence}-${random.slice(19)}`;
}

/** A random URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A UUID written as its 32 hex digits, in its usual 8-4-4-4-12 form. */
export const uuidOfHex = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/**
 * A secret that names its own record: `<prefix>_<the record's UUID as 32 hex digits>_<32
 * random bytes, base64url>` (admin API keys `lk`, SCIM directory tokens `scim`, portal
 * links `lkp`). The id finds the record; the whole token is what its stored verifier or
 * digest is of. `idOf` answers null for anything not shaped like one.
 */
export function idBearingToken(prefix: string) {
  const pattern = new RegExp(`^${prefix}_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$`);
  return {
    make: (id: string) => `${prefix}_${id.replaceAll('-', '')}_${randomToken(32)}`,
    idOf: (presented: string): string | null => {
      const hex = pattern.exec(presented)?.[1];
      return hex ? uuidOfHex(hex) : null;
    },
  };
}
