import type { AdminPrincipal } from '../platform/admin/index.js';
import type { Clock } from '../platform/clock.js';
import { sha256Hex, type SecretChecker } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { idBearingToken } from '../platform/ids.js';

/**
 * `lk_<id>_<secret>`: the key's UUID as 32 hex digits, the secret 32 random bytes (256
 * bits) in base64url. Only an argon2id verifier of the whole key is stored.
 */
export const API_KEY = idBearingToken('lk');

/** A use this close to an entry's expiry re-verifies it (at most half its life). */
const REFRESH_AHEAD_MS = 10_000;

interface KeyRow {
  id: string;
  org_id: string | null;
  scope: AdminPrincipal['scope'];
  verifier: string;
  revoked_at: Date | null;
  org_status: string | null;
}

export interface ApiKeyVerifications {
  /** The principal a presented key stands for, or null. */
  authenticate(presented: string): Promise<AdminPrincipal | null>;
  /**
   * Drops the cached verifications of the principals it matches (a key revoked, an org
   * disabled); a verification in flight then answers its callers but caches nothing, and
   * no later request joins it.
   */
  forget(matches: (principal: AdminPrincipal) => boolean): void;
}

/**
 * This process's verifications of presented admin API keys:
 * - a success is cached for `cacheSeconds` (at most 60) from when the key's row was read,
 *   under the SHA-256 of the presented key; never a secret, never a failure;
 * - concurrent checks of one presented key (its id and secret) share one row read and one
 *   argon2 check: a key in use cannot exhaust its own secretChecks.maxPerCredential
 *   slots, and a wrong secret never rides on a right one's verification (another digest);
 * - a use in the last seconds of an entry's life re-verifies it in the background while
 *   the entry answers, so a key in steady use never waits for argon2 (or a busy 503)
 *   because its entry aged; the re-read row also notices a revocation made elsewhere. A
 *   refresh that fails (busy, PostgreSQL away) leaves the entry to its expiry.
 */
export function createApiKeyVerifications(deps: {
  db: Database;
  clock: Clock;
  cacheSeconds: number;
  secretChecker: SecretChecker;
}): ApiKeyVerifications {
  const { db, clock, secretChecker } = deps;
  const cache = new Map<string, { principal: AdminPrincipal; expiresAtMs: number }>();
  const cacheMs = Math.min(deps.cacheSeconds, 60) * 1000;
  const refreshAheadMs = Math.min(REFRESH_AHEAD_MS, cacheMs / 2);
  // Moves at every forget: a verification that started before one (its row read, then a
  // wait for argon2) answers but does not cache what it read, and is not joined.
  let forgetEpoch = 0;
  // digest of the presented key → the verification of exactly that key in flight.
  const flights = new Map<string, { epoch: number; result: Promise<AdminPrincipal | null> }>();

  const verify = async (digest: string, id: string, presented: string, epoch: number) => {
    const readAtMs = clock.nowMs();
    const { rows } = await db.query<KeyRow>(
      `SELECT k.id, k.org_id, k.scope, k.verifier, k.revoked_at, o.status AS org_status
       FROM api_keys k LEFT JOIN orgs o ON o.id = k.org_id WHERE k.id = $1`,
      [id],
    );
    const row = rows[0];
    if (
      !row ||
      row.revoked_at ||
      (row.org_id && row.org_status !== 'active') ||
      !(await secretChecker.check(row.verifier, presented, row.id))
    ) {
      cache.delete(digest);
      return null;
    }
    const principal: AdminPrincipal =
      row.scope === 'platform:admin'
        ? { scope: 'platform:admin', keyId: row.id }
        : { scope: 'org:admin', keyId: row.id, orgId: row.org_id! };
    if (epoch === forgetEpoch) cache.set(digest, { principal, expiresAtMs: readAtMs + cacheMs });
    return principal;
  };

  /** The verification of this exact presented key: the one in flight, or a new one. */
  const verifyOnce = (digest: string, id: string, presented: string) => {
    const inFlight = flights.get(digest);
    if (inFlight && inFlight.epoch === forgetEpoch) return inFlight.result;
    const epoch = forgetEpoch;
    const result = verify(digest, id, presented, epoch).finally(() => {
      if (flights.get(digest)?.result === result) flights.delete(digest);
    });
    flights.set(digest, { epoch, result });
    return result;
  };

  return {
    async authenticate(presented) {
      const id = API_KEY.idOf(presented);
      if (!id) return null;
      const digest = sha256Hex(presented);
      const nowMs = clock.nowMs();
      const cached = cache.get(digest);
      if (cached && cached.expiresAtMs > nowMs) {
        if (cached.expiresAtMs - nowMs <= refreshAheadMs)
          verifyOnce(digest, id, presented).catch(() => undefined);
        return cached.principal;
      }
      cache.delete(digest);
      return verifyOnce(digest, id, presented);
    },

    forget(matches) {
      forgetEpoch += 1;
      for (const [digest, entry] of cache) if (matches(entry.principal)) cache.delete(digest);
    },
  };
}
