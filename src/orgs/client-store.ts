import type { Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';
import type { VersionedWrite } from '../platform/admin/index.js';

/** A key of the token endpoint's grant registry (tokens/grants/index.ts), checked on input. */
export type ClientGrantType = string;

/** Metadata of a client secret; the secret itself is never stored, only its verifier. */
export interface ClientSecretInfo {
  id: string;
  createdAt: Date;
  /** Null while the secret is current; set when a rotation gives it an overlap window. */
  expiresAt: Date | null;
}

/** An OAuth 2 / OIDC client: one of the ads platform's apps or backend services. */
export interface Client {
  id: string;
  name: string;
  type: 'confidential' | 'public';
  status: 'active' | 'disabled';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: ClientGrantType[];
  backchannelLogoutUri: string | null;
  allowedScopes: string[];
  allowedAudiences: string[];
  accessTokenTtlSeconds: number;
  /** OIDC Registration §2: the acr asked when an authorization request names none. */
  defaultAcrValues: string[];
  /** Oldest first, expired ones included until the next rotation deletes them. */
  secrets: ClientSecretInfo[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A stored secret with its verifier: only for checking a presented secret. */
export interface ClientSecretVerifier {
  id: string;
  verifier: string;
  expiresAt: Date | null;
}

interface Row {
  id: string;
  name: string;
  type: Client['type'];
  status: Client['status'];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: ClientGrantType[];
  backchannel_logout_uri: string | null;
  allowed_scopes: string[];
  allowed_audiences: string[];
  access_token_ttl_seconds: number;
  default_acr_values: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
  secrets: Array<{ id: string; created_at: string; expires_at: string | null }> | null;
}

const toClient = (row: Row): Client => ({
  id: row.id,
  name: row.name,
  type: row.type,
  status: row.status,
  redirectUris: row.redirect_uris,
  postLogoutRedirectUris: row.post_logout_redirect_uris,
  grantTypes: row.grant_types,
  backchannelLogoutUri: row.backchannel_logout_uri,
  allowedScopes: row.allowed_scopes,
  allowedAudiences: row.allowed_audiences,
  accessTokenTtlSeconds: row.access_token_ttl_seconds,
  defaultAcrValues: row.default_acr_values,
  secrets: (row.secrets ?? []).map((s) => ({
    id: s.id,
    createdAt: new Date(s.created_at),
    expiresAt: s.expires_at === null ? null : new Date(s.expires_at),
  })),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/** A client row with its secrets' metadata (never the verifiers) in one round trip. */
const SELECT_CLIENT = `
  SELECT c.*, (
    SELECT json_agg(json_build_object('id', s.id, 'created_at', s.created_at, 'expires_at', s.expires_at)
                    ORDER BY s.created_at, s.id)
    FROM oauth_client_secrets s WHERE s.client_id = c.id
  ) AS secrets
  FROM oauth_clients c`;

export type ClientUpdate = Partial<
  Pick<
    Client,
    | 'name'
    | 'status'
    | 'redirectUris'
    | 'postLogoutRedirectUris'
    | 'grantTypes'
    | 'backchannelLogoutUri'
    | 'allowedScopes'
    | 'allowedAudiences'
    | 'accessTokenTtlSeconds'
    | 'defaultAcrValues'
  >
>;

const COLUMNS: Record<keyof ClientUpdate, string> = {
  name: 'name',
  status: 'status',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  grantTypes: 'grant_types',
  backchannelLogoutUri: 'backchannel_logout_uri',
  allowedScopes: 'allowed_scopes',
  allowedAudiences: 'allowed_audiences',
  accessTokenTtlSeconds: 'access_token_ttl_seconds',
  defaultAcrValues: 'default_acr_values',
};

export type ClientWriteResult = VersionedWrite<Client>;

/**
 * OAuth clients and their secret verifiers in SQL (PostgreSQL or PGlite), over a pool or
 * a transaction. Contract: test/contracts/client-store.contract.test.ts.
 */
export interface ClientStore {
  insert(client: Omit<Client, 'secrets'>): Promise<void>;
  get(id: string): Promise<Client | null>;
  /** Takes a row lock on the client until the transaction ends (serialises rotations). */
  lock(id: string): Promise<boolean>;
  /** In id order (ids are random, so this is not creation order), after the cursor's id. */
  list(page: PageRequest): Promise<Client[]>;
  update(
    id: string,
    changes: ClientUpdate,
    at: Date,
    expectedVersion: number | null,
  ): Promise<ClientWriteResult>;
  /** Bumps version and updated_at, e.g. after the secrets changed. */
  touch(id: string, at: Date): Promise<void>;
  /** With an expected version, only that version is deleted. */
  delete(id: string, expectedVersion?: number | null): Promise<boolean>;
  insertSecret(clientId: string, secret: ClientSecretInfo, verifier: string): Promise<void>;
  /** Every secret still valid at `at` gets an expiry of at most `expiresAt` (never later). */
  expireSecrets(clientId: string, expiresAt: Date, at: Date): Promise<void>;
  /** Removes secrets whose expiry has passed at `at`. */
  deleteExpiredSecrets(clientId: string, at: Date): Promise<number>;
  /** Verifiers of the secrets valid at `at`. */
  validVerifiers(clientId: string, at: Date): Promise<ClientSecretVerifier[]>;
  /** Whether some active client registered this exact redirect URI. */
  hasActiveRedirectUri(uri: string): Promise<boolean>;
}

export function clientStore(q: Queryable): ClientStore {
  const get = async (id: string) => {
    const { rows } = await q.query<Row>(`${SELECT_CLIENT} WHERE c.id = $1`, [id]);
    return rows[0] ? toClient(rows[0]) : null;
  };
  return {
    async insert(client) {
      await q.query(
        `INSERT INTO oauth_clients (id, name, type, status, redirect_uris, post_logout_redirect_uris,
           grant_types, backchannel_logout_uri, allowed_scopes, allowed_audiences,
           access_token_ttl_seconds, created_at, updated_at, version, default_acr_values)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          client.id,
          client.name,
          client.type,
          client.status,
          client.redirectUris,
          client.postLogoutRedirectUris,
          client.grantTypes,
          client.backchannelLogoutUri,
          client.allowedScopes,
          client.allowedAudiences,
          client.accessTokenTtlSeconds,
          client.createdAt,
          client.updatedAt,
          client.version,
          client.defaultAcrValues,
        ],
      );
    },
    get,
    async lock(id) {
      const { rows } = await q.query('SELECT id FROM oauth_clients WHERE id = $1 FOR UPDATE', [id]);
      return rows.length > 0;
    },
    async list(page) {
      // COLLATE "C": byte order, so the cursor comparison and the sort agree whatever the
      // database's locale does with '-' and '_'.
      const { rows } = await q.query<Row>(
        `${SELECT_CLIENT}
         WHERE ($1::text IS NULL OR c.id COLLATE "C" > $1::text COLLATE "C")
         ORDER BY c.id COLLATE "C" LIMIT $2`,
        [page.afterId, page.limit + 1],
      );
      return rows.map(toClient);
    },
    async update(id, changes, at, expected) {
      const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as Array<
        [keyof ClientUpdate, unknown]
      >;
      const sets = entries.map(([key], i) => `${COLUMNS[key]} = $${i + 4}`);
      const { rowCount } = await q.query(
        `UPDATE oauth_clients SET ${[...sets, 'updated_at = $2', 'version = version + 1'].join(', ')}
         WHERE id = $1 AND ($3::int IS NULL OR version = $3::int)`,
        [id, at, expected, ...entries.map(([, v]) => v)],
      );
      const now = await get(id);
      if (rowCount > 0 && now) return { ok: true, value: now };
      return { ok: false, reason: now ? 'stale' : 'not_found' };
    },
    async touch(id, at) {
      await q.query(
        'UPDATE oauth_clients SET updated_at = $2, version = version + 1 WHERE id = $1',
        [id, at],
      );
    },
    async delete(id, expectedVersion = null) {
      const { rowCount } = await q.query(
        'DELETE FROM oauth_clients WHERE id = $1 AND ($2::int IS NULL OR version = $2::int)',
        [id, expectedVersion],
      );
      return rowCount > 0;
    },
    async insertSecret(clientId, secret, verifier) {
      await q.query(
        `INSERT INTO oauth_client_secrets (id, client_id, verifier, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [secret.id, clientId, verifier, secret.createdAt, secret.expiresAt],
      );
    },
    async expireSecrets(clientId, expiresAt, at) {
      await q.query(
        `UPDATE oauth_client_secrets
         SET expires_at = LEAST(COALESCE(expires_at, $2::timestamptz), $2::timestamptz)
         WHERE client_id = $1 AND (expires_at IS NULL OR expires_at > $3)`,
        [clientId, expiresAt, at],
      );
    },
    async deleteExpiredSecrets(clientId, at) {
      const { rowCount } = await q.query(
        'DELETE FROM oauth_client_secrets WHERE client_id = $1 AND expires_at <= $2',
        [clientId, at],
      );
      return rowCount;
    },
    async validVerifiers(clientId, at) {
      const { rows } = await q.query<{ id: string; verifier: string; expires_at: Date | null }>(
        `SELECT id, verifier, expires_at FROM oauth_client_secrets
         WHERE client_id = $1 AND (expires_at IS NULL OR expires_at > $2)
         ORDER BY created_at DESC, id DESC`,
        [clientId, at],
      );
      return rows.map((r) => ({ id: r.id, verifier: r.verifier, expiresAt: r.expires_at }));
    },
    async hasActiveRedirectUri(uri) {
      const { rows } = await q.query(
        `SELECT 1 FROM oauth_clients WHERE status = 'active' AND $1 = ANY(redirect_uris) LIMIT 1`,
        [uri],
      );
      return rows.length > 0;
    },
  };
}
