import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditActor, AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import {
  createSecretChecker,
  createVerifier,
  DEFAULT_SECRET_CHECK_LIMITS,
  type SecretChecker,
} from '../platform/crypto/index.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import { adminEvent } from './admin-event.js';
import { createApiKeyVerifications } from './api-key-verifications.js';
import {
  actorOf,
  assertOrgAccess,
  assertPlatformAdmin,
  notFound,
  type AdminPrincipal,
} from '../platform/admin/index.js';

export interface ApiKey {
  id: string;
  orgId: string | null;
  scope: 'platform:admin' | 'org:admin';
  name: string;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

interface Row {
  id: string;
  org_id: string | null;
  scope: ApiKey['scope'];
  name: string;
  verifier: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const toApiKey = (row: Row): ApiKey => ({
  id: row.id,
  orgId: row.org_id,
  scope: row.scope,
  name: row.name,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/**
 * `lk_<id>_<secret>`: the id is the key's UUID as 32 hex digits, the secret 32 random
 * bytes (256 bits) in base64url. Only an argon2id verifier of the whole key is stored.
 */
const keySecret = (id: string) =>
  `lk_${id.replaceAll('-', '')}_${randomBytes(32).toString('base64url')}`;

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

  const getKey = async (q: Queryable, id: string) => {
    const { rows } = await q.query<Row>('SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0] ?? null;
  };

  return {
    async create({ orgId, body }, principal, context) {
      const input = parseInput(CreateApiKeyBody, body);
      if (principal !== 'cli') {
        if (orgId) assertOrgAccess(principal, orgId);
        else assertPlatformAdmin(principal);
      }
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const secret = keySecret(id);
      const verifier = await createVerifier(secret);
      const actor: AuditActor =
        principal === 'cli' ? { type: 'cli', id: null } : actorOf(principal);
      const row = await db.transaction(async (tx) => {
        if (orgId) {
          const { rows } = await tx.query<{ status: string }>(
            'SELECT status FROM orgs WHERE id = $1',
            [orgId],
          );
          if (!rows[0]) throw notFound('org');
        }
        const { rows } = await tx.query<Row>(
          `INSERT INTO api_keys (id, org_id, scope, name, verifier, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [id, orgId, orgId ? 'org:admin' : 'platform:admin', input.name, verifier, actor.id, now],
        );
        await audit.record(tx, {
          type: 'admin.apikey.created',
          orgId,
          actor,
          target: { type: 'api_key', id },
          context,
          data: { scope: orgId ? 'org:admin' : 'platform:admin', name: input.name },
        });
        return rows[0]!;
      });
      return { key: toApiKey(row), secret };
    },

    async list(orgId, principal, page) {
      if (orgId) assertOrgAccess(principal, orgId);
      else assertPlatformAdmin(principal);
      const { rows } = await db.query<Row>(
        `SELECT * FROM api_keys
         WHERE ${orgId ? 'org_id = $3::uuid' : 'org_id IS NULL AND $3::uuid IS NULL'}
           AND ($1::uuid IS NULL OR id > $1::uuid)
         ORDER BY id LIMIT $2`,
        [page.afterId, page.limit + 1, orgId],
      );
      return toPage(rows.map(toApiKey), page, (k) => k.id);
    },

    async revoke(orgId, keyId, principal, context) {
      if (orgId) assertOrgAccess(principal, orgId, 'API key');
      else assertPlatformAdmin(principal);
      await db.transaction(async (tx) => {
        const row = await getKey(tx, keyId);
        if (!row || row.org_id !== orgId) throw notFound('API key');
        if (row.revoked_at) return;
        await tx.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [keyId, clock.now()]);
        await audit.record(
          tx,
          adminEvent(principal, context, {
            type: 'admin.apikey.revoked',
            orgId,
            target: { type: 'api_key', id: keyId },
          }),
        );
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
