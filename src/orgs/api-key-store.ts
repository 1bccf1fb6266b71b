import { selectOne, type Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';

/** An admin API key: the platform's (orgId null) or one org's. */
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
 * Admin API keys in SQL (PostgreSQL or PGlite), over a pool or a transaction. Only an
 * argon2id verifier of a key is stored; checking presented keys is api-key-verifications.ts.
 * Contract: test/contracts/api-key-store.contract.test.ts.
 */
export interface ApiKeyStore {
  /** Stores a new, unrevoked key with its verifier; the key as stored. */
  insert(key: Omit<ApiKey, 'revokedAt'>, verifier: string): Promise<ApiKey>;
  get(id: string): Promise<ApiKey | null>;
  /** An org's keys, or the platform's (null): id order after the cursor, limit + 1 rows. */
  list(orgId: string | null, page: PageRequest): Promise<ApiKey[]>;
  revoke(id: string, at: Date): Promise<void>;
}

export function apiKeyStore(q: Queryable): ApiKeyStore {
  return {
    async insert(key, verifier) {
      const { rows } = await q.query<Row>(
        `INSERT INTO api_keys (id, org_id, scope, name, verifier, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [key.id, key.orgId, key.scope, key.name, verifier, key.createdBy, key.createdAt],
      );
      return toApiKey(rows[0]!);
    },

    get(id) {
      return selectOne(q, 'SELECT * FROM api_keys WHERE id = $1', [id], toApiKey);
    },

    async list(orgId, page) {
      const { rows } = await q.query<Row>(
        `SELECT * FROM api_keys
         WHERE ${orgId ? 'org_id = $3::uuid' : 'org_id IS NULL AND $3::uuid IS NULL'}
           AND ($1::uuid IS NULL OR id > $1::uuid)
         ORDER BY id LIMIT $2`,
        [page.afterId, page.limit + 1, orgId],
      );
      return rows.map(toApiKey);
    },

    async revoke(id, at) {
      await q.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [id, at]);
    },
  };
}
