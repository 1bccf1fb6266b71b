import type { AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import {
  createSecretChecker,
  createVerifier,
  DEFAULT_SECRET_CHECK_LIMITS,
  type SecretChecker,
} from '../platform/crypto/index.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { randomToken, uuidv7 } from '../platform/ids.js';
import { pageRequest, toPage, type Page } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  adminEvent,
  assertPlatformAdmin,
  notFound,
  refusalOf,
  staleWrite,
  written,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { changeEvent } from './admin-event.js';
import { clientStore, type Client, type ClientSecretInfo } from './client-store.js';
import {
  CLIENT_ID_PATTERN,
  clientBodies,
  clientChanges,
  combinationProblems,
  DEFAULT_SECRET_OVERLAP_SECONDS,
  invalid,
  newClient,
  RotateSecretBody,
} from './client-input.js';
import { createClientAuthenticator } from './client-authenticator.js';
import { CLIENT_AUDIT } from './client-view.js';

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
  const client = newClient(`lkc_${randomToken(16)}`, input, now);
  const problems = combinationProblems(client);
  if (problems.length) throw invalid(problems);
  // A public client cannot keep a secret (RFC 6749 §2.1), so it gets none.
  const generated = client.type === 'confidential' ? await newSecret(now) : null;
  if (generated) client.secrets = [generated.info];
  await db.transaction(async (tx) => {
    await clientStore(tx).insert(client);
    if (generated)
      await clientStore(tx).insertSecret(client.id, generated.info, generated.verifier);
    await audit.record(
      tx,
      changeEvent(CLIENT_AUDIT, 'admin.client.created', principal, context, null, client),
    );
  });
  return { client, secret: generated?.secret ?? null };
}

/** A new current secret (returned once); the previous ones stay valid for the overlap. */
async function rotateClientSecret(
  deps: { db: Database; audit: AuditLog; clock: Clock; cutOff?: ClientCutoffs | undefined },
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
  const { client, applyCutoff } = await db.transaction(async (tx) => {
    const store = clientStore(tx);
    if (!(await store.lock(clientId))) throw notFound('client');
    // No overlap: what the previous secrets obtained is cut off with them.
    const cutOff =
      overlapSeconds === 0 && deps.cutOff
        ? await deps.cutOff(tx, clientId, 'secret_rotated')
        : null;
    // Previous secrets stay valid for the overlap, so deployments can roll over; an
    // overlap never extends a secret that was already due to expire sooner.
    await store.expireSecrets(clientId, previousExpireAt, now);
    const deleted = await store.deleteExpiredSecrets(clientId, now);
    await store.insertSecret(clientId, generated.info, generated.verifier);
    await store.touch(clientId, now);
    await audit.record(
      tx,
      adminEvent(principal, context, {
        type: 'admin.client.secret_rotated',
        orgId: null,
        target: { type: 'oauth_client', id: clientId },
        data: {
          secretId: generated.info.id,
          overlapSeconds,
          previousSecretsExpireAt: previousExpireAt.toISOString(),
          expiredSecretsDeleted: deleted,
        },
      }),
    );
    return { client: (await store.get(clientId))!, applyCutoff: cutOff };
  });
  await applyCutoff?.();
  return { client, secret: generated.secret };
}

/**
 * Records, in the caller's transaction, that every token of the client issued up to now
 * is revoked (its secret rotated without overlap, or it was deleted); the function it
 * returns is called once that transaction committed. Adapted in wiring.ts to the
 * revocation log, whose events reach validators (credential-change).
 */
export type ClientCutoffs = (
  tx: Queryable,
  clientId: string,
  reason: 'secret_rotated' | 'client_deleted',
) => Promise<() => Promise<void>>;

export interface ClientServiceDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  cutOff?: ClientCutoffs;
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
      const changes = clientChanges(input);
      const problems = combinationProblems({
        type: before.type,
        grantTypes: changes.grantTypes ?? before.grantTypes,
        redirectUris: changes.redirectUris ?? before.redirectUris,
      });
      if (problems.length) throw invalid(problems);
      const updated = await db.transaction(async (tx) => {
        const version = expected ?? before.version;
        const result = await clientStore(tx).update(clientId, changes, clock.now(), version);
        const after = written(result, 'client');
        await audit.record(
          tx,
          changeEvent(CLIENT_AUDIT, 'admin.client.updated', principal, context, before, after),
        );
        return after;
      });
      forget(clientId);
      return updated;
    },

    async remove(clientId, expected, principal, context) {
      const before = await load(clientId, principal);
      if (expected !== null && expected !== before.version) throw staleWrite();
      const applyCutoff = await db.transaction(async (tx) => {
        if (!(await clientStore(tx).delete(clientId, expected))) {
          throw await refusalOf('client', () => clientStore(tx).get(clientId));
        }
        await audit.record(
          tx,
          changeEvent(CLIENT_AUDIT, 'admin.client.deleted', principal, context, before, null),
        );
        return deps.cutOff ? deps.cutOff(tx, clientId, 'client_deleted') : null;
      });
      forget(clientId);
      await applyCutoff?.();
    },

    async rotateSecret(clientId, body, principal, context) {
      const before = await load(clientId, principal);
      const rotated = await rotateClientSecret(
        { db, audit, clock, cutOff: deps.cutOff },
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
