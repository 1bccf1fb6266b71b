import { z } from 'zod';
import { SHIPPED_LOCALES } from '../locales.js';

/**
 * The one schema of Latchkey's configuration. config/default.yaml documents every key
 * with its default; this schema is what is enforced. Objects are strict so that an
 * unknown key (a typo in YAML or an unknown LATCHKEY_ variable) refuses the start.
 */

const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** A budget: `points` requests per fixed window of `windowSeconds` (limits.*). */
const limitRule = z.strictObject({
  points: positiveInt.max(10_000_000),
  windowSeconds: positiveInt.max(86_400),
});

const urlWithScheme = (schemes: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL with scheme ${schemes.join(' or ')}` },
  );

export const configSchema = z.strictObject({
  env: z.enum(['development', 'test', 'production']),
  server: z.strictObject({
    host: z.string().min(1),
    port,
    issuer: urlWithScheme(['http:', 'https:']).refine(
      (value) => {
        const url = new URL(value);
        return !url.search && !url.hash && !value.endsWith('/');
      },
      { message: 'must have no query, fragment or trailing slash' },
    ),
    trustProxy: z.union([z.boolean(), positiveInt, z.string().min(1)]),
    bodyLimitBytes: positiveInt.max(10 * 1024 * 1024),
    shutdownGraceMs: positiveInt,
    requestTimeoutMs: positiveInt,
  }),
  // The listener of /metrics and /slo (and /healthz, /readyz), apart from the public one.
  management: z.strictObject({
    host: z.string().min(1),
    port,
  }),
  database: z.strictObject({
    url: z.union([z.literal(''), urlWithScheme(['postgres:', 'postgresql:'])]),
    pgliteDir: z.string().min(1),
    poolMax: positiveInt.max(200),
    statementTimeoutMs: positiveInt,
    queryTimeoutMs: positiveInt,
    connectTimeoutMs: positiveInt,
    vacuumIntervalSeconds: nonNegativeInt,
    vacuumDeadRows: positiveInt,
  }),
  redis: z.strictObject({
    url: z.union([z.literal(''), urlWithScheme(['redis:', 'rediss:'])]),
    cluster: z.boolean(),
    keyPrefix: z.string().regex(/^[A-Za-z0-9:_{}.-]*$/, 'may hold only letters, digits and :_{}.-'),
    commandTimeoutMs: positiveInt,
    connectTimeoutMs: positiveInt,
  }),
  keys: z.strictObject({
    dir: z.string().min(1),
    algorithm: z.enum(['ES256', 'RS256', 'EdDSA']),
    generateIfMissing: z.boolean(),
    minPublishedSecondsBeforeSigning: nonNegativeInt,
    retiredPublishedSeconds: positiveInt,
  }),
  sessions: z.strictObject({
    cookieName: z.union([
      z.literal(''),
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a cookie token'),
    ]),
  }),
  tokens: z.strictObject({
    maxAccessTokenTtlSeconds: positiveInt.max(3600),
    idTokenTtlSeconds: positiveInt.max(3600),
    refreshTokenTtlSeconds: positiveInt.max(90 * 86_400),
    refreshReuseGraceSeconds: nonNegativeInt.max(300),
    authorizationCodeTtlSeconds: positiveInt.max(600),
    clockToleranceSeconds: nonNegativeInt.max(300),
  }),
  signals: z.strictObject({
    heartbeatSeconds: positiveInt.max(30),
    feedPollIntervalMs: z.number().int().min(100).max(10_000),
    pushIntervalMs: z.number().int().min(100).max(60_000),
  }),
  secrets: z.strictObject({
    keyEncryptionKey: z.union([
      z.literal(''),
      z.string().refine((v) => Buffer.from(v, 'base64').length === 32, {
        message: 'must be 32 bytes, base64-encoded',
      }),
    ]),
    // HMAC key of the pseudonyms that replace an erased user's id in the audit trail.
    auditPseudonymKey: z.union([
      z.literal(''),
      z.string().refine((v) => Buffer.from(v, 'base64').length === 32, {
        message: 'must be 32 bytes, base64-encoded',
      }),
    ]),
  }),
  admin: z.strictObject({
    apiKeyCacheSeconds: z.number().int().min(0).max(60),
  }),
  scim: z.strictObject({
    tokenRotationOverlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600),
    maxResultsPerPage: positiveInt.max(1000),
    maxFilterScan: positiveInt.max(10_000_000),
  }),
  branding: z.strictObject({
    maxLogoBytes: z
      .number()
      .int()
      .min(1024)
      .max(2 * 1024 * 1024),
  }),
  // The end-user pages' language where neither the person's choice (the language
  // switcher's cookie) nor the browser's Accept-Language names a shipped one (issue 20).
  pages: z.strictObject({
    defaultLocale: z.enum(SHIPPED_LOCALES),
  }),
  // The self-serve setup portal (issue 18): how long a setup link lives unless the
  // admin API asks otherwise, and the longest it may ask for.
  portal: z
    .strictObject({
      linkLifetimeSeconds: positiveInt.min(60).max(30 * 24 * 3600),
      maxLinkLifetimeSeconds: positiveInt.min(60).max(30 * 24 * 3600),
    })
    .refine((p) => p.maxLinkLifetimeSeconds >= p.linkLifetimeSeconds, {
      message: 'maxLinkLifetimeSeconds must be at least linkLifetimeSeconds',
    }),
  // The platform admin console (/console): who may use it is decided by SSO into the
  // platform's own org (its slug; '' turns the console off) and a role of that org's users.
  console: z.strictObject({
    platformOrg: z.union([
      z.literal(''),
      z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'must be an org slug' }),
    ]),
    adminRole: z.string().min(1).max(100),
  }),
  secretChecks: z.strictObject({
    maxConcurrent: positiveInt.max(16),
    maxWaiting: z.number().int().min(0).max(10_000),
    maxPerCredential: positiveInt.max(10_000),
  }),
  limits: z.strictObject({
    loginPerIp: limitRule,
    loginStartPerOrgAndIp: limitRule,
    loginStartPerOrg: limitRule,
    loginStartPerEmail: limitRule,
    callbackPerIp: limitRule,
    callbackPerConnection: limitRule,
    tokenPerClient: limitRule,
    tokenPerIp: limitRule,
    introspectionPerClient: limitRule,
    revocationPerClient: limitRule,
    adminApiPerKey: limitRule,
    domainVerificationPerDomain: limitRule,
    scimPerDirectory: limitRule,
    failedCredentials: z
      .strictObject({
        attemptsPerCredentialAndIp: positiveInt.max(100_000),
        attemptsPerIp: positiveInt.max(100_000),
        attemptsPerCredential: positiveInt.max(100_000),
        windowSeconds: positiveInt.max(86_400),
        backoffBaseSeconds: positiveInt.max(3600),
        backoffCapSeconds: positiveInt.max(86_400),
      })
      .refine((f) => f.backoffCapSeconds >= f.backoffBaseSeconds, {
        message: 'backoffCapSeconds must be at least backoffBaseSeconds',
        path: ['backoffCapSeconds'],
      }),
  }),
  outbound: z.strictObject({
    timeoutMs: positiveInt.max(60_000),
    maxResponseBytes: positiveInt.max(10 * 1024 * 1024),
    allowHttpLoopback: z.boolean(),
    allowedPrivateHosts: z.array(z.string().min(1)),
  }),
  saml: z.strictObject({
    // Clock skew tolerated on SAML NotBefore / NotOnOrAfter; at most 5 minutes.
    clockSkewSeconds: nonNegativeInt.max(300),
    // How often metadata fetched from an idp_metadata_url is fetched again (and IdP
    // certificates checked for coming expiry); between 1 minute and 1 day.
    metadataRefreshIntervalSeconds: positiveInt.min(60).max(86_400),
  }),
  audit: z.strictObject({
    // How often the retention job deletes events older than each org's audit_retention_days.
    retentionIntervalSeconds: positiveInt.min(60).max(86_400),
    // The Redis stream <redis.keyPrefix>audit:events keeps about this many newest events.
    streamMaxLength: positiveInt.min(1000),
    // The relay (committed audit events → stream and webhook deliveries).
    relayIntervalMs: positiveInt.min(50).max(3_600_000),
    relayBatchSize: positiveInt.max(1000),
    webhooks: z.strictObject({
      // How often due deliveries are looked for, and how many are sent at once.
      intervalMs: positiveInt.min(50).max(3_600_000),
      batchSize: positiveInt.max(200),
      // Failed attempts before a delivery is dead (dead-letter list).
      maxAttempts: positiveInt.max(100),
      // Exponential backoff with jitter: base·2^(n-1) seconds, at most cap.
      backoffBaseSeconds: positiveInt.max(3600),
      backoffCapSeconds: positiveInt.max(7 * 86_400),
      // One delivery request, from DNS to the last byte of the answer.
      requestTimeoutMs: positiveInt.max(60_000),
    }),
  }),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
  metrics: z.strictObject({
    upstreamLatencyByConnection: z.boolean(),
    upstreamLatencyMaxConnections: positiveInt.max(500),
    sloSampleIntervalSeconds: positiveInt.max(300),
  }),
  demo: z.strictObject({
    enabled: z.boolean(),
    // Loopback only: Latchkey reaches the demo IdP over plain http (outbound.allowHttpLoopback).
    oidcIdpHost: z
      .string()
      .regex(/^(?:localhost|127(?:\.\d{1,3}){3}|::1)$/, 'must be a loopback address or localhost'),
    oidcIdpPort: port,
    // The development SAML IdP (samlify's IdentityProvider role), beside the OIDC one.
    samlIdpHost: z
      .string()
      .regex(/^(?:localhost|127(?:\.\d{1,3}){3}|::1)$/, 'must be a loopback address or localhost'),
    samlIdpPort: port,
  }),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Choices that are fine on a laptop and dangerous in production. Each returns the
 * message to refuse the start with, or null.
 */
export const productionGuards: Array<(config: Config) => { path: string; message: string } | null> =
  [
    (c) =>
      c.redis.url === ''
        ? {
            path: 'redis.url',
            message: 'the in-memory store is single-process and dev-only; set REDIS_URL',
          }
        : null,
    (c) =>
      c.database.url === ''
        ? {
            path: 'database.url',
            message: 'embedded PGlite is single-process and dev-only; set DATABASE_URL',
          }
        : null,
    (c) =>
      c.demo.enabled
        ? {
            path: 'demo.enabled',
            message: 'the demo IdPs and seed data are dev-only; set it to false',
          }
        : null,
    (c) =>
      c.secrets.keyEncryptionKey === ''
        ? {
            path: 'secrets.keyEncryptionKey',
            message:
              'set a 32-byte base64 key (openssl rand -base64 32); the development key is public',
          }
        : null,
    (c) =>
      c.secrets.auditPseudonymKey === ''
        ? {
            path: 'secrets.auditPseudonymKey',
            message:
              'set a 32-byte base64 key (openssl rand -base64 32); the development key is public',
          }
        : null,
    (c) =>
      c.outbound.allowHttpLoopback
        ? {
            path: 'outbound.allowHttpLoopback',
            message: 'plain-http loopback fetches are dev-only',
          }
        : null,
    (c) =>
      c.keys.generateIfMissing
        ? {
            path: 'keys.generateIfMissing',
            message: 'generated signing keys are dev-only; mount keys and set it to false',
          }
        : null,
    (c) => {
      const url = new URL(c.server.issuer);
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      return url.protocol === 'http:' && !loopback
        ? {
            path: 'server.issuer',
            message: 'must be https in production (http only for localhost)',
          }
        : null;
    },
  ];
