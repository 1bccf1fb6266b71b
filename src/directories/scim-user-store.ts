import { selectOne, type Queryable } from '../platform/db/index.js';

/** A user as a directory provisioned it: the SCIM resource beside the Latchkey user's id. */
export interface ScimUser {
  /** The SCIM id: the linked Latchkey user's id. */
  id: string;
  directoryId: string;
  userName: string;
  externalId: string | null;
  /** The resource as the directory last wrote it (core + enterprise), without id and meta. */
  resource: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /**
   * The directory's groups the user is a direct member of (RFC 7643 §4.1.2, read-only),
   * when a read path loaded them; absent otherwise (a write never stores them).
   */
  groups?: ScimUserGroup[];
}

/** A group of the user's directory that has the user as a member. */
export interface ScimUserGroup {
  id: string;
  displayName: string;
}

interface Row {
  user_id: string;
  directory_id: string;
  user_name: string;
  external_id: string | null;
  resource: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const toScimUser = (row: Row): ScimUser => ({
  id: row.user_id,
  directoryId: row.directory_id,
  userName: row.user_name,
  externalId: row.external_id,
  resource: row.resource,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/** A Latchkey user a new SCIM user may be linked to. */
export interface LinkCandidate {
  id: string;
  scimDirectoryId: string | null;
  /** Whether a SCIM user of some directory is linked to it already. */
  provisioned: boolean;
}

/** What createProbe finds. */
export interface CreateProbe {
  taken: boolean;
  bySubject: LinkCandidate[];
  byEmail: LinkCandidate[];
}

/**
 * A directory's users in SQL (PostgreSQL or PGlite), over a pool or a transaction; every
 * read is scoped to a directory: another directory's user is not found.
 */
export interface ScimUserStore {
  insert(user: ScimUser): Promise<void>;
  get(directoryId: string, id: string, options?: { forUpdate?: boolean }): Promise<ScimUser | null>;
  /** Oldest first; narrowed by an exact userName (case-insensitive) or externalId. */
  list(
    directoryId: string,
    narrowing: { userName?: string; externalId?: string },
  ): Promise<ScimUser[]>;
  /** How many users the directory has. */
  count(directoryId: string): Promise<number>;
  /** Whether another user of the directory has this userName or externalId. */
  taken(
    directoryId: string,
    userName: string,
    externalId: string | null,
    exceptId: string | null,
  ): Promise<boolean>;
  update(user: ScimUser, at: Date): Promise<ScimUser>;
  delete(directoryId: string, id: string): Promise<void>;
  /**
   * What a create must know, in one statement: whether the directory has a user of this
   * userName or externalId, and the org's users a new SCIM user could be linked to — by an
   * upstream identity (any of the org's connections) whose subject is the externalId, and
   * by email address (case-insensitive).
   */
  createProbe(input: {
    directoryId: string;
    orgId: string;
    userName: string;
    externalId: string | null;
    email: string;
  }): Promise<CreateProbe>;
  /**
   * The groups of each of these users (or, with `'all'`, of every user of the directory
   * with a group), by display name: one query, whatever the number of users.
   */
  groupsOf(directoryId: string, userIds: string[] | 'all'): Promise<Map<string, ScimUserGroup[]>>;
}

const CANDIDATE = `u.id, u.scim_directory_id,
    EXISTS (SELECT 1 FROM scim_users s WHERE s.user_id = u.id) AS provisioned FROM users u`;

/** createProbe: $1 directory, $2 userName, $3 externalId or null, $4 org, $5 email. */
const CREATE_PROBE_SQL = `SELECT 'taken' AS via, NULL::uuid AS id, NULL::uuid AS scim_directory_id,
    NULL::boolean AS provisioned
  WHERE EXISTS (SELECT 1 FROM scim_users WHERE directory_id = $1
    AND (lower(user_name) = lower($2) OR ($3::text IS NOT NULL AND external_id = $3::text)))
  UNION ALL
  (SELECT DISTINCT 'subject', ${CANDIDATE} JOIN user_identities i ON i.user_id = u.id
    JOIN connections c ON c.id = i.connection_id
    WHERE $3::text IS NOT NULL AND u.org_id = $4 AND c.org_id = $4 AND i.subject = $3::text)
  UNION ALL
  (SELECT 'email', ${CANDIDATE} WHERE u.org_id = $4 AND lower(u.email) = lower($5))`;

const toCandidate = (row: {
  id: string;
  scim_directory_id: string | null;
  provisioned: boolean;
}) => ({
  id: row.id,
  scimDirectoryId: row.scim_directory_id,
  provisioned: row.provisioned,
});

export function scimUserStore(q: Queryable): ScimUserStore {
  return {
    async insert(u) {
      await q.query(
        `INSERT INTO scim_users (user_id, directory_id, user_name, external_id, resource,
           created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          u.id,
          u.directoryId,
          u.userName,
          u.externalId,
          u.resource,
          u.createdAt,
          u.updatedAt,
          u.version,
        ],
      );
    },
    get(directoryId, id, options = {}) {
      return selectOne(
        q,
        `SELECT * FROM scim_users WHERE directory_id = $1 AND user_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [directoryId, id],
        toScimUser,
      );
    },
    async list(directoryId, narrowing) {
      const { rows } = await q.query<Row>(
        `SELECT * FROM scim_users WHERE directory_id = $1
           AND ($2::text IS NULL OR lower(user_name) = lower($2::text))
           AND ($3::text IS NULL OR external_id = $3::text)
         ORDER BY created_at, user_id`,
        [directoryId, narrowing.userName ?? null, narrowing.externalId ?? null],
      );
      return rows.map(toScimUser);
    },
    async count(directoryId) {
      const { rows } = await q.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM scim_users WHERE directory_id = $1',
        [directoryId],
      );
      return rows[0]!.n;
    },
    async taken(directoryId, userName, externalId, exceptId) {
      const { rows } = await q.query(
        `SELECT 1 FROM scim_users WHERE directory_id = $1
           AND (lower(user_name) = lower($2) OR ($3::text IS NOT NULL AND external_id = $3::text))
           AND ($4::uuid IS NULL OR user_id <> $4::uuid) LIMIT 1`,
        [directoryId, userName, externalId, exceptId],
      );
      return rows.length > 0;
    },
    async update(u, at) {
      const { rows } = await q.query<Row>(
        `UPDATE scim_users SET user_name = $3, external_id = $4, resource = $5, updated_at = $6,
           version = version + 1
         WHERE directory_id = $1 AND user_id = $2 RETURNING *`,
        [u.directoryId, u.id, u.userName, u.externalId, u.resource, at],
      );
      return toScimUser(rows[0]!);
    },
    async delete(directoryId, id) {
      await q.query('DELETE FROM scim_users WHERE directory_id = $1 AND user_id = $2', [
        directoryId,
        id,
      ]);
    },
    async groupsOf(directoryId, userIds) {
      const groups = new Map<string, ScimUserGroup[]>();
      if (userIds !== 'all' && !userIds.length) return groups;
      const { rows } = await q.query<{ user_id: string; id: string; display_name: string }>(
        `SELECT m.user_id, g.id, g.display_name
           FROM scim_groups g JOIN scim_group_members m ON m.group_id = g.id
          WHERE g.directory_id = $1 AND ($2::uuid[] IS NULL OR m.user_id = ANY($2::uuid[]))
          ORDER BY m.user_id, g.display_name, g.id`,
        [directoryId, userIds === 'all' ? null : userIds],
      );
      for (const row of rows) {
        const list = groups.get(row.user_id) ?? [];
        list.push({ id: row.id, displayName: row.display_name });
        groups.set(row.user_id, list);
      }
      return groups;
    },
    async createProbe({ directoryId, orgId, userName, externalId, email }) {
      const { rows } = await q.query<Parameters<typeof toCandidate>[0] & { via: string }>(
        CREATE_PROBE_SQL,
        [directoryId, userName, externalId, orgId, email],
      );
      const via = (name: string) => rows.filter((row) => row.via === name).map(toCandidate);
      return {
        taken: rows.some((row) => row.via === 'taken'),
        bySubject: via('subject'),
        byEmail: via('email'),
      };
    },
  };
}
