import { z } from 'zod';
import type { AuditActor, AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import {
  createSecretChecker,
  createVerifier,
  DEFAULT_SECRET_CHECK_LIMITS,
  type SecretChecker,
} from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import { recordAdminEvent } from './admin-event.js';
import { apiKeyStore, type ApiKey } from './api-key-store.js';

export type { ApiKey } from './api-key-store.js';
import { API_KEY, createApiKeyVerifications } from './api-key-verifications.js';
import {
  actorOf,
  assertOrgAccess,
  assertOrgExists,
  assertPlatformAdmin,
  notFound,
  type AdminPrincipal,
} from '../platform/admin/index.js';

export const CreateApiKeyBody = z.strictObject({ name: z.string().trim().min(1).max(200) });

export interface ApiKeyService {
  /** Creates a key; the secret is in the result and nowhere else, ever. */
  create(
    request: { orgId: string | null; body: unknown },
    principal: AdminPrincipal | 'cli',
    context: RequestContext | null,
  ): Promise<{ key: ApiKey; secret: string }>;
  list(orgId: string | null, principal: AdminPrincipal, page: PageRequest): Promise<Page<ApiKey>>;
  revoke(
    orgId: string | null,
    keyId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /** The principal a presented key stands for, or null. */
  authenticate(presented: string): Promise<AdminPrincipal | null>;
  /** Drops this process's cached verifications of an org's keys (the org was disabled). */
  forgetOrg(orgId: string): void;
}

export function createApiKeyService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** How long a successful verification is trusted in this process (at most 60 s). */
  cacheSeconds: number;
  /** argon2 checks of presented keys, bounded (default: DEFAULT_SECRET_CHECK_LIMITS). */
  secretChecker?: SecretChecker;
}): ApiKeyService {
  const { db, audit, clock } = deps;
  const secretChecker = deps.secretChecker ?? createSecretChecker(DEFAULT_SECRET_CHECK_LIMITS);
  const verifications = createApiKeyVerifications({
    db,
    clock,
    cacheSeconds: deps.cacheSeconds,
    secretChecker,
  });

  return {
    async create({ orgId, body }, principal, context) {
      const input = parseInput(CreateApiKeyBody, body);
      if (principal !== 'cli') {
        if (orgId) assertOrgAccess(principal, orgId);
        else assertPlatformAdmin(principal);
      }
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const secret = API_KEY.make(id);
      const verifier = await createVerifier(secret);
      const actor: AuditActor =
        principal === 'cli' ? { type: 'cli', id: null } : actorOf(principal);
      const scope = orgId ? 'org:admin' : 'platform:admin';
      const key = await db.transaction(async (tx) => {
        if (orgId) await assertOrgExists(tx, orgId);
        const stored = await apiKeyStore(tx).insert(
          { id, orgId, scope, name: input.name, createdBy: actor.id, createdAt: now },
          verifier,
        );
        await audit.record(tx, {
          type: 'admin.apikey.created',
          orgId,
          actor,
          target: { type: 'api_key', id },
          context,
          data: { scope, name: input.name },
        });
        return stored;
      });
      return { key, secret };
    },

    async list(orgId, principal, page) {
      if (orgId) assertOrgAccess(principal, orgId);
      else assertPlatformAdmin(principal);
      return toPage(await apiKeyStore(db).list(orgId, page), page, (k) => k.id);
    },

    async revoke(orgId, keyId, principal, context) {
      if (orgId) assertOrgAccess(principal, orgId, 'API key');
      else assertPlatformAdmin(principal);
      await db.transaction(async (tx) => {
        const store = apiKeyStore(tx);
        const key = await store.get(keyId);
        if (!key || key.orgId !== orgId) throw notFound('API key');
        if (key.revokedAt) return;
        await store.revoke(keyId, clock.now());
        await recordAdminEvent(audit, tx, principal, context, {
          type: 'admin.apikey.revoked',
          orgId,
          target: { type: 'api_key', id: keyId },
        });
      });
      verifications.forget((principal) => principal.keyId === keyId);
    },

    forgetOrg(orgId) {
      verifications.forget(
        (principal) => principal.scope === 'org:admin' && principal.orgId === orgId,
      );
    },

    authenticate: (presented) => verifications.authenticate(presented),
  };
}
