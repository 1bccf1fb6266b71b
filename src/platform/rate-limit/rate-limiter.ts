import { isIPv6 } from 'node:net';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { UnavailableError } from '../errors.js';
import { ipv6Groups } from '../net/index.js';
import type { RedisClient } from '../redis/index.js';
import { RateLimitedError, type Door, type Limit, type LimitRule, type Throttle } from './limit.js';

/** What a door's check is told when it throttles (metrics, the audit trail). */
export interface ThrottleEvent extends Throttle {
  key: string;
  orgId?: string;
  /** True for the one request (across processes) that crossed the limit in its window. */
  firstInWindow: boolean;
  /** refused: this request is answered 429; backoff_started: a failure began a backoff. */
  kind: 'refused' | 'backoff_started';
}

export interface RateLimiterOptions {
  /** Redis or Redis Cluster (every counter is one key: atomic on a cluster); null: memory. */
  redis: RedisClient | null;
  /** Every refusal, and every store failure (then the request is answered 503). */
  onThrottle(event: ThrottleEvent): void;
  onStoreError(door: Door, error: unknown): void;
  nowMs?: () => number;
}

export interface RateLimiter {
  /**
   * Counts one request against each limit in turn, narrowest first. Throws
   * RateLimitedError (429) at the first that is spent (the later ones are not counted),
   * UnavailableError (503) when the store cannot answer: limits fail closed.
   */
  take(door: Door, limits: Limit[]): Promise<void>;
  /** The underlying counter of one policy and rule, for the backoff of failed credentials. */
  counter(policy: string, rule: LimitRule): RateLimiterAbstract;
}

/** Local knowledge of one counter in this process. */
interface Local {
  pending: number;
  blockedUntilMs: number;
  /** The store failed for this counter: every request asks it again until it answers. */
  unavailable: boolean;
}

/** Keys this process remembers locally before it forgets the expired ones. */
const MAX_LOCAL = 50_000;

/**
 * How many requests a process counts locally before it adds them to the shared counter:
 * 1 (every request, exact) for budgets under 200 a window; 1 % of the budget, at most 100,
 * above. A deployment of N processes may so admit up to N·batch requests more than the
 * budget in a window (≤ N %), and the hot doors pay one store round trip per batch.
 */
export const batchOf = (rule: LimitRule) =>
  rule.points < 200 ? 1 : Math.min(100, Math.floor(rule.points / 100));

/**
 * Fixed-window counters from rate-limiter-flexible: RateLimiterRedis (one Lua INCR+EXPIRE
 * per counter key, atomic on Redis and Redis Cluster) or RateLimiterMemory. A counter
 * known to be spent is refused locally until its window ends, so a flood costs the store
 * one call per process and window, not one per request.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const nowMs = options.nowMs ?? Date.now;
  const counters = new Map<string, RateLimiterAbstract>();
  const locals = new Map<string, Local>();

  const counter = (policy: string, rule: LimitRule): RateLimiterAbstract => {
    const id = `${policy}/${rule.points}/${rule.windowSeconds}`;
    let found = counters.get(id);
    if (!found) {
      // The policy names the keys: an org's own budget counts the same requests.
      const common = {
        keyPrefix: `rl:${policy}`,
        points: rule.points,
        duration: rule.windowSeconds,
      };
      found = options.redis
        ? new RateLimiterRedis({ ...common, storeClient: options.redis })
        : new RateLimiterMemory(common);
      counters.set(id, found);
    }
    return found;
  };

  const localOf = (id: string): Local => {
    let local = locals.get(id);
    if (!local) {
      if (locals.size >= MAX_LOCAL) {
        const now = nowMs();
        for (const [key, entry] of locals)
          if (entry.blockedUntilMs <= now && entry.pending === 0) locals.delete(key);
        if (locals.size >= MAX_LOCAL) locals.clear();
      }
      local = { pending: 0, blockedUntilMs: 0, unavailable: false };
      locals.set(id, local);
    }
    return local;
  };

  /** One limit: null when within it, else how it throttles. */
  const hit = async (door: Door, limit: Limit): Promise<ThrottleEvent | null> => {
    const id = `${limit.policy}\0${limit.key}`;
    const local = localOf(id);
    const now = nowMs();
    const throttle = (retryAfterMs: number, firstInWindow: boolean): ThrottleEvent => ({
      door,
      policy: limit.policy,
      rule: limit.rule,
      reason: limit.reason,
      key: limit.key,
      ...(limit.orgId ? { orgId: limit.orgId } : {}),
      retryAfterMs,
      firstInWindow,
      kind: 'refused',
    });
    if (local.blockedUntilMs > now) return throttle(local.blockedUntilMs - now, false);
    local.pending += 1;
    if (local.pending < batchOf(limit.rule) && !local.unavailable) return null;
    const points = local.pending;
    local.pending = 0;
    let res: RateLimiterRes;
    try {
      res = await counter(limit.policy, limit.rule).consume(limit.key, points);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        // The batch's requests admitted locally stay pending; this one is answered 503 and
        // is not held against its key once the store is back.
        local.pending += points - 1;
        local.unavailable = true;
        throw rejection;
      }
      res = rejection;
    }
    local.unavailable = false;
    if (res.consumedPoints <= limit.rule.points) return null;
    local.blockedUntilMs = now + res.msBeforeNext;
    return throttle(res.msBeforeNext, res.consumedPoints - points <= limit.rule.points);
  };

  return {
    counter,
    async take(door, limits) {
      // In order, narrowest first: a request one budget refuses spends none of the
      // broader ones after it (an address over its own budget at an org does not go on
      // spending the org's).
      for (const limit of limits) {
        let refusal: ThrottleEvent | null;
        try {
          refusal = await hit(door, limit);
        } catch (error) {
          options.onStoreError(door, error);
          throw new UnavailableError('rate limiter store (redis)', error);
        }
        if (refusal) {
          options.onThrottle(refusal);
          throw new RateLimitedError(refusal);
        }
      }
    },
  };
}

/**
 * The identifier a client address is counted under: an IPv4 address as it is, an IPv6
 * address by its /64 (one subscriber's prefix: counting single addresses would let one
 * host use 2^64 of them), "unknown" when there is none.
 */
export function addressKey(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  // An IPv4 address (no colon) is its own key; only IPv6 needs parsing.
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const groups = isIPv6(ip) ? ipv6Groups(ip) : null;
  if (!groups) return ip;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
