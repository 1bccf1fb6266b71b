import type { Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';
import type { WriteResult } from './org-store.js';

/** An upstream identity: who the user is at one connection (OIDC `sub`, SAML NameID). */
export interface UserIdentity {
  id: string;
  connectionId: string;
  subject: string;
  createdAt: Date;
}

export interface User {
  id: string;
  orgId: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  roles: string[];
  status: 'active' | 'deactivated';
  identities: UserIdentity[];
  /**
   * The SCIM directory that manages the user (issue 17): it is the source of truth for
   * the user's profile and status, which the admin API then does not change. Null: none.
   */
  scimDirectoryId: string | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

interface UserRow {
  id: string;
  org_id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  roles: string[];
  status: User['status'];
  scim_directory_id: string | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface IdentityRow {
  id: string;
  user_id: string;
  connection_id: string;
  subject: string;
  created_at: Date;
}

const toIdentity = (row: IdentityRow): UserIdentity => ({
  id: row.id,
  connectionId: row.connection_id,
  subject: row.subject,
  createdAt: row.created_at,
});

const toUser = (row: UserRow, identities: UserIdentity[]): User => ({
  id: row.id,
  orgId: row.org_id,
  email: row.email,
  emailVerified: row.email_verified,
  name: row.name,
  roles: row.roles,
  status: row.status,
  identities,
  scimDirectoryId: row.scim_directory_id,
  lastLoginAt: row.last_login_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/** What may change on a user; `undefined` leaves a field alone. */
export type UserUpdate = Partial<
  Pick<
    User,
    'email' | 'emailVerified' | 'name' | 'roles' | 'status' | 'lastLoginAt' | 'scimDirectoryId'
  >
>;

const COLUMNS: Record<keyof UserUpdate, string> = {
  email: 'email',
  emailVerified: 'email_verified',
  name: 'name',
  roles: 'roles',
  status: 'status',
  lastLoginAt: 'last_login_at',
  scimDirectoryId: 'scim_directory_id',
};

/** list: $1 org, $2 after id, $3 limit, $4 LIKE pattern or null, $5 directory or null. */
const LIST_SQL = `SELECT * FROM users
  WHERE org_id = $1
    AND ($2::uuid IS NULL OR id > $2::uuid)
    AND ($4::text IS NULL OR lower(email) LIKE lower($4::text) ESCAPE '\\')
    AND ($5::uuid IS NULL OR scim_directory_id = $5::uuid)
  ORDER BY id LIMIT $3`;

/** findDirectoryManagedForLink: $1 org, $2 connection, $3 subject, $4 verified email or null. */
const DIRECTORY_LINK_SQL = `SELECT u.* FROM users u LEFT JOIN scim_users s ON s.user_id = u.id
  WHERE u.org_id = $1 AND u.scim_directory_id IS NOT NULL
    AND (s.external_id = $3 OR ($4::text IS NOT NULL AND lower(u.email) = lower($4::text)))
    AND NOT EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id AND i.connection_id = $2)
  ORDER BY u.id FOR UPDATE OF u`;

const INSERT_SQL = `INSERT INTO users (id, org_id, email, email_verified, name, roles, status,
    last_login_at, created_at, updated_at, version, scim_directory_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

/** getManyForUpdate: $1 org, $2 ids; locked in id order, the order every writer locks in. */
const MANY_FOR_UPDATE_SQL = `SELECT * FROM users WHERE org_id = $1 AND id = ANY($2::uuid[])
  ORDER BY id FOR UPDATE`;

/** setRoles: $1 org, $2 [{id, roles}] as JSON, $3 the time of the change. */
const SET_ROLES_SQL = `UPDATE users u SET roles = ARRAY(SELECT jsonb_array_elements_text(c.roles)),
    updated_at = $3, version = u.version + 1
  FROM jsonb_to_recordset($2::jsonb) AS c(id uuid, roles jsonb)
  WHERE u.org_id = $1 AND u.id = c.id
  RETURNING u.*`;

/** `%`, `_` and `\` match themselves in a LIKE pattern once escaped. */
export const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Users and their upstream identities in SQL (PostgreSQL or PGlite), over a pool or a
 * transaction. Every read is scoped to an org: an id of another org is not found.
 * Contract: test/contracts/user-store.contract.test.ts.
 */
export interface UserStore {
  /** Inserts the user row (its identities are added with insertIdentity). */
  insert(user: User): Promise<void>;
  /** Adds an identity unless (connection, subject) is taken; false when it was. */
  insertIdentity(userId: string, identity: UserIdentity): Promise<boolean>;
  get(orgId: string, id: string, options?: { forUpdate?: boolean }): Promise<User | null>;
  /** The org's users of these ids, locked for update in id order (the order every writer locks in). */
  getManyForUpdate(orgId: string, ids: string[]): Promise<User[]>;
  /** Any org: for the login path, which has no admin principal. */
  getById(id: string): Promise<User | null>;
  /** The user an upstream identity belongs to, locked for update (login path). */
  findByIdentityForUpdate(connectionId: string, subject: string): Promise<User | null>;
  /**
   * The org's users a SCIM directory provisioned that a first sign-in at `connectionId` may
   * link to (issue 17): the SCIM externalId is the upstream subject, or (when `email` is
   * given: the IdP verified it) the address is theirs. Users with an identity at this
   * connection already are not candidates. Locked for update.
   */
  findDirectoryManagedForLink(
    orgId: string,
    connectionId: string,
    subject: string,
    email: string | null,
  ): Promise<User[]>;
  /**
   * Oldest first; `emailPrefix` matches case-insensitively and literally; `scimDirectoryId`
   * keeps the users that directory manages.
   */
  list(
    orgId: string,
    page: PageRequest,
    emailPrefix?: string,
    scimDirectoryId?: string,
  ): Promise<User[]>;
  /**
   * Applies changes; `bumpVersion` false records a login without invalidating the ETag
   * an admin holds. `expectedVersion` null skips the version check.
   */
  update(
    orgId: string,
    id: string,
    changes: UserUpdate,
    at: Date,
    expectedVersion: number | null,
    bumpVersion?: boolean,
  ): Promise<WriteResult<User>>;
  /**
   * Sets each listed user's roles in one statement (version bumped, `updated_at` = `at`)
   * and returns the users as they are now; an id not of the org is skipped.
   */
  setRoles(orgId: string, roles: Map<string, string[]>, at: Date): Promise<User[]>;
  /** Deletes the user; its identities go with it (ON DELETE CASCADE). */
  delete(orgId: string, id: string): Promise<boolean>;
}

export function userStore(q: Queryable): UserStore {
  const identitiesOf = async (userIds: string[]) => {
    const byUser = new Map<string, UserIdentity[]>(userIds.map((id) => [id, []]));
    if (!userIds.length) return byUser;
    const { rows } = await q.query<IdentityRow>(
      `SELECT * FROM user_identities WHERE user_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [userIds],
    );
    for (const row of rows) byUser.get(row.user_id)?.push(toIdentity(row));
    return byUser;
  };
  const withIdentities = async (rows: UserRow[]) => {
    const byUser = await identitiesOf(rows.map((r) => r.id));
    return rows.map((row) => toUser(row, byUser.get(row.id) ?? []));
  };
  const one = async (rows: UserRow[]) => (rows[0] ? (await withIdentities(rows))[0]! : null);

  return {
    async insert(user) {
      await q.query(INSERT_SQL, [
        user.id,
        user.orgId,
        user.email,
        user.emailVerified,
        user.name,
        user.roles,
        user.status,
        user.lastLoginAt,
        user.createdAt,
        user.updatedAt,
        user.version,
        user.scimDirectoryId,
      ]);
    },
    async insertIdentity(userId, identity) {
      // ON CONFLICT waits for a concurrent insert of the same identity to commit or roll
      // back, then does nothing: the caller learns it lost the race without an error.
      const { rowCount } = await q.query(
        `INSERT INTO user_identities (id, user_id, connection_id, subject, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (connection_id, subject) DO NOTHING`,
        [identity.id, userId, identity.connectionId, identity.subject, identity.createdAt],
      );
      return rowCount === 1;
    },
    async get(orgId, id, options = {}) {
      const { rows } = await q.query<UserRow>(
        `SELECT * FROM users WHERE org_id = $1 AND id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
      );
      return one(rows);
    },
    async getManyForUpdate(orgId, ids) {
      if (!ids.length) return [];
      const { rows } = await q.query<UserRow>(MANY_FOR_UPDATE_SQL, [orgId, ids]);
      return withIdentities(rows);
    },
    async getById(id) {
      const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
      return one(rows);
    },
    async findByIdentityForUpdate(connectionId, subject) {
      const { rows } = await q.query<UserRow>(
        `SELECT u.* FROM user_identities i JOIN users u ON u.id = i.user_id
         WHERE i.connection_id = $1 AND i.subject = $2 FOR UPDATE OF u`,
        [connectionId, subject],
      );
      return one(rows);
    },
    async findDirectoryManagedForLink(orgId, connectionId, subject, email) {
      const params = [orgId, connectionId, subject, email];
      return withIdentities((await q.query<UserRow>(DIRECTORY_LINK_SQL, params)).rows);
    },
    async list(orgId, page, emailPrefix, scimDirectoryId) {
      const { rows } = await q.query<UserRow>(LIST_SQL, [
        orgId,
        page.afterId,
        page.limit + 1,
        emailPrefix ? likePrefix(emailPrefix) : null,
        scimDirectoryId ?? null,
      ]);
      return withIdentities(rows);
    },
    async update(orgId, id, changes, at, expected, bumpVersion = true) {
      const params: unknown[] = [orgId, id, expected];
      const sets: string[] = [];
      for (const [key, value] of Object.entries(changes) as Array<[keyof UserUpdate, unknown]>) {
        if (value === undefined) continue;
        params.push(value);
        sets.push(`${COLUMNS[key]} = $${params.length}`);
      }
      if (bumpVersion) {
        params.push(at);
        sets.push(`updated_at = $${params.length}`, 'version = version + 1');
      }
      if (!sets.length) sets.push('version = version');
      const { rows } = await q.query<UserRow>(
        `UPDATE users SET ${sets.join(', ')}
         WHERE org_id = $1 AND id = $2 AND ($3::int IS NULL OR version = $3::int)
         RETURNING *`,
        params,
      );
      if (rows[0]) return { ok: true, value: (await one(rows))! };
      return { ok: false, reason: (await this.get(orgId, id)) ? 'stale' : 'not_found' };
    },
    async setRoles(orgId, roles, at) {
      if (!roles.size) return [];
      const changes = JSON.stringify([...roles].map(([id, list]) => ({ id, roles: list })));
      const { rows } = await q.query<UserRow>(SET_ROLES_SQL, [orgId, changes, at]);
      return withIdentities(rows.sort((a, b) => (a.id < b.id ? -1 : 1)));
    },
    async delete(orgId, id) {
      const { rowCount } = await q.query('DELETE FROM users WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
      ]);
      return rowCount > 0;
    },
  };
}
