import { createHash } from 'node:crypto';
import type { Config } from '../config/index.js';
import { createCredentialBackoff, type CredentialBackoff } from './credential-backoff.js';
import type { Limit, LimitRule } from './limit.js';
import { addressKey, type RateLimiter, type ThrottleEvent } from './rate-limiter.js';

/** An org's own budgets (its settings), where it set them. */
export interface OrgLimits {
  id: string;
  loginStartsPerMinute: number | null;
  loginStartsPerIpPerMinute: number | null;
}

/**
 * Every door Latchkey limits, in its words: which budgets a request there spends. Each
 * throws RateLimitedError (429) or UnavailableError (503, the store is away).
 */
export interface Doors {
  /** A login page request that looks up an email or starts a sign-in. */
  login(ip: string | null): Promise<void>;
  /** A sign-in about to start at an org's connection (a login transaction is kept). */
  loginStart(org: OrgLimits, ip: string | null, email: string | null): Promise<void>;
  /** An IdP's answer: an OIDC callback, the SAML ACS or hand-off, a SAML logout message. */
  callback(
    door: 'login_callback' | 'saml',
    ip: string | null,
    connectionId: string | null,
  ): Promise<void>;
  /** The token endpoint, before client authentication (per address) … */
  tokenRequest(ip: string | null): Promise<void>;
  /** … and once the client authenticated (per client). */
  tokenClient(clientId: string): Promise<void>;
  introspection(clientId: string): Promise<void>;
  revocation(clientId: string): Promise<void>;
  adminApi(keyId: string): Promise<void>;
  domainVerification(domainId: string, orgId: string): Promise<void>;
  /** A SCIM request whose directory token verified (per directory). */
  scim(directoryId: string, orgId: string): Promise<void>;
  /** Backoff of failed client-secret, API-key and SCIM-token checks. */
  credentials: CredentialBackoff;
}

const perMinute = (points: number): LimitRule => ({ points, windowSeconds: 60 });

/** An email address as a counter key: its digest (the address itself is not kept). */
const emailKey = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22);

export function createDoors(deps: {
  limiter: RateLimiter;
  rules: Config['limits'];
  onThrottle(event: ThrottleEvent): void;
  onStoreError?: (door: 'client_secret' | 'api_key', error: unknown) => void;
}): Doors {
  const { limiter, rules } = deps;
  const limit = (policy: string, rule: LimitRule, key: string, reason: Limit['reason']) => ({
    policy,
    rule,
    key,
    reason,
  });
  return {
    login: (ip) =>
      limiter.take('login', [limit('login-ip', rules.loginPerIp, addressKey(ip), 'ip')]),
    loginStart(org, ip, email) {
      const perIp = org.loginStartsPerIpPerMinute
        ? perMinute(org.loginStartsPerIpPerMinute)
        : rules.loginStartPerOrgAndIp;
      const perOrg = org.loginStartsPerMinute
        ? perMinute(org.loginStartsPerMinute)
        : rules.loginStartPerOrg;
      const limits: Limit[] = [
        {
          ...limit('login-start-org-ip', perIp, `${org.id}|${addressKey(ip)}`, 'ip'),
          orgId: org.id,
        },
      ];
      if (email)
        limits.push({
          ...limit('login-start-email', rules.loginStartPerEmail, emailKey(email), 'email'),
          orgId: org.id,
        });
      limits.push({ ...limit('login-start-org', perOrg, org.id, 'org'), orgId: org.id });
      return limiter.take('login', limits);
    },
    callback(door, ip, connectionId) {
      const limits = [limit('callback-ip', rules.callbackPerIp, addressKey(ip), 'ip')];
      if (connectionId)
        limits.push(
          limit('callback-connection', rules.callbackPerConnection, connectionId, 'connection'),
        );
      return limiter.take(door, limits);
    },
    tokenRequest: (ip) =>
      limiter.take('token', [limit('token-ip', rules.tokenPerIp, addressKey(ip), 'ip')]),
    tokenClient: (clientId) =>
      limiter.take('token', [limit('token-client', rules.tokenPerClient, clientId, 'client')]),
    introspection: (clientId) =>
      limiter.take('introspection', [
        limit('introspection-client', rules.introspectionPerClient, clientId, 'client'),
      ]),
    revocation: (clientId) =>
      limiter.take('revocation', [
        limit('revocation-client', rules.revocationPerClient, clientId, 'client'),
      ]),
    adminApi: (keyId) =>
      limiter.take('admin_api', [limit('admin-api-key', rules.adminApiPerKey, keyId, 'api_key')]),
    domainVerification: (domainId, orgId) =>
      limiter.take('domain_verification', [
        {
          ...limit('domain-verification', rules.domainVerificationPerDomain, domainId, 'domain'),
          orgId,
        },
      ]),
    scim: (directoryId, orgId) =>
      limiter.take('scim', [
        {
          ...limit('scim-directory', rules.scimPerDirectory, directoryId, 'directory'),
          orgId,
        },
      ]),
    credentials: createCredentialBackoff({
      limiter,
      rules: rules.failedCredentials,
      onThrottle: (event) => deps.onThrottle(event),
      ...(deps.onStoreError && { onStoreError: deps.onStoreError }),
    }),
  };
}
