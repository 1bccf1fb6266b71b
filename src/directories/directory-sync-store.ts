import { selectOne, type Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';

/** How many of a directory's errors are kept: the newest. */
export const KEPT_ERRORS = 50;

/** A refused SCIM request as the sync status keeps it: no body, token or person's data. */
export interface DirectoryError {
  id: string;
  occurredAt: Date;
  method: string;
  /** The route's shape, e.g. `/Users/{id}`: never the id itself. */
  path: string;
  status: number;
  scimType: string | null;
  detail: string | null;
}

/** What this process has seen of a directory since it last wrote: written in one upsert. */
export interface ActivityWrite {
  directoryId: string;
  lastRequestAt: Date;
  lastWriteAt: Date | null;
  errorsDropped: number;
}

export interface DirectoryCounts {
  users: number;
  activeUsers: number;
  groups: number;
  memberships: number;
}

export interface DirectoryActivityRow {
  lastRequestAt: Date | null;
  lastWriteAt: Date | null;
  errorsDropped: number;
}

/** A Latchkey user a directory provisions, as its read-only listing shows it. */
export interface ManagedUser {
  id: string;
  externalId: string | null;
  userName: string;
  email: string;
  active: boolean;
  roles: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A directory's group, as its read-only listing shows it (roles come from the mapping). */
export interface ManagedGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  createdAt: Date;
  updatedAt: Date;
}

interface UserRow {
  user_id: string;
  external_id: string | null;
  user_name: string;
  email: string;
  status: string;
  roles: string[];
  created_at: Date;
  updated_at: Date;
}

interface GroupRow {
  id: string;
  display_name: string;
  external_id: string | null;
  member_count: string | number;
  created_at: Date;
  updated_at: Date;
}

const toUser = (row: UserRow): ManagedUser => ({
  id: row.user_id,
  externalId: row.external_id,
  userName: row.user_name,
  email: row.email,
  active: row.status === 'active',
  roles: row.roles,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toGroup = (row: GroupRow): ManagedGroup => ({
  id: row.id,
  displayName: row.display_name,
  externalId: row.external_id,
  memberCount: Number(row.member_count),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

interface ErrorRow {
  id: string;
  occurred_at: Date;
  method: string;
  path: string;
  status: number;
  scim_type: string | null;
  detail: string | null;
}

const toError = (row: ErrorRow): DirectoryError => ({
  id: row.id,
  occurredAt: row.occurred_at,
  method: row.method,
  path: row.path,
  status: row.status,
  scimType: row.scim_type,
  detail: row.detail,
});

const toActivity = (row: {
  last_request_at: Date | null;
  last_write_at: Date | null;
  errors_dropped: string | number;
}): DirectoryActivityRow => ({
  lastRequestAt: row.last_request_at,
  lastWriteAt: row.last_write_at,
  errorsDropped: Number(row.errors_dropped),
});

const USER_COLUMNS = `s.user_id, s.external_id, s.user_name, u.email, u.status, u.roles,
  s.created_at, s.updated_at`;

const GROUP = `SELECT g.id, g.display_name, g.external_id, g.created_at, g.updated_at,
  (SELECT count(*) FROM scim_group_members m WHERE m.group_id = g.id) AS member_count
  FROM scim_groups g`;

/**
 * A directory's sync status and what it manages, in SQL (PostgreSQL or PGlite). Every
 * method takes a directory id the caller has already found in its org.
 */
export interface DirectorySyncStore {
  /** Moves the times forward (never back) and adds the dropped errors. */
  writeActivity(write: ActivityWrite): Promise<void>;
  /** Adds the error and forgets all but the directory's newest KEPT_ERRORS. */
  insertError(directoryId: string, error: DirectoryError): Promise<void>;
  activity(directoryId: string): Promise<DirectoryActivityRow | null>;
  /** Newest first, at most KEPT_ERRORS. */
  errors(directoryId: string): Promise<DirectoryError[]>;
  counts(directoryId: string): Promise<DirectoryCounts>;
  /** In id order after the cursor, limit + 1 rows. */
  users(directoryId: string, page: PageRequest): Promise<ManagedUser[]>;
  groups(directoryId: string, page: PageRequest): Promise<ManagedGroup[]>;
  group(directoryId: string, groupId: string): Promise<ManagedGroup | null>;
  /** The group's members in id order after the cursor, limit + 1 rows. */
  members(directoryId: string, groupId: string, page: PageRequest): Promise<ManagedUser[]>;
}

export function directorySyncStore(q: Queryable): DirectorySyncStore {
  return {
    async writeActivity(w) {
      // GREATEST skips NULLs: a write-less flush keeps the last write time.
      await q.query(
        `INSERT INTO scim_directory_activity
           (directory_id, last_request_at, last_write_at, errors_dropped)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (directory_id) DO UPDATE SET
           last_request_at = GREATEST(scim_directory_activity.last_request_at,
             EXCLUDED.last_request_at),
           last_write_at = GREATEST(scim_directory_activity.last_write_at,
             EXCLUDED.last_write_at),
           errors_dropped = scim_directory_activity.errors_dropped + EXCLUDED.errors_dropped`,
        [w.directoryId, w.lastRequestAt, w.lastWriteAt, w.errorsDropped],
      );
    },
    async insertError(directoryId, e) {
      await q.query(
        `INSERT INTO scim_directory_errors (id, directory_id, occurred_at, method, path, status,
           scim_type, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [e.id, directoryId, e.occurredAt, e.method, e.path, e.status, e.scimType, e.detail],
      );
      await q.query(
        `DELETE FROM scim_directory_errors WHERE directory_id = $1 AND id < (
           SELECT id FROM scim_directory_errors WHERE directory_id = $1
           ORDER BY id DESC OFFSET $2 LIMIT 1)`,
        [directoryId, KEPT_ERRORS - 1],
      );
    },
    activity(directoryId) {
      return selectOne(
        q,
        'SELECT * FROM scim_directory_activity WHERE directory_id = $1',
        [directoryId],
        toActivity,
      );
    },
    async errors(directoryId) {
      const { rows } = await q.query<ErrorRow>(
        `SELECT * FROM scim_directory_errors WHERE directory_id = $1 ORDER BY id DESC LIMIT $2`,
        [directoryId, KEPT_ERRORS],
      );
      return rows.map(toError);
    },
    async counts(directoryId) {
      const { rows } = await q.query<Record<keyof DirectoryCounts, string | number>>(
        `SELECT
           (SELECT count(*) FROM scim_users WHERE directory_id = $1) AS "users",
           (SELECT count(*) FROM scim_users s JOIN users u ON u.id = s.user_id
             WHERE s.directory_id = $1 AND u.status = 'active') AS "activeUsers",
           (SELECT count(*) FROM scim_groups WHERE directory_id = $1) AS "groups",
           (SELECT count(*) FROM scim_groups g JOIN scim_group_members m ON m.group_id = g.id
             WHERE g.directory_id = $1) AS "memberships"`,
        [directoryId],
      );
      const row = rows[0]!;
      return {
        users: Number(row.users),
        activeUsers: Number(row.activeUsers),
        groups: Number(row.groups),
        memberships: Number(row.memberships),
      };
    },
    async users(directoryId, page) {
      const { rows } = await q.query<UserRow>(
        `SELECT ${USER_COLUMNS} FROM scim_users s JOIN users u ON u.id = s.user_id
         WHERE s.directory_id = $1 AND ($2::uuid IS NULL OR s.user_id > $2::uuid)
         ORDER BY s.user_id LIMIT $3`,
        [directoryId, page.afterId, page.limit + 1],
      );
      return rows.map(toUser);
    },
    async groups(directoryId, page) {
      const { rows } = await q.query<GroupRow>(
        `${GROUP} WHERE g.directory_id = $1 AND ($2::uuid IS NULL OR g.id > $2::uuid)
         ORDER BY g.id LIMIT $3`,
        [directoryId, page.afterId, page.limit + 1],
      );
      return rows.map(toGroup);
    },
    group(directoryId, groupId) {
      return selectOne(
        q,
        `${GROUP} WHERE g.directory_id = $1 AND g.id = $2`,
        [directoryId, groupId],
        toGroup,
      );
    },
    async members(directoryId, groupId, page) {
      const { rows } = await q.query<UserRow>(
        `SELECT ${USER_COLUMNS} FROM scim_group_members m
         JOIN scim_users s ON s.user_id = m.user_id AND s.directory_id = m.directory_id
         JOIN users u ON u.id = s.user_id
         WHERE m.directory_id = $1 AND m.group_id = $2
           AND ($3::uuid IS NULL OR m.user_id > $3::uuid)
         ORDER BY m.user_id LIMIT $4`,
        [directoryId, groupId, page.afterId, page.limit + 1],
      );
      return rows.map(toUser);
    },
  };
}
