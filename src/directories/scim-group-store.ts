import { selectOne, type Queryable } from '../platform/db/index.js';

/** A group as a directory wrote it; its members are users of the same directory. */
export interface ScimGroup {
  id: string;
  directoryId: string;
  displayName: string;
  externalId: string | null;
  /** The resource as the directory last wrote it, without id, meta and members. */
  resource: Record<string, unknown>;
  /** The SCIM (= Latchkey) ids of its members, in id order. */
  members: string[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

interface Row {
  id: string;
  directory_id: string;
  display_name: string;
  external_id: string | null;
  resource: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const toGroup = (row: Row, members: string[]): ScimGroup => ({
  id: row.id,
  directoryId: row.directory_id,
  displayName: row.display_name,
  externalId: row.external_id,
  resource: row.resource,
  members,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/**
 * A directory's groups and memberships in SQL (PostgreSQL or PGlite), over a pool or a
 * transaction; every read is scoped to a directory: another directory's group is not found.
 */
export interface ScimGroupStore {
  /** Inserts the group and its members (which must be users of its directory). */
  insert(group: ScimGroup): Promise<void>;
  get(
    directoryId: string,
    id: string,
    options?: { forUpdate?: boolean },
  ): Promise<ScimGroup | null>;
  /** Oldest first; narrowed by an exact displayName (case-insensitive) or externalId. */
  list(
    directoryId: string,
    narrowing: { displayName?: string; externalId?: string },
  ): Promise<ScimGroup[]>;
  /** How many groups the directory has. */
  count(directoryId: string): Promise<number>;
  /** Whether another group of the directory has this externalId. */
  externalIdTaken(
    directoryId: string,
    externalId: string,
    exceptId: string | null,
  ): Promise<boolean>;
  /**
   * The resource and name become these, the members `change` names leave or join (the
   * others are left alone: a member deleted meanwhile is not put back); the version goes up.
   */
  update(group: ScimGroup, at: Date, change: MemberChange): Promise<ScimGroup>;
  delete(directoryId: string, id: string): Promise<void>;
  /** Of these ids, the ones that are not users of the directory; the others locked till the commit. */
  notUsersOf(directoryId: string, userIds: string[]): Promise<string[]>;
  /** Each user's display names of the directory's groups it is a member of (every id a key). */
  groupNamesOf(directoryId: string, userIds: string[]): Promise<Map<string, string[]>>;
}

async function membersOf(q: Queryable, groupIds: string[]): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>(groupIds.map((id) => [id, []]));
  if (!groupIds.length) return members;
  const { rows } = await q.query<{ group_id: string; user_id: string }>(
    `SELECT group_id, user_id FROM scim_group_members WHERE group_id = ANY($1::uuid[])
     ORDER BY group_id, user_id`,
    [groupIds],
  );
  for (const row of rows) members.get(row.group_id)!.push(row.user_id);
  return members;
}

/** The users a write adds to a group and the ones it removes. */
export interface MemberChange {
  added: string[];
  removed: string[];
}

async function insertMembers(q: Queryable, directoryId: string, groupId: string, ids: string[]) {
  if (!ids.length) return;
  await q.query(
    `INSERT INTO scim_group_members (directory_id, group_id, user_id)
     SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING`,
    [directoryId, groupId, ids],
  );
}

export function scimGroupStore(q: Queryable): ScimGroupStore {
  return {
    async insert(g) {
      await q.query(
        `INSERT INTO scim_groups (id, directory_id, display_name, external_id, resource,
           created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          g.id,
          g.directoryId,
          g.displayName,
          g.externalId,
          g.resource,
          g.createdAt,
          g.updatedAt,
          g.version,
        ],
      );
      await insertMembers(q, g.directoryId, g.id, g.members);
    },
    async get(directoryId, id, options = {}) {
      const row = await selectOne(
        q,
        `SELECT * FROM scim_groups WHERE directory_id = $1 AND id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [directoryId, id],
        (r: Row) => r,
      );
      if (!row) return null;
      return toGroup(row, (await membersOf(q, [row.id])).get(row.id)!);
    },
    async list(directoryId, narrowing) {
      const { rows } = await q.query<Row>(
        `SELECT * FROM scim_groups WHERE directory_id = $1
           AND ($2::text IS NULL OR lower(display_name) = lower($2::text))
           AND ($3::text IS NULL OR external_id = $3::text)
         ORDER BY created_at, id`,
        [directoryId, narrowing.displayName ?? null, narrowing.externalId ?? null],
      );
      const members = await membersOf(
        q,
        rows.map((row) => row.id),
      );
      return rows.map((row) => toGroup(row, members.get(row.id)!));
    },
    async count(directoryId) {
      const { rows } = await q.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM scim_groups WHERE directory_id = $1',
        [directoryId],
      );
      return rows[0]!.n;
    },
    async externalIdTaken(directoryId, externalId, exceptId) {
      const { rows } = await q.query(
        `SELECT 1 FROM scim_groups WHERE directory_id = $1 AND external_id = $2
           AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`,
        [directoryId, externalId, exceptId],
      );
      return rows.length > 0;
    },
    async update(g, at, { added, removed }) {
      const { rows } = await q.query<Row>(
        `UPDATE scim_groups SET display_name = $3, external_id = $4, resource = $5,
           updated_at = $6, version = version + 1
         WHERE directory_id = $1 AND id = $2 RETURNING *`,
        [g.directoryId, g.id, g.displayName, g.externalId, g.resource, at],
      );
      if (removed.length) {
        await q.query(
          `DELETE FROM scim_group_members WHERE group_id = $1 AND user_id = ANY($2::uuid[])`,
          [g.id, removed],
        );
      }
      await insertMembers(q, g.directoryId, g.id, added);
      return toGroup(rows[0]!, [...g.members].sort());
    },
    async delete(directoryId, id) {
      await q.query('DELETE FROM scim_groups WHERE directory_id = $1 AND id = $2', [
        directoryId,
        id,
      ]);
    },
    async notUsersOf(directoryId, userIds) {
      if (!userIds.length) return [];
      const { rows } = await q.query<{ user_id: string }>(
        // Locked (as the foreign key check would) so that a user deleted between this check
        // and the membership's insert waits for the group write instead of failing it.
        `SELECT user_id FROM scim_users WHERE directory_id = $1 AND user_id = ANY($2::uuid[])
         ORDER BY user_id FOR KEY SHARE`,
        [directoryId, userIds],
      );
      const known = new Set(rows.map((row) => row.user_id));
      return userIds.filter((id) => !known.has(id));
    },
    async groupNamesOf(directoryId, userIds) {
      const names = new Map<string, string[]>(userIds.map((id) => [id, []]));
      if (!userIds.length) return names;
      const { rows } = await q.query<{ user_id: string; display_name: string }>(
        `SELECT m.user_id, g.display_name FROM scim_group_members m
           JOIN scim_groups g ON g.id = m.group_id
         WHERE m.directory_id = $1 AND m.user_id = ANY($2::uuid[])
         ORDER BY m.user_id, g.display_name`,
        [directoryId, userIds],
      );
      for (const row of rows) names.get(row.user_id)?.push(row.display_name);
      return names;
    },
  };
}
