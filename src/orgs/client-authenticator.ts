import type { Clock } from '../platform/clock.js';
import { sha256Hex, type SecretChecker } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { CLIENT_ID_PATTERN } from './client-input.js';
import { clientStore, type Client } from './client-store.js';

/** Client secrets are 32 random bytes (256 bits) in base64url; anything else is refused unchecked. */
const CLIENT_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A successful secret check is trusted in this process for at most this long. */
const AUTHENTICATION_CACHE_MS = 60_000;
const AUTHENTICATION_CACHE_MAX_ENTRIES = 10_000;

/**
 * The token endpoint's client authentication (RFC 6749 §2.3.1): a presented secret
 * checked against the client's current verifiers (argon2, bounded by the checker), a
 * success remembered for a short while in this process.
 */
export function createClientAuthenticator(deps: {
  db: Database;
  clock: Clock;
  secretChecker: SecretChecker;
}) {
  const { db, clock, secretChecker } = deps;
  // sha256(clientId \0 secret) → the secret it matched; only successes, never secrets.
  const cache = new Map<string, { clientId: string; secretId: string; expiresAtMs: number }>();
  const forget = (clientId: string) => {
    for (const [digest, entry] of cache) if (entry.clientId === clientId) cache.delete(digest);
  };
  const remember = (
    digest: string,
    entry: { clientId: string; secretId: string; expiresAtMs: number },
  ) => {
    if (cache.size >= AUTHENTICATION_CACHE_MAX_ENTRIES) {
      const nowMs = clock.nowMs();
      for (const [key, old] of cache) if (old.expiresAtMs <= nowMs) cache.delete(key);
      if (cache.size >= AUTHENTICATION_CACHE_MAX_ENTRIES) cache.clear();
    }
    cache.set(digest, entry);
  };

  return {
    /** Forgets what was remembered about a client (changed, removed, secret rotated). */
    forget,
    async authenticate(clientId: string, secret: string): Promise<Client | null> {
      if (
        typeof clientId !== 'string' ||
        typeof secret !== 'string' ||
        !CLIENT_ID_PATTERN.test(clientId) ||
        !CLIENT_SECRET_PATTERN.test(secret)
      ) {
        return null;
      }
      const digest = sha256Hex(`${clientId}\0${secret}`);
      const nowMs = clock.nowMs();
      const store = clientStore(db);
      const client = await store.get(clientId);
      // Read every time (one indexed query, no argon2): a disabled or deleted client, or a
      // secret expired by another process's rotation, is refused at once, cache or not.
      if (!client || client.status !== 'active' || client.type !== 'confidential') {
        cache.delete(digest);
        return null;
      }
      const cached = cache.get(digest);
      if (cached && cached.expiresAtMs > nowMs) {
        const matched = client.secrets.find((s) => s.id === cached.secretId);
        if (matched && (matched.expiresAt === null || matched.expiresAt.getTime() > nowMs)) {
          return client;
        }
      }
      cache.delete(digest);
      for (const candidate of await store.validVerifiers(clientId, new Date(nowMs))) {
        if (await secretChecker.check(candidate.verifier, secret, clientId)) {
          remember(digest, {
            clientId,
            secretId: candidate.id,
            // At most 60 s, and never past the matched secret's own expiry.
            expiresAtMs: Math.min(
              nowMs + AUTHENTICATION_CACHE_MS,
              candidate.expiresAt?.getTime() ?? Infinity,
            ),
          });
          return client;
        }
      }
      // A failure is not cached here (a secret is never refused from memory once it is
      // valid); the checker remembers only that this exact secret fails this verifier.
      return null;
    },
  };
}
