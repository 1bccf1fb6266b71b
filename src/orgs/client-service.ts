import { z } from 'zod';
import { changeSet, type AuditLog, type RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import {
  createSecretChecker,
  createVerifier,
  DEFAULT_SECRET_CHECK_LIMITS,
  sha256Hex,
  type SecretChecker,
} from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { AppError, type FieldIssue } from '../platform/errors.js';
import { randomToken, uuidv7 } from '../platform/ids.js';
import { pageRequest, toPage, type Page } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  actorOf,
  assertPlatformAdmin,
  notFound,
  staleWrite,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import {
  clientStore,
  type Client,
  type ClientGrantType,
  type ClientSecretInfo,
  type ClientUpdate,
} from './client-store.js';

/** `lkc_` + 16 random bytes (128 bits) in base64url: not a UUID, reveals no count or time. */
export const CLIENT_ID_PATTERN = /^lkc_[A-Za-z0-9_-]{22}$/;
/** Client secrets are 32 random bytes (256 bits) in base64url; anything else is refused unchecked. */
const CLIENT_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const DEFAULT_ALLOWED_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
export const DEFAULT_SECRET_OVERLAP_SECONDS = 86_400;
/** A successful secret check is trusted in this process for at most this long. */
const AUTHENTICATION_CACHE_MS = 60_000;
const AUTHENTICATION_CACHE_MAX_ENTRIES = 10_000;

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const HTTP_AUTHORITY = /^(https?):\/\/([^/?#]*)/i;
const hasWhitespaceOrControl = (value: string) =>
  /\s/.test(value) ||
  [...value].some((char) => char.codePointAt(0)! < 0x20 || char.codePointAt(0) === 0x7f);

/**
 * Why a URI cannot be registered as a redirect, post-logout redirect or back-channel
 * logout URI, or null. They are compared by exact string match later (RFC 9700 §4.1.3),
 * so they are stored as given and must be unambiguous as given.
 */
function uriProblem(raw: string, allowHttp: (hostname: string) => boolean): string | null {
  if (hasWhitespaceOrControl(raw)) return 'must not contain whitespace or control characters';
  if (!SCHEME.test(raw) || !URL.canParse(raw)) return 'must be an absolute URI';
  // RFC 6749 §3.1.2: the redirection endpoint URI MUST NOT include a fragment component.
  if (raw.includes('#')) return 'must not contain a fragment';
  // RFC 9700 §4.1.3: exact matching only; a pattern is never a redirect URI.
  if (raw.includes('*')) return 'must not contain a wildcard';
  const match = HTTP_AUTHORITY.exec(raw);
  if (!match) return 'must use https';
  const url = new URL(raw);
  // Userinfo makes a URI read as another host (`https://ads.example.com@evil.example/`).
  if (match[2]!.includes('@') || url.username || url.password) {
    return 'must not contain user information';
  }
  if (!url.hostname) return 'must be an absolute URI';
  if (match[1]!.toLowerCase() === 'http' && !allowHttp(url.hostname)) {
    return 'must use https (http only for a loopback host)';
  }
  return null;
}

/** RFC 8252 §7.3, §8.3: native apps receive redirects on a loopback http listener. */
const redirectUriProblem = (raw: string) => uriProblem(raw, (host) => LOOPBACK_HOSTS.has(host));

const checked = (problem: (value: string) => string | null) =>
  z
    .string()
    .max(2000)
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: 'custom', message });
    });

const distinct = <T>(items: T[]) => new Set(items).size === items.length;
const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max).refine(distinct, 'must not repeat an entry');

const redirectUris = uniqueList(checked(redirectUriProblem), 20);

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const scopeToken = z
  .string()
  .max(128)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be an RFC 6749 scope token');

/** An audience is an absolute URI (`https://ads-api.example`, `urn:ads:reports`) or a simple name. */
const audience = checked((value) => {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(value)) return null;
  if (SCHEME.test(value) && URL.canParse(value) && !hasWhitespaceOrControl(value)) return null;
  return 'must be an absolute URI or a simple name (letters, digits, ".", "_", "-")';
});

const name = z.string().trim().min(1).max(200);
const grantTypes = uniqueList(z.enum(GRANT_TYPES), GRANT_TYPES.length).min(1);
const accessTokenTtlSeconds = z.number().int().min(60).max(3600);

export const RotateSecretBody = z.strictObject({
  overlap_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .optional(),
});

/** The combinations of grant types, type and redirect URIs a client may have. */
function combinationProblems(client: {
  type: Client['type'];
  grantTypes: ClientGrantType[];
  redirectUris: string[];
}): FieldIssue[] {
  const problems: FieldIssue[] = [];
  const has = (grant: ClientGrantType) => client.grantTypes.includes(grant);
  if (has('authorization_code') && client.redirectUris.length === 0) {
    problems.push({
      field: 'redirect_uris',
      message: 'authorization_code needs at least one redirect URI',
    });
  }
  // A refresh token is only ever issued with an authorization code grant here.
  if (has('refresh_token') && !has('authorization_code')) {
    problems.push({ field: 'grant_types', message: 'refresh_token needs authorization_code' });
  }
  // RFC 6749 §4.4: client_credentials MUST only be used by confidential clients.
  if (client.type === 'public' && has('client_credentials')) {
    problems.push({
      field: 'grant_types',
      message: 'a public client cannot use client_credentials',
    });
  }
  return problems;
}

const invalid = (fields: FieldIssue[]) =>
  new AppError('validation_failed', 'The request body is invalid.', { status: 400, fields });

/** The audit view of a client: flat, without secrets, so a change set names what changed. */
const auditView = (client: Client) => ({
  name: client.name,
  type: client.type,
  status: client.status,
  redirectUris: client.redirectUris,
  postLogoutRedirectUris: client.postLogoutRedirectUris,
  grantTypes: client.grantTypes,
  backchannelLogoutUri: client.backchannelLogoutUri,
  allowedScopes: client.allowedScopes,
  allowedAudiences: client.allowedAudiences,
  accessTokenTtlSeconds: client.accessTokenTtlSeconds,
});

export interface ClientService {
  /** Creates a client; a confidential one's secret is in the result and nowhere else, ever. */
  create(
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<{ client: Client; secret: string | null }>;
  list(
    principal: AdminPrincipal,
    query: { limit?: unknown; cursor?: unknown },
  ): Promise<Page<Client>>;
  get(clientId: string, principal: AdminPrincipal): Promise<Client>;
  update(
    clientId: string,
    body: unknown,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Client>;
  remove(
    clientId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /** A new current secret (returned once); the previous ones stay valid for the overlap. */
  rotateSecret(
    clientId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<{ client: Client; secret: string }>;
  /** For the OAuth endpoints: the client, active or not, or null. */
  getClient(clientId: string): Promise<Client | null>;
  /** For the token endpoint: the active confidential client this secret belongs to, or null. */
  authenticateClient(clientId: string, secret: string): Promise<Client | null>;
}

export function createClientService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** Development and tests: http:// redirect and logout URIs on non-loopback hosts are never allowed; this only concerns back-channel logout to loopback. */
  allowHttpLoopback: boolean;
  /** argon2 checks of presented secrets, bounded (default: DEFAULT_SECRET_CHECK_LIMITS). */
  secretChecker?: SecretChecker;
}): ClientService {
  const { db, audit, clock } = deps;
  const secretChecker = deps.secretChecker ?? createSecretChecker(DEFAULT_SECRET_CHECK_LIMITS);

  // OIDC Back-Channel Logout 1.0 §2.2: Latchkey POSTs logout tokens here, so https; plain
  // http to a loopback listener only where config allows it (dev, tests).
  const backchannelLogoutUri = checked((raw) =>
    uriProblem(raw, (host) => deps.allowHttpLoopback && LOOPBACK_HOSTS.has(host)),
  );
  const fields = {
    name,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris,
    grant_types: grantTypes,
    backchannel_logout_uri: backchannelLogoutUri.nullable(),
    allowed_scopes: uniqueList(scopeToken, 50),
    allowed_audiences: uniqueList(audience, 50),
    access_token_ttl_seconds: accessTokenTtlSeconds,
  };
  const CreateClientBody = z.strictObject({
    ...fields,
    type: z.enum(['confidential', 'public']),
    post_logout_redirect_uris: fields.post_logout_redirect_uris.optional(),
    backchannel_logout_uri: fields.backchannel_logout_uri.optional(),
    allowed_scopes: fields.allowed_scopes.optional(),
    allowed_audiences: fields.allowed_audiences.optional(),
    access_token_ttl_seconds: fields.access_token_ttl_seconds.optional(),
  });
  const UpdateClientBody = z
    .strictObject({ ...fields, status: z.enum(['active', 'disabled']) })
    .partial();

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

  /** Platform admins only; an id that is not even well formed is as unknown as a missing one. */
  const load = async (clientId: string, principal: AdminPrincipal) => {
    assertPlatformAdmin(principal);
    const client = CLIENT_ID_PATTERN.test(clientId) ? await clientStore(db).get(clientId) : null;
    if (!client) throw notFound('client');
    return client;
  };

  const newSecret = async (now: Date) => {
    const secret = randomToken(32);
    const info: ClientSecretInfo = { id: uuidv7(now.getTime()), createdAt: now, expiresAt: null };
    return { secret, info, verifier: await createVerifier(secret) };
  };

  return {
    async create(body, principal, context) {
      assertPlatformAdmin(principal);
      const input = parseInput(CreateClientBody, body);
      const now = clock.now();
      const client: Client = {
        id: `lkc_${randomToken(16)}`,
        name: input.name,
        type: input.type,
        status: 'active',
        redirectUris: input.redirect_uris,
        postLogoutRedirectUris: input.post_logout_redirect_uris ?? [],
        grantTypes: input.grant_types,
        backchannelLogoutUri: input.backchannel_logout_uri ?? null,
        allowedScopes: input.allowed_scopes ?? DEFAULT_ALLOWED_SCOPES,
        allowedAudiences: input.allowed_audiences ?? [],
        accessTokenTtlSeconds: input.access_token_ttl_seconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
        secrets: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const problems = combinationProblems(client);
      if (problems.length) throw invalid(problems);
      // A public client cannot keep a secret (RFC 6749 §2.1), so it gets none.
      const generated = client.type === 'confidential' ? await newSecret(now) : null;
      if (generated) client.secrets = [generated.info];
      await db.transaction(async (tx) => {
        await clientStore(tx).insert(client);
        if (generated)
          await clientStore(tx).insertSecret(client.id, generated.info, generated.verifier);
        await audit.record(tx, {
          type: 'admin.client.created',
          orgId: null,
          actor: actorOf(principal),
          target: { type: 'oauth_client', id: client.id },
          context,
          data: changeSet(null, auditView(client)),
        });
      });
      return { client, secret: generated?.secret ?? null };
    },

    async list(principal, query) {
      assertPlatformAdmin(principal);
      const page = pageRequest(query, CLIENT_ID_PATTERN);
      return toPage(await clientStore(db).list(page), page, (client) => client.id);
    },

    get: load,

    async update(clientId, body, expected, principal, context) {
      const before = await load(clientId, principal);
      const input = parseInput(UpdateClientBody, body);
      const changes: ClientUpdate = {
        name: input.name,
        status: input.status,
        redirectUris: input.redirect_uris,
        postLogoutRedirectUris: input.post_logout_redirect_uris,
        grantTypes: input.grant_types,
        backchannelLogoutUri: input.backchannel_logout_uri,
        allowedScopes: input.allowed_scopes,
        allowedAudiences: input.allowed_audiences,
        accessTokenTtlSeconds: input.access_token_ttl_seconds,
      };
      const problems = combinationProblems({
        type: before.type,
        grantTypes: changes.grantTypes ?? before.grantTypes,
        redirectUris: changes.redirectUris ?? before.redirectUris,
      });
      if (problems.length) throw invalid(problems);
      const updated = await db.transaction(async (tx) => {
        const result = await clientStore(tx).update(
          clientId,
          changes,
          clock.now(),
          expected ?? before.version,
        );
        if (!result.ok) throw result.reason === 'stale' ? staleWrite() : notFound('client');
        await audit.record(tx, {
          type: 'admin.client.updated',
          orgId: null,
          actor: actorOf(principal),
          target: { type: 'oauth_client', id: clientId },
          context,
          data: changeSet(auditView(before), auditView(result.value)),
        });
        return result.value;
      });
      forget(clientId);
      return updated;
    },

    async remove(clientId, expected, principal, context) {
      const before = await load(clientId, principal);
      if (expected !== null && expected !== before.version) throw staleWrite();
      await db.transaction(async (tx) => {
        if (!(await clientStore(tx).delete(clientId, expected))) {
          throw (await clientStore(tx).get(clientId)) ? staleWrite() : notFound('client');
        }
        await audit.record(tx, {
          type: 'admin.client.deleted',
          orgId: null,
          actor: actorOf(principal),
          target: { type: 'oauth_client', id: clientId },
          context,
          data: changeSet(auditView(before), null),
        });
      });
      forget(clientId);
    },

    async rotateSecret(clientId, body, principal, context) {
      const before = await load(clientId, principal);
      const input = parseInput(RotateSecretBody, body ?? {});
      if (before.type !== 'confidential') {
        throw new AppError('client_not_confidential', 'A public client has no secret.', {
          status: 409,
        });
      }
      const overlapSeconds = input.overlap_seconds ?? DEFAULT_SECRET_OVERLAP_SECONDS;
      const now = clock.now();
      const generated = await newSecret(now);
      const previousExpireAt = new Date(now.getTime() + overlapSeconds * 1000);
      const client = await db.transaction(async (tx) => {
        const store = clientStore(tx);
        if (!(await store.lock(clientId))) throw notFound('client');
        // Previous secrets stay valid for the overlap, so deployments can roll over; an
        // overlap never extends a secret that was already due to expire sooner.
        await store.expireSecrets(clientId, previousExpireAt, now);
        const deleted = await store.deleteExpiredSecrets(clientId, now);
        await store.insertSecret(clientId, generated.info, generated.verifier);
        await store.touch(clientId, now);
        await audit.record(tx, {
          type: 'admin.client.secret_rotated',
          orgId: null,
          actor: actorOf(principal),
          target: { type: 'oauth_client', id: clientId },
          context,
          data: {
            secretId: generated.info.id,
            overlapSeconds,
            previousSecretsExpireAt: previousExpireAt.toISOString(),
            expiredSecretsDeleted: deleted,
          },
        });
        return (await store.get(clientId))!;
      });
      forget(clientId);
      return { client, secret: generated.secret };
    },

    async getClient(clientId) {
      if (!CLIENT_ID_PATTERN.test(clientId)) return null;
      return clientStore(db).get(clientId);
    },

    async authenticateClient(clientId, secret) {
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
