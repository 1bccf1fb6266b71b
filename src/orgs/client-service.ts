import { changeSet, type AuditLog, type RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import {
  createSecretChecker,
  createVerifier,
  DEFAULT_SECRET_CHECK_LIMITS,
  type SecretChecker,
} from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
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
  type ClientSecretInfo,
  type ClientUpdate,
} from './client-store.js';
import { clientBodies, combinationProblems, invalid, RotateSecretBody } from './client-input.js';
import { CLIENT_ID_PATTERN } from './client-input.js';
import { createClientAuthenticator } from './client-authenticator.js';

export { CLIENT_ID_PATTERN };

export const DEFAULT_ALLOWED_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
export const DEFAULT_SECRET_OVERLAP_SECONDS = 86_400;

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

/** A new client secret (returned once), its metadata and its verifier. */
async function newSecret(now: Date) {
  const secret = randomToken(32);
  const info: ClientSecretInfo = { id: uuidv7(now.getTime()), createdAt: now, expiresAt: null };
  return { secret, info, verifier: await createVerifier(secret) };
}

/** Creates a client; a confidential one's secret is in the result and nowhere else, ever. */
async function createClient(
  deps: {
    db: Database;
    audit: AuditLog;
    clock: Clock;
    CreateClientBody: ReturnType<typeof clientBodies>['CreateClientBody'];
  },
  body: unknown,
  principal: AdminPrincipal,
  context: RequestContext,
): Promise<{ client: Client; secret: string | null }> {
  const { db, audit, clock, CreateClientBody } = deps;
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
}

/** A new current secret (returned once); the previous ones stay valid for the overlap. */
async function rotateClientSecret(
  deps: { db: Database; audit: AuditLog; clock: Clock },
  before: Client,
  body: unknown,
  principal: AdminPrincipal,
  context: RequestContext,
): Promise<{ client: Client; secret: string }> {
  const { db, audit, clock } = deps;
  const clientId = before.id;
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
  return { client, secret: generated.secret };
}

export interface ClientServiceDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** Development and tests: http:// redirect and logout URIs on non-loopback hosts are never allowed; this only concerns back-channel logout to loopback. */
  allowHttpLoopback: boolean;
  /** argon2 checks of presented secrets, bounded (default: DEFAULT_SECRET_CHECK_LIMITS). */
  secretChecker?: SecretChecker;
  /**
   * The grant types a client may register: the keys of the token endpoint's grant
   * registry (tokens/ GRANT_TYPES), given by the composition root.
   */
  grantTypes: readonly [string, ...string[]];
}

export function createClientService(deps: ClientServiceDeps): ClientService {
  const { db, audit, clock } = deps;
  const secretChecker = deps.secretChecker ?? createSecretChecker(DEFAULT_SECRET_CHECK_LIMITS);

  const { CreateClientBody, UpdateClientBody } = clientBodies(deps);

  const authenticator = createClientAuthenticator({ db, clock, secretChecker });
  const forget = (clientId: string) => authenticator.forget(clientId);

  /** Platform admins only; an id that is not even well formed is as unknown as a missing one. */
  const load = async (clientId: string, principal: AdminPrincipal) => {
    assertPlatformAdmin(principal);
    const client = CLIENT_ID_PATTERN.test(clientId) ? await clientStore(db).get(clientId) : null;
    if (!client) throw notFound('client');
    return client;
  };

  return {
    create: (body, principal, context) =>
      createClient({ db, audit, clock, CreateClientBody }, body, principal, context),

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
      const rotated = await rotateClientSecret(
        { db, audit, clock },
        before,
        body,
        principal,
        context,
      );
      forget(clientId);
      return rotated;
    },

    async getClient(clientId) {
      if (!CLIENT_ID_PATTERN.test(clientId)) return null;
      return clientStore(db).get(clientId);
    },

    authenticateClient: (clientId, secret) => authenticator.authenticate(clientId, secret),
  };
}
