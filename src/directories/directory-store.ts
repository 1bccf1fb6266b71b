import { orgReads, selectOne, type Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';

/** A SCIM directory: where one of an org's IdPs provisions its users (issue 17). */
export interface Directory {
  id: string;
  orgId: string;
  name: string;
  status: 'active' | 'disabled';
  /** Group displayName → role; empty when the directory does not manage roles. */
  roleMapping: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Who a verified directory token speaks for: the SCIM requests' principal and audit actor. */
export interface DirectoryPrincipal {
  directoryId: string;
  orgId: string;
  tokenId: string;
}

/** A directory's bearer token as the admin API shows it: never the token itself. */
export interface DirectoryToken {
  id: string;
  directoryId: string;
  createdAt: Date;
  /** Set when a rotation gave the token an end (the overlap); null: until revoked. */
  expiresAt: Date | null;
  revokedAt: Date | null;
}

interface DirectoryRow {
  id: string;
  org_id: string;
  name: string;
  status: Directory['status'];
  role_mapping: Record<string, string>;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface TokenRow {
  id: string;
  directory_id: string;
  digest: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const toDirectory = (row: DirectoryRow): Directory => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  status: row.status,
  roleMapping: row.role_mapping,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

const toToken = (row: TokenRow): DirectoryToken => ({
  id: row.id,
  directoryId: row.directory_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

/** What a presented token is checked against: its digest, its directory's and org's state. */
export interface TokenCredential {
  tokenId: string;
  directoryId: string;
  orgId: string;
  digest: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  directoryStatus: Directory['status'];
  orgStatus: string;
}

/**
 * SCIM directories and their bearer tokens in SQL (PostgreSQL or PGlite), over a pool or a
 * transaction. Every read that takes an org is scoped to it: another org's id is not found.
 */
export interface DirectoryStore {
  insert(directory: Directory): Promise<void>;
  get(orgId: string, id: string, options?: { forUpdate?: boolean }): Promise<Directory | null>;
  /** An org's directories in id order after the cursor, limit + 1 rows. */
  list(orgId: string, page: PageRequest): Promise<Directory[]>;
  setStatus(orgId: string, id: string, status: Directory['status'], at: Date): Promise<Directory>;
  setRoleMapping(
    orgId: string,
    id: string,
    mapping: Record<string, string>,
    at: Date,
  ): Promise<Directory>;
  insertToken(token: DirectoryToken, digest: string): Promise<void>;
  /** Gives every live token of the directory without an earlier end this one. */
  endLiveTokensAt(directoryId: string, at: Date, endsAt: Date): Promise<number>;
  listTokens(directoryId: string): Promise<DirectoryToken[]>;
  getToken(directoryId: string, tokenId: string): Promise<DirectoryToken | null>;
  revokeToken(tokenId: string, at: Date): Promise<void>;
  /** The token with this id and the state of its directory and org (the SCIM door). */
  credential(tokenId: string): Promise<TokenCredential | null>;
}

export function directoryStore(q: Queryable): DirectoryStore {
  const reads = orgReads(q, 'scim_directories', toDirectory);
  return {
    async insert(d) {
      await q.query(
        `INSERT INTO scim_directories (id, org_id, name, status, role_mapping, created_at,
           updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [d.id, d.orgId, d.name, d.status, d.roleMapping, d.createdAt, d.updatedAt, d.version],
      );
    },
    get: reads.get,
    list: reads.page,
    async setStatus(orgId, id, status, at) {
      const { rows } = await q.query<DirectoryRow>(
        `UPDATE scim_directories SET status = $3, updated_at = $4, version = version + 1
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, status, at],
      );
      return toDirectory(rows[0]!);
    },
    async setRoleMapping(orgId, id, mapping, at) {
      const { rows } = await q.query<DirectoryRow>(
        `UPDATE scim_directories SET role_mapping = $3, updated_at = $4, version = version + 1
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, mapping, at],
      );
      return toDirectory(rows[0]!);
    },
    async insertToken(t, digest) {
      await q.query(
        `INSERT INTO scim_directory_tokens (id, directory_id, digest, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [t.id, t.directoryId, digest, t.createdAt, t.expiresAt],
      );
    },
    async endLiveTokensAt(directoryId, at, endsAt) {
      const { rowCount } = await q.query(
        `UPDATE scim_directory_tokens SET expires_at = $3
         WHERE directory_id = $1 AND revoked_at IS NULL
           AND (expires_at IS NULL OR expires_at > $3) AND (expires_at IS NULL OR expires_at > $2)`,
        [directoryId, at, endsAt],
      );
      return rowCount;
    },
    async listTokens(directoryId) {
      const { rows } = await q.query<TokenRow>(
        'SELECT * FROM scim_directory_tokens WHERE directory_id = $1 ORDER BY id',
        [directoryId],
      );
      return rows.map(toToken);
    },
    getToken(directoryId, tokenId) {
      return selectOne(
        q,
        'SELECT * FROM scim_directory_tokens WHERE directory_id = $1 AND id = $2',
        [directoryId, tokenId],
        toToken,
      );
    },
    async revokeToken(tokenId, at) {
      await q.query(
        'UPDATE scim_directory_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL',
        [tokenId, at],
      );
    },
    credential(tokenId) {
      return selectOne(
        q,
        `SELECT t.id AS token_id, t.directory_id, t.digest, t.expires_at, t.revoked_at,
                d.org_id, d.status AS directory_status, o.status AS org_status
         FROM scim_directory_tokens t
         JOIN scim_directories d ON d.id = t.directory_id
         JOIN orgs o ON o.id = d.org_id
         WHERE t.id = $1`,
        [tokenId],
        (row: {
          token_id: string;
          directory_id: string;
          org_id: string;
          digest: string;
          expires_at: Date | null;
          revoked_at: Date | null;
          directory_status: Directory['status'];
          org_status: string;
        }): TokenCredential => ({
          tokenId: row.token_id,
          directoryId: row.directory_id,
          orgId: row.org_id,
          digest: row.digest,
          expiresAt: row.expires_at,
          revokedAt: row.revoked_at,
          directoryStatus: row.directory_status,
          orgStatus: row.org_status,
        }),
      );
    },
  };
}

/**
 * The directory's role mapping, its row locked FOR SHARE: a SCIM write that recomputes
 * roles and a mapping change cannot interleave.
 */
export async function roleMappingOf(
  q: Queryable,
  directoryId: string,
): Promise<Record<string, string>> {
  const mapping = await selectOne(
    q,
    'SELECT role_mapping FROM scim_directories WHERE id = $1 FOR SHARE',
    [directoryId],
    (row: { role_mapping: Record<string, string> }) => row.role_mapping,
  );
  return mapping ?? {};
}
