import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../platform/crypto/index.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import { failClosed } from './fail-closed.js';

/**
 * Authorization codes and refresh tokens: opaque, random (256 bits), single use, stored
 * only as SHA-256 digests in the ephemeral store (Redis), so a dump grants nothing.
 *
 *   ac:{<digest>}   a code's grant, 60 s, taken exactly once
 *   acu:{<digest>}  a redeemed code: what it issued, to revoke on replay (RFC 6749 §4.1.2)
 *   rt:{<digest>}   a refresh token's grant, taken exactly once at rotation
 *   rtu:{<digest>}  a rotated refresh token, to detect reuse (RFC 9700 §4.14.2)
 *   rtf:<family>    the digest of the family's current refresh token
 *
 * A grant and its "used" marker share a Redis Cluster hash slot ({digest}), so taking one
 * and writing the other is one atomic script: one round trip per redemption.
 */
export interface GrantRecord {
  clientId: string;
  orgId: string;
  userId: string;
  sessionId: string;
  scope: string[];
  audience: string[];
  authTime: number;
  amr: string[];
}

export interface CodeRecord extends GrantRecord {
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
}

export interface RefreshRecord extends GrantRecord {
  familyId: string;
}

export type Redeemed<T> =
  { kind: 'ok'; record: T } | { kind: 'reused'; record: GrantRecord } | { kind: 'unknown' };

const opaque = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** The store with every call failing closed (see fail-closed.ts). */
function failClosedStore(store: EphemeralStore): EphemeralStore {
  const what = 'grant store';
  return {
    put: failClosed(what, (key: string, value: string, ttlMs: number) =>
      store.put(key, value, ttlMs),
    ),
    get: failClosed(what, (key: string) => store.get(key)),
    take: failClosed(what, (key: string) => store.take(key)),
    redeem: failClosed(what, (key: string, usedKey: string, ttlMs: number) =>
      store.redeem(key, usedKey, ttlMs),
    ),
    claim: failClosed(what, (key: string, ttlMs: number) => store.claim(key, ttlMs)),
    addToSet: failClosed(what, (key: string, member: string, ttlMs: number) =>
      store.addToSet(key, member, ttlMs),
    ),
    setMembers: failClosed(what, (key: string) => store.setMembers(key)),
    delete: failClosed(what, (key: string) => store.delete(key)),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

export function createGrantStore(
  backing: EphemeralStore,
  settings: { codeTtlMs: number; codeUsedTtlMs: number; refreshUsedTtlMs: number },
) {
  const store = failClosedStore(backing);
  const parse = <T>(value: string | null) => (value === null ? null : (JSON.parse(value) as T));
  const codeKey = (digest: string) => `ac:{${digest}}`;
  const refreshKey = (digest: string) => `rt:{${digest}}`;
  const redeem = async <T>(
    key: string,
    usedKey: string,
    usedTtlMs: number,
  ): Promise<Redeemed<T>> => {
    const out = await store.redeem(key, usedKey, usedTtlMs);
    if (!out) return { kind: 'unknown' };
    const record = JSON.parse(out.value) as T;
    return out.used ? { kind: 'reused', record: record as GrantRecord } : { kind: 'ok', record };
  };

  return {
    async issueCode(record: CodeRecord): Promise<string> {
      const code = opaque('ac_');
      await store.put(codeKey(sha256Hex(code)), JSON.stringify(record), settings.codeTtlMs);
      return code;
    },

    /** Takes a code; a second use of the same code is `reused`. */
    redeemCode(code: string): Promise<Redeemed<CodeRecord>> {
      const digest = sha256Hex(code);
      return redeem<CodeRecord>(codeKey(digest), `acu:{${digest}}`, settings.codeUsedTtlMs);
    },

    /**
     * A taken code whose redemption was refused (another client, redirect URI or PKCE
     * verifier) issued nothing: it stays spent, but presenting it again is not a replay
     * of a grant that issued tokens, so nothing is revoked for it.
     */
    async forgetRedeemedCode(code: string): Promise<void> {
      await store.delete(`acu:{${sha256Hex(code)}}`);
    },

    async issueRefresh(record: RefreshRecord, ttlMs: number): Promise<string> {
      const token = opaque('rt_');
      const digest = sha256Hex(token);
      // Issued together (one pipelined write); both must land before the token is handed out.
      await Promise.all([
        store.put(refreshKey(digest), JSON.stringify(record), ttlMs),
        store.put(`rtf:${record.familyId}`, digest, ttlMs),
      ]);
      return token;
    },

    /** Takes a refresh token for rotation; a second use of the same token is `reused`. */
    redeemRefresh(token: string): Promise<Redeemed<RefreshRecord>> {
      const digest = sha256Hex(token);
      return redeem<RefreshRecord>(
        refreshKey(digest),
        `rtu:{${digest}}`,
        settings.refreshUsedTtlMs,
      );
    },

    /** The live refresh token's record without consuming it (introspection). */
    async peekRefresh(token: string): Promise<RefreshRecord | null> {
      return parse<RefreshRecord>(await store.get(refreshKey(sha256Hex(token))));
    },

    /** Ends a refresh-token family: its current token stops working. */
    async revokeFamily(familyId: string): Promise<void> {
      const current = await store.take(`rtf:${familyId}`);
      if (current) await store.delete(refreshKey(current));
    },
  };
}

export type GrantStore = ReturnType<typeof createGrantStore>;
