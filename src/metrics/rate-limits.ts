import type { Registry } from 'prom-client';
import { declareMetrics } from './declare-metrics.js';

/** latchkey_rate_limited_total{door,reason}: requests refused by a limit or a backoff. */
export function registerRateLimitMetrics(registry: Registry) {
  const refused = declareMetrics(registry).counter(
    'latchkey_rate_limited_total',
    'Requests answered 429 by a rate limit or a failed-credential backoff, by door (login, login_callback, saml, token, introspection, revocation, admin_api, domain_verification, scim, client_secret, api_key, scim_token) and reason (ip, org, email, connection, client, api_key, domain, directory, ip_backoff, credential_ip_backoff, credential_backoff), plus reason store_unavailable for requests answered 503 because the limiter store could not answer.',
    ['door', 'reason'],
  );
  return {
    countRefused: (door: string, reason: string) => refused.inc({ door, reason }),
  };
}
