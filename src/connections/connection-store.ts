import {
  orgRows,
  type ChangeColumns,
  type Queryable,
  type WriteResult,
} from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';
import type { Connection, ConnectionStatus, OidcSettings, SamlSettings } from './connection.js';

interface Row {
  id: string;
  org_id: string;
  type: 'oidc' | 'saml';
  name: string;
  status: ConnectionStatus;
  settings: unknown;
  secret_ciphertext: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A connection row with its sealed secret, which only the service ever opens. */
export interface StoredConnection {
  connection: Connection;
  secretCiphertext: string | null;
}

const toStored = (row: Row): StoredConnection => {
  const settings =
    typeof row.settings === 'string' ? (JSON.parse(row.settings) as unknown) : row.settings;
  const base = {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    status: row.status,
    clientSecretSet: row.secret_ciphertext !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
  const connection: Connection =
    row.type === 'oidc'
      ? { ...base, type: 'oidc', settings: settings as OidcSettings }
      : {
          ...base,
          type: 'saml',
          // Settings stored before want_assertions_signed existed take its default.
          settings: {
            ...(settings as SamlSettings),
            wantAssertionsSigned: (settings as Partial<SamlSettings>).wantAssertionsSigned ?? true,
          },
        };
  return { connection, secretCiphertext: row.secret_ciphertext };
};

export interface ConnectionChanges {
  name?: string;
  status?: ConnectionStatus;
  settings?: OidcSettings | SamlSettings;
  secretCiphertext?: string;
}

export type { WriteResult };

const CHANGE_COLUMNS: ChangeColumns<ConnectionChanges> = {
  set: `name = COALESCE($4, name),
    status = COALESCE($5, status),
    settings = COALESCE($6::jsonb, settings),
    secret_ciphertext = COALESCE($7, secret_ciphertext)`,
  values: (changes) => [
    changes.name ?? null,
    changes.status ?? null,
    changes.settings ? JSON.stringify(changes.settings) : null,
    changes.secretCiphertext ?? null,
  ],
};

/**
 * Connections in SQL (PostgreSQL or PGlite), over a pool or a transaction. Every method
 * taking an org id sees that org's rows only. Contract: test/contracts/connection-store.contract.test.ts.
 */
export interface ConnectionStore {
  insert(connection: Connection, secretCiphertext: string | null): Promise<void>;
  get(orgId: string, id: string): Promise<StoredConnection | null>;
  /** Any org's connection, by id alone: for logins, never for the admin API. */
  getById(id: string): Promise<StoredConnection | null>;
  /** Oldest first. */
  list(orgId: string, page: PageRequest): Promise<Connection[]>;
  listByStatus(orgId: string, status: ConnectionStatus): Promise<Connection[]>;
  /** Every org's SAML connections, oldest first: for background jobs, never for the admin API. */
  listAllSaml(): Promise<Connection[]>;
  update(
    orgId: string,
    id: string,
    changes: ConnectionChanges,
    at: Date,
    expectedVersion: number,
  ): Promise<WriteResult<StoredConnection>>;
  /** Whether any user identity points at the connection (it then cannot be deleted). */
  inUse(id: string): Promise<boolean>;
  /** With an expected version, only that version is deleted. */
  delete(orgId: string, id: string, expectedVersion: number | null): Promise<boolean>;
}

export function connectionStore(q: Queryable): ConnectionStore {
  const table = orgRows(q, 'connections', toStored, CHANGE_COLUMNS);

  return {
    async insert(connection: Connection, secretCiphertext: string | null): Promise<void> {
      await q.query(
        `INSERT INTO connections (id, org_id, type, name, status, settings, secret_ciphertext,
           created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)`,
        [
          connection.id,
          connection.orgId,
          connection.type,
          connection.name,
          connection.status,
          JSON.stringify(connection.settings),
          secretCiphertext,
          connection.createdAt,
          connection.updatedAt,
          connection.version,
        ],
      );
    },

    get: table.get,

    /** Any org's connection, by id alone: for logins, never for the admin API. */
    async getById(id: string): Promise<StoredConnection | null> {
      const { rows } = await q.query<Row>('SELECT * FROM connections WHERE id = $1', [id]);
      return rows[0] ? toStored(rows[0]) : null;
    },

    /** Oldest first. */
    async list(orgId: string, page: PageRequest) {
      return (await table.page(orgId, page)).map((stored) => stored.connection);
    },

    async listByStatus(orgId: string, status: ConnectionStatus) {
      const { rows } = await q.query<Row>(
        'SELECT * FROM connections WHERE org_id = $1 AND status = $2 ORDER BY id',
        [orgId, status],
      );
      return rows.map((row) => toStored(row).connection);
    },

    /** Every org's SAML connections, oldest first: for background jobs, never for the admin API. */
    async listAllSaml() {
      const { rows } = await q.query<Row>(
        "SELECT * FROM connections WHERE type = 'saml' ORDER BY id",
      );
      return rows.map((row) => toStored(row).connection);
    },

    update: table.update,

    /** Whether any user identity points at the connection (it then cannot be deleted). */
    async inUse(id: string): Promise<boolean> {
      const { rows } = await q.query<{ one: number }>(
        'SELECT 1 AS one FROM user_identities WHERE connection_id = $1 LIMIT 1',
        [id],
      );
      return rows.length > 0;
    },

    /** With an expected version, only that version is deleted. */
    delete: table.deleteVersioned,
  };
}
