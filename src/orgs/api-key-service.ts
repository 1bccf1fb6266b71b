import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditActor, AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import {
  createSecretChecker,
  createVerifier,
  DEFAULT_SECRET_CHECK_LIMITS,
  sha256Hex,
  type SecretChecker,
} from '../platform/crypto/index.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
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
/** How long before a cached verification expires a use of it re-verifies it (at most half its life). */
const REFRESH_AHEAD_MS = 10_000;

const KEY_PATTERN = /^lk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const toUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

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
  // digest of the presented key → principal; only successes are cached, never secrets.
  const cache = new Map<
    string,
    { principal: AdminPrincipal; keyId: string; expiresAtMs: number }
  >();
  const cacheMs = Math.min(deps.cacheSeconds, 60) * 1000;
  // A use in an entry's last seconds re-verifies it in the background while the entry
  // still answers, so a key in steady use never waits for argon2 (or a busy 503) because
  // its entry aged; the re-read row also notices a revocation made in another process.
  const refreshAheadMs = Math.min(REFRESH_AHEAD_MS, cacheMs / 2);
  // Moves on every revocation and org deletion: a verification that started before one
  // (its row read, then a wait for argon2) answers but does not cache what it read, and
  // no request made after one joins it.
  let forgetEpoch = 0;
  // digest of the presented key (its id and secret) → the verification of exactly that
  // key in flight: concurrent uses share one argon2 check, and a wrong secret never rides
  // on a right one's (another digest, another flight).
  const flights = new Map<string, { epoch: number; result: Promise<AdminPrincipal | null> }>();

  const verify = async (digest: string, id: string, presented: string, epoch: number) => {
    const readAtMs = clock.nowMs();
    const { rows } = await db.query<Row & { org_status: string | null }>(
      `SELECT k.*, o.status AS org_status FROM api_keys k LEFT JOIN orgs o ON o.id = k.org_id WHERE k.id = $1`,
      [id],
    );
    const row = rows[0];
    if (
      !row ||
      row.revoked_at ||
      (row.org_id && row.org_status !== 'active') ||
      !(await secretChecker.check(row.verifier, presented, row.id))
    ) {
      cache.delete(digest);
      return null;
    }
    const principal: AdminPrincipal =
      row.scope === 'platform:admin'
        ? { scope: 'platform:admin', keyId: row.id }
        : { scope: 'org:admin', keyId: row.id, orgId: row.org_id! };
    // Trusted for cacheMs from when the row was read, not from when argon2 finished.
    if (epoch === forgetEpoch)
      cache.set(digest, { principal, keyId: row.id, expiresAtMs: readAtMs + cacheMs });
    return principal;
  };

  /** The verification of this exact presented key: the one in flight, or a new one. */
  const verifyOnce = (digest: string, id: string, presented: string) => {
    const inFlight = flights.get(digest);
    if (inFlight && inFlight.epoch === forgetEpoch) return inFlight.result;
    const epoch = forgetEpoch;
    const result = verify(digest, id, presented, epoch).finally(() => {
      if (flights.get(digest)?.result === result) flights.delete(digest);
    });
    flights.set(digest, { epoch, result });
    return result;
  };

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
      const secret = `lk_${id.replaceAll('-', '')}_${randomBytes(32).toString('base64url')}`;
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
        await audit.record(tx, {
          type: 'admin.apikey.revoked',
          orgId,
          actor: actorOf(principal),
          target: { type: 'api_key', id: keyId },
          context,
        });
      });
      forgetEpoch += 1;
      for (const [digest, entry] of cache) if (entry.keyId === keyId) cache.delete(digest);
    },

    forgetOrg(orgId) {
      forgetEpoch += 1;
      for (const [digest, entry] of cache)
        if (entry.principal.scope === 'org:admin' && entry.principal.orgId === orgId)
          cache.delete(digest);
    },

    async authenticate(presented) {
      const match = KEY_PATTERN.exec(presented);
      if (!match) return null;
      const digest = sha256Hex(presented);
      const id = toUuid(match[1]!);
      const nowMs = clock.nowMs();
      const cached = cache.get(digest);
      if (cached && cached.expiresAtMs > nowMs) {
        // A refresh that fails (busy, PostgreSQL away) leaves the entry to its expiry.
        if (cached.expiresAtMs - nowMs <= refreshAheadMs)
          verifyOnce(digest, id, presented).catch(() => undefined);
        return cached.principal;
      }
      cache.delete(digest);
      return verifyOnce(digest, id, presented);
    },
  };
}
