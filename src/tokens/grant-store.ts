import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../platform/crypto/index.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import { failClosed } from './fail-closed.js';

/**
 * Authorization codes and refresh tokens: opaque, random (256 bits), single use, stored
 * only as SHA-256 digests in the ephemeral store (Redis), so a dump grants nothing.
 *
 *   ac:<digest>     a code's grant, 60 s, taken exactly once
 *   acu:<digest>    a redeemed code: what it issued, to revoke on replay (RFC 6749 §4.1.2)
 *   rt:<digest>     a refresh token's grant, taken exactly once at rotation
 *   rtu:<digest>    a rotated refresh token, to detect reuse (RFC 9700 §4.14.2)
 *   rtf:<family>    the digest of the family's current refresh token
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

  return {
    async issueCode(record: CodeRecord): Promise<string> {
      const code = opaque('ac_');
      await store.put(`ac:${sha256Hex(code)}`, JSON.stringify(record), settings.codeTtlMs);
      return code;
    },

    async redeemCode(code: string): Promise<Redeemed<CodeRecord>> {
      const digest = sha256Hex(code);
      const record = parse<CodeRecord>(await store.take(`ac:${digest}`));
      if (record) {
        await store.put(`acu:${digest}`, JSON.stringify(record), settings.codeUsedTtlMs);
        return { kind: 'ok', record };
      }
      const used = parse<GrantRecord>(await store.get(`acu:${digest}`));
      return used ? { kind: 'reused', record: used } : { kind: 'unknown' };
    },

    async issueRefresh(record: RefreshRecord, ttlMs: number): Promise<string> {
      const token = opaque('rt_');
      const digest = sha256Hex(token);
      await store.put(`rt:${digest}`, JSON.stringify(record), ttlMs);
      await store.put(`rtf:${record.familyId}`, digest, ttlMs);
      return token;
    },

    /** Takes a refresh token for rotation; a second use of the same token is `reused`. */
    async redeemRefresh(token: string): Promise<Redeemed<RefreshRecord>> {
      const digest = sha256Hex(token);
      const record = parse<RefreshRecord>(await store.take(`rt:${digest}`));
      if (record) {
        await store.put(`rtu:${digest}`, JSON.stringify(record), settings.refreshUsedTtlMs);
        return { kind: 'ok', record };
      }
      const used = parse<RefreshRecord>(await store.get(`rtu:${digest}`));
      return used ? { kind: 'reused', record: used } : { kind: 'unknown' };
    },

    /** The live refresh token's record without consuming it (introspection). */
    async peekRefresh(token: string): Promise<RefreshRecord | null> {
      return parse<RefreshRecord>(await store.get(`rt:${sha256Hex(token)}`));
    },

    /** Ends a refresh-token family: its current token stops working. */
    async revokeFamily(familyId: string): Promise<void> {
      const current = await store.take(`rtf:${familyId}`);
      if (current) await store.delete(`rt:${current}`);
    },
  };
}

export type GrantStore = ReturnType<typeof createGrantStore>;
