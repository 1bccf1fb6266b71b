import type { Database } from '../platform/db/index.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { assertOrgAccess, notFound, type AdminPrincipal } from '../platform/admin/index.js';
import type { ActivityLimits } from './directory-activity.js';
import { directoryStore, type Directory } from './directory-store.js';
import {
  directorySyncStore,
  type DirectoryCounts,
  type DirectoryError,
  type ManagedGroup,
  type ManagedUser,
} from './directory-sync-store.js';

/** A directory's sync status: when its IdP last called and wrote, what it manages, what failed. */
export interface DirectorySyncStatus {
  directory: Directory;
  lastRequestAt: Date | null;
  lastWriteAt: Date | null;
  /** How stale the two times may be: they are written at most this often per process. */
  precisionSeconds: number;
  counts: DirectoryCounts;
  /** Newest first, at most 50. */
  errors: DirectoryError[];
  /** Refusals past the per-minute cap: counted, not kept. */
  errorsDropped: number;
}

/** A group with the roles the directory's mapping gives its members. */
export interface ManagedGroupWithRoles extends ManagedGroup {
  roles: string[];
}

/**
 * The admin API's read-only view of what a directory manages and how its sync goes. No
 * writes: the directory is the source of truth for its users and groups.
 */
export interface DirectorySyncReads {
  status(orgId: string, id: string, principal: AdminPrincipal): Promise<DirectorySyncStatus>;
  listUsers(
    orgId: string,
    id: string,
    principal: AdminPrincipal,
    page: PageRequest,
  ): Promise<Page<ManagedUser>>;
  listGroups(
    orgId: string,
    id: string,
    principal: AdminPrincipal,
    page: PageRequest,
  ): Promise<Page<ManagedGroupWithRoles>>;
  getGroup(
    orgId: string,
    id: string,
    groupId: string,
    principal: AdminPrincipal,
  ): Promise<ManagedGroupWithRoles>;
  listGroupMembers(
    orgId: string,
    id: string,
    groupId: string,
    principal: AdminPrincipal,
    page: PageRequest,
  ): Promise<Page<ManagedUser>>;
}

const WHAT = 'SCIM directory';

/** The roles a group's displayName maps to (exact match, as the role computation reads it). */
const withRoles = (directory: Directory, group: ManagedGroup): ManagedGroupWithRoles => {
  const role = Object.hasOwn(directory.roleMapping, group.displayName)
    ? directory.roleMapping[group.displayName]
    : undefined;
  return { ...group, roles: role === undefined ? [] : [role] };
};

export function directorySyncReads(deps: {
  db: Database;
  limits: Pick<ActivityLimits, 'writeEveryMs'>;
}): DirectorySyncReads {
  const { db } = deps;
  const sync = directorySyncStore(db);
  // Tenant isolation first, then the directory in that org: another org's ids are a 404.
  const load = async (orgId: string, id: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId, WHAT);
    const directory = await directoryStore(db).get(orgId, id);
    if (!directory) throw notFound(WHAT);
    return directory;
  };

  return {
    async status(orgId, id, principal) {
      const directory = await load(orgId, id, principal);
      const [activity, counts, errors] = await Promise.all([
        sync.activity(id),
        sync.counts(id),
        sync.errors(id),
      ]);
      return {
        directory,
        lastRequestAt: activity?.lastRequestAt ?? null,
        lastWriteAt: activity?.lastWriteAt ?? null,
        precisionSeconds: Math.ceil(deps.limits.writeEveryMs / 1000),
        counts,
        errors,
        errorsDropped: activity?.errorsDropped ?? 0,
      };
    },
    async listUsers(orgId, id, principal, page) {
      await load(orgId, id, principal);
      return toPage(await sync.users(id, page), page, (u) => u.id);
    },
    async listGroups(orgId, id, principal, page) {
      const directory = await load(orgId, id, principal);
      const groups = await sync.groups(id, page);
      return toPage(
        groups.map((g) => withRoles(directory, g)),
        page,
        (g) => g.id,
      );
    },
    async getGroup(orgId, id, groupId, principal) {
      const directory = await load(orgId, id, principal);
      const group = await sync.group(id, groupId);
      if (!group) throw notFound('SCIM group');
      return withRoles(directory, group);
    },
    async listGroupMembers(orgId, id, groupId, principal, page) {
      await load(orgId, id, principal);
      if (!(await sync.group(id, groupId))) throw notFound('SCIM group');
      return toPage(await sync.members(id, groupId, page), page, (u) => u.id);
    },
  };
}
