import { UnavailableError } from '../errors.js';
import { RateLimitedError, type Door, type LimitReason, type LimitRule } from './limit.js';
import { addressKey, type RateLimiter, type ThrottleEvent } from './rate-limiter.js';

/** config `limits.failedCredentials`. */
export interface FailedCredentialRules {
  /** Failures of one credential from one address before its backoff starts. */
  attemptsPerCredentialAndIp: number;
  /** Failures from one address (any credential) before its backoff starts. */
  attemptsPerIp: number;
  /** Failures of one credential (any address) before each further one costs a step. */
  attemptsPerCredential: number;
  /** Failures are counted in fixed windows of this length. */
  windowSeconds: number;
  /** The first backoff, doubled at each further failure, at most the cap. */
  backoffBaseSeconds: number;
  backoffCapSeconds: number;
}

type CredentialDoor = Extract<Door, 'client_secret' | 'api_key' | 'scim_token'>;

export interface CredentialBackoff {
  /**
   * Before a presented credential is checked: refuses (429) while a backoff of the
   * credential from this address, of this address, or of the credential runs. Free (no
   * store call) unless this process has seen a failure of the credential or the address
   * within the window.
   */
  check(door: CredentialDoor, credential: string | null, ip: string | null): Promise<void>;
  /** A presented credential did not verify: counts it, and starts or extends backoffs. */
  failed(door: CredentialDoor, credential: string | null, ip: string | null): Promise<void>;
  /** It verified: the failures of that credential from that address are forgiven. */
  succeeded(door: CredentialDoor, credential: string | null, ip: string | null): Promise<void>;
  /**
   * The three above around one check of a presented credential: refused (429) while a
   * backoff runs, then `verify`; null (it did not verify) counts a failure, anything else
   * forgives. Returns what `verify` returned.
   */
  verify<T>(
    door: CredentialDoor,
    credential: string | null,
    ip: string | null,
    verify: () => Promise<T | null>,
  ): Promise<T | null>;
}

interface Scope {
  reason: LimitReason;
  key: string;
  attempts: number;
  /** Seconds of backoff for the nth failure beyond the allowance (n ≥ 1). */
  backoff(n: number): number;
}

const MAX_HINTS = 50_000;

const exponentialIn = (rules: FailedCredentialRules) => (n: number) =>
  Math.min(rules.backoffCapSeconds, rules.backoffBaseSeconds * 2 ** Math.min(n - 1, 30));

/** This process's hint keys of a presented credential: its address's, and its own. */
const hintKeysOf = (door: CredentialDoor, credential: string | null, address: string) =>
  credential ? [`${door}|i|${address}`, `${door}|c|${credential}`] : [`${door}|i|${address}`];

/** The three scopes a presented credential is counted in, and this process's hint keys. */
function scopesOf(
  rules: FailedCredentialRules,
  door: CredentialDoor,
  credential: string | null,
  ip: string | null,
) {
  const address = addressKey(ip);
  const exponential = exponentialIn(rules);
  const list: Scope[] = [
    { reason: 'ip_backoff', key: address, attempts: rules.attemptsPerIp, backoff: exponential },
  ];
  if (credential) {
    list.push(
      {
        reason: 'credential_ip_backoff',
        key: `${credential}|${address}`,
        attempts: rules.attemptsPerCredentialAndIp,
        backoff: exponential,
      },
      {
        reason: 'credential_backoff',
        key: credential,
        attempts: rules.attemptsPerCredential,
        backoff: () => rules.backoffBaseSeconds,
      },
    );
  }
  return { list, hints: hintKeysOf(door, credential, address) };
}

/**
 * Backoff of failed client-secret and API-key checks, on the limiter's store, in three
 * scopes (the trade-off, docs/rate-limits.md):
 * - credential × address: after `attemptsPerCredentialAndIp` failures, base·2^(n-1)
 *   seconds (at most the cap) for the nth failure beyond them — the attacker's own
 *   address waits longer and longer;
 * - address: the same, after `attemptsPerIp` failures of any credentials (spraying);
 * - credential: after `attemptsPerCredential` failures from anywhere, each further
 *   failure blocks the credential for one fixed step (the base), never longer, so an
 *   attack spread over many addresses cannot lock the owner, from an address of its own,
 *   out for more than one step at a time.
 * A success forgives the failures of that credential from that address.
 */
export function createCredentialBackoff(deps: {
  limiter: RateLimiter;
  rules: FailedCredentialRules;
  onThrottle(event: ThrottleEvent): void;
  /** The store failed (the request is answered 503): counted like the limiter's. */
  onStoreError?(door: CredentialDoor, error: unknown): void;
  nowMs?: () => number;
}): CredentialBackoff {
  const { limiter, rules } = deps;
  const nowMs = deps.nowMs ?? Date.now;
  const window = rules.windowSeconds;
  // Failures seen by this process, by credential and by address, until their window ends.
  const hints = new Map<string, number>();
  const hinted = (key: string) => (hints.get(key) ?? 0) > nowMs();
  // Whether this process saw a failure of the credential or the address in the window:
  // the common case (none) builds no scopes.
  const anyHinted = (door: CredentialDoor, credential: string | null, ip: string | null) =>
    hints.size > 0 && hintKeysOf(door, credential, addressKey(ip)).some(hinted);
  const hint = (key: string) => {
    if (hints.size >= MAX_HINTS) hints.clear();
    hints.set(key, nowMs() + window * 1000);
  };

  const scopes = (door: CredentialDoor, credential: string | null, ip: string | null) =>
    scopesOf(rules, door, credential, ip);
  const failures = (door: CredentialDoor, scope: Scope) =>
    limiter.counter(`${door}-failures-${scope.reason}`, {
      points: scope.attempts,
      windowSeconds: window,
    });
  // A backoff is a counter blocked for its duration (rate-limiter-flexible's block()).
  const backoffs = (door: CredentialDoor, scope: Scope) =>
    limiter.counter(`${door}-${scope.reason}`, { points: 1, windowSeconds: 1 });
  const throttle = (
    door: CredentialDoor,
    scope: Scope,
    retryAfterMs: number,
    kind: ThrottleEvent['kind'],
  ): ThrottleEvent => {
    const rule: LimitRule = { points: scope.attempts, windowSeconds: window };
    return {
      door,
      policy: `${door}-${scope.reason.replace(/_/g, '-')}`,
      rule,
      reason: scope.reason,
      key: scope.key,
      retryAfterMs,
      firstInWindow: kind === 'backoff_started',
      kind,
    };
  };
  const guarded = async <T>(door: CredentialDoor, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      deps.onStoreError?.(door, error);
      throw new UnavailableError('rate limiter store (redis)', error);
    }
  };

  return withVerify({
    async check(door, credential, ip) {
      if (!anyHinted(door, credential, ip)) return;
      const { list } = scopes(door, credential, ip);
      const blocked = await guarded(door, () =>
        Promise.all(list.map((scope) => backoffs(door, scope).get(scope.key))),
      );
      let refusal: ThrottleEvent | null = null;
      blocked.forEach((res, i) => {
        if (!res || res.consumedPoints <= 1 || res.msBeforeNext <= 0) return;
        const event = throttle(door, list[i]!, res.msBeforeNext, 'refused');
        if (!refusal || event.retryAfterMs > refusal.retryAfterMs) refusal = event;
      });
      if (refusal) {
        deps.onThrottle(refusal);
        throw new RateLimitedError(refusal);
      }
    },

    async failed(door, credential, ip) {
      const { list, hints: keys } = scopes(door, credential, ip);
      keys.forEach(hint);
      await guarded(door, () =>
        Promise.all(
          list.map(async (scope) => {
            const counted = await failures(door, scope)
              .consume(scope.key)
              .catch((rejection: unknown) => {
                if (rejection instanceof Error) throw rejection;
                return rejection as { consumedPoints: number };
              });
            const beyond = counted.consumedPoints - scope.attempts + 1;
            if (beyond < 1) return;
            const seconds = scope.backoff(beyond);
            await backoffs(door, scope).block(scope.key, seconds);
            // The first backoff of a window is reported (metrics, one audit event).
            if (beyond === 1)
              deps.onThrottle(throttle(door, scope, seconds * 1000, 'backoff_started'));
          }),
        ),
      );
    },

    async succeeded(door, credential, ip) {
      if (!credential || !anyHinted(door, credential, ip)) return;
      const { list } = scopes(door, credential, ip);
      const pair = list.find((scope) => scope.reason === 'credential_ip_backoff')!;
      await guarded(door, () =>
        Promise.all([failures(door, pair).delete(pair.key), backoffs(door, pair).delete(pair.key)]),
      );
    },
  });
}

/** CredentialBackoff.verify: check, the caller's verification, then failed or succeeded. */
function withVerify(backoff: Omit<CredentialBackoff, 'verify'>): CredentialBackoff {
  return {
    ...backoff,
    async verify(door, credential, ip, verify) {
      await backoff.check(door, credential, ip);
      const verified = await verify();
      if (verified === null) await backoff.failed(door, credential, ip);
      else await backoff.succeeded(door, credential, ip);
      return verified;
    },
  };
}
