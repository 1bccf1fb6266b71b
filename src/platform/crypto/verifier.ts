import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import { AppError } from '../errors.js';

/**
 * Verifiers for secrets Latchkey only ever checks (API keys, OAuth client secrets):
 * argon2id, so a leaked table does not give the secrets away. Slow on purpose (~0.1 s):
 * callers cache successful checks so the hot path pays it once per secret a minute.
 */
export const createVerifier = (secret: string): Promise<string> =>
  argon2.hash(secret, { type: argon2.argon2id });

export interface SecretCheckLimits {
  /** argon2 verifications running at once in this process (each takes a libuv thread). */
  maxConcurrent: number;
  /** Checks waiting for a turn; one more is refused as busy (503, Retry-After). */
  maxWaiting: number;
  /**
   * Checks running or waiting for any one credential (a client id, an API key id): wrong
   * secrets for one credential cannot take every slot from the others.
   */
  maxPerCredential: number;
}

/** The limits config/default.yaml (secretChecks) sets, for services built without config. */
export const DEFAULT_SECRET_CHECK_LIMITS: SecretCheckLimits = {
  maxConcurrent: 2,
  maxWaiting: 64,
  maxPerCredential: 4,
};

/** How many refused (verifier, secret) pairs are remembered (they are refused for good). */
const REFUSED_MAX_ENTRIES = 10_000;

/**
 * Checks presented secrets against argon2id verifiers without letting wrong secrets
 * become a denial of service: whoever knows a client id or an API key id can send wrong
 * secrets, and each would cost ~0.1 s of a libuv thread (shared with DNS, file and
 * WebCrypto work) and 64 MiB.
 * - A refused pair is remembered: argon2.verify(verifier, secret) is a pure function, so a
 *   client retrying the same wrong secret in a loop costs a hash lookup, not argon2.
 * - At most `maxConcurrent` verifications run at once and `maxWaiting` wait; beyond that
 *   the check fails as busy (503 `secret_checks_busy`, Retry-After: 1), so a flood of new
 *   wrong secrets degrades authentication that is not cached yet, never the process.
 */
export function createSecretChecker(
  limits: SecretCheckLimits,
  verify: (verifier: string, secret: string) => Promise<boolean> = (verifier, secret) =>
    argon2.verify(verifier, secret),
) {
  const refused = new Set<string>();
  const waiting: Array<() => void> = [];
  let running = 0;
  const perCredential = new Map<string, number>();
  const busy = () =>
    new AppError(
      'secret_checks_busy',
      'Too many credential checks in progress; try again shortly',
      { status: 503, headers: { 'Retry-After': '1' } },
    );

  const turn = async () => {
    if (running < limits.maxConcurrent) {
      running += 1;
      return;
    }
    if (waiting.length >= limits.maxWaiting) throw busy();
    // The finishing check hands its slot over (running stays the same).
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const done = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async check(verifier: string, secret: string, credential: string): Promise<boolean> {
      const pair = createHash('sha256')
        .update(verifier)
        .update('\0')
        .update(secret)
        .digest('base64');
      if (refused.has(pair)) return false;
      // Counted from the moment it asks for a turn (running or waiting).
      const mine = perCredential.get(credential) ?? 0;
      if (mine >= limits.maxPerCredential) throw busy();
      perCredential.set(credential, mine + 1);
      const leave = () => {
        const left = (perCredential.get(credential) ?? 1) - 1;
        if (left > 0) perCredential.set(credential, left);
        else perCredential.delete(credential);
      };
      try {
        await turn();
      } catch (error) {
        leave();
        throw error;
      }
      let ok: boolean;
      try {
        ok = await verify(verifier, secret);
      } catch {
        // A malformed verifier or an argon2 failure: refused, not remembered.
        return false;
      } finally {
        done();
        leave();
      }
      if (!ok) {
        if (refused.size >= REFUSED_MAX_ENTRIES) refused.clear();
        refused.add(pair);
      }
      return ok;
    },
    /** For tests and metrics: checks running and waiting now, and credentials with any. */
    load: () => ({ running, waiting: waiting.length, credentials: perCredential.size }),
  };
}

export type SecretChecker = ReturnType<typeof createSecretChecker>;
