import type { AuditLog } from '../audit/index.js';
import { registerRateLimitMetrics } from '../metrics/index.js';
import {
  createDoors,
  createRateLimiter,
  retryAfterSeconds,
  type Door,
  type Doors,
  type ThrottleEvent,
} from '../platform/rate-limit/index.js';
import type { Stores } from './open-stores.js';
import type { Runtime } from './runtime.js';

/** What a throttled identifier is, in the audit trail's target words. */
function targetOf(event: ThrottleEvent): { type: string; id: string } {
  // An org's own budget: the org is the target; the address stays out of its trail.
  if (event.orgId && event.reason !== 'domain' && event.reason !== 'email')
    return { type: 'org', id: event.orgId };
  switch (event.reason) {
    case 'ip':
    case 'ip_backoff':
      return { type: 'address', id: event.key };
    case 'credential_ip_backoff':
    case 'credential_backoff':
      return {
        type: event.door === 'client_secret' ? 'client' : event.door,
        id: event.key.split('|')[0]!,
      };
    default:
      return { type: event.reason, id: event.key };
  }
}

/**
 * The rate limiter on the hot store (Redis, Redis Cluster, or memory without Redis) and
 * the doors that spend it. Every refusal is counted; the request that crossed a limit (or
 * the failure that started a backoff) is audited, once per identifier and window.
 */
export function buildDoors(
  rt: Runtime,
  stores: Pick<Stores, 'limiterRedis'>,
  audit: AuditLog,
): Doors {
  const { logger } = rt;
  const counts = registerRateLimitMetrics(rt.metrics.registry);
  const onThrottle = (event: ThrottleEvent) => {
    if (event.kind === 'refused') counts.countRefused(event.door, event.reason);
    if (!event.firstInWindow) return;
    audit
      .append({
        type: 'security.rate_limited',
        orgId: event.orgId ?? null,
        actor: { type: 'system', id: null },
        target: targetOf(event),
        outcome: 'failure',
        reason: event.reason,
        data: {
          door: event.door,
          policy: event.policy,
          limit: event.rule.points,
          window_seconds: event.rule.windowSeconds,
          retry_after_seconds: retryAfterSeconds(event),
        },
      })
      .catch((error: unknown) =>
        logger.warn({ err: error, policy: event.policy }, 'rate-limit audit event not written'),
      );
  };
  const onStoreError = (door: Door, error: unknown) => {
    counts.countRefused(door, 'store_unavailable');
    logger.warn({ err: error, door }, 'rate limiter store unavailable: answering 503');
  };
  const limiter = createRateLimiter({ redis: stores.limiterRedis, onThrottle, onStoreError });
  return createDoors({ limiter, rules: rt.config.limits, onThrottle, onStoreError });
}
