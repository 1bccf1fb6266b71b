import { AppError } from '../errors.js';

/** A budget: at most `points` requests per fixed window of `windowSeconds`. */
export interface LimitRule {
  points: number;
  windowSeconds: number;
}

/**
 * One limit as a door applies it: its policy name (the RateLimit-Policy item, the counter
 * keys' namespace), the rule, the identifier it counts per (an IP, a client id, …) and
 * why it throttles, in the words of latchkey_rate_limited_total's `reason` label.
 */
export interface Limit {
  policy: string;
  rule: LimitRule;
  key: string;
  reason: LimitReason;
  /** The org the counted requests belong to, where one is known (its audit chain). */
  orgId?: string;
}

export type LimitReason =
  | 'ip'
  | 'org'
  | 'email'
  | 'connection'
  | 'client'
  | 'api_key'
  | 'domain'
  | 'directory'
  | 'credential_backoff'
  | 'ip_backoff'
  | 'credential_ip_backoff';

/** Which door throttled: the `door` label of latchkey_rate_limited_total. */
export type Door =
  | 'login'
  | 'login_callback'
  | 'saml'
  | 'token'
  | 'introspection'
  | 'revocation'
  | 'admin_api'
  | 'domain_verification'
  | 'scim'
  | 'client_secret'
  | 'api_key'
  | 'scim_token';

/** What a refused request learns: which policy, and how long until it may try again. */
export interface Throttle {
  door: Door;
  policy: string;
  rule: LimitRule;
  reason: LimitReason;
  retryAfterMs: number;
}

/**
 * The IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers, structured fields):
 * `RateLimit-Policy: "name";q=<quota>;w=<window>` and `RateLimit: "name";r=0;t=<reset>`,
 * with Retry-After (RFC 9110 §10.2.3) in whole seconds, at least 1.
 */
export function throttleHeaders(throttle: Throttle): Record<string, string> {
  const seconds = retryAfterSeconds(throttle);
  const name = `"${throttle.policy}"`;
  return {
    'Retry-After': String(seconds),
    'RateLimit-Policy': `${name};q=${throttle.rule.points};w=${throttle.rule.windowSeconds}`,
    RateLimit: `${name};r=0;t=${seconds}`,
  };
}

export const retryAfterSeconds = (throttle: Pick<Throttle, 'retryAfterMs'>) =>
  Math.max(1, Math.ceil(throttle.retryAfterMs / 1000));

/** "5 seconds", "2 minutes", "1 hour": when to try again, for people. */
export function humanDelay(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return unit(seconds, 'second');
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), 'minute');
  return unit(Math.ceil(seconds / 3600), 'hour');
}

/**
 * 429 Too Many Requests, in every audience's style: problem+json with code
 * `rate_limited`, OAuth's `{"error":"too_many_requests"}` (http/error-renderer.ts), or
 * the error page, whose message says when to try again.
 */
export class RateLimitedError extends AppError {
  constructor(
    readonly throttle: Throttle,
    message = defaultMessage(throttle),
  ) {
    super('rate_limited', message, {
      status: 429,
      headers: throttleHeaders(throttle),
      detail: `${throttle.door}: ${throttle.policy} (${throttle.reason})`,
    });
  }
}

function defaultMessage(throttle: Throttle): string {
  const wait = humanDelay(retryAfterSeconds(throttle));
  switch (throttle.door) {
    case 'login':
    case 'login_callback':
    case 'saml':
      return `Too many sign-in attempts. Please wait ${wait} and try again.`;
    case 'api_key':
    case 'scim_token':
      return `Too many failed authentication attempts. Try again in ${wait}.`;
    case 'admin_api':
    case 'domain_verification':
    case 'scim':
      return `Too many requests. Try again in ${wait}.`;
    // OAuth's error_description is the same for every request of a code: the wait is in
    // Retry-After.
    case 'client_secret':
      return 'Too many failed client authentication attempts; retry after Retry-After seconds.';
    default:
      return 'Too many requests; retry after Retry-After seconds.';
  }
}
