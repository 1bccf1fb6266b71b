export {
  humanDelay,
  RateLimitedError,
  retryAfterSeconds,
  throttleHeaders,
  type Door,
  type Limit,
  type LimitReason,
  type LimitRule,
  type Throttle,
} from './limit.js';
export {
  addressKey,
  batchOf,
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type ThrottleEvent,
} from './rate-limiter.js';
export {
  createCredentialBackoff,
  type CredentialBackoff,
  type FailedCredentialRules,
} from './credential-backoff.js';
export { createDoors, type Doors, type OrgLimits } from './doors.js';
