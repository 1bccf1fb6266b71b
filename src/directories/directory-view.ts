import { rfc3339 } from '../platform/admin/index.js';
import type { Directory, DirectoryToken } from './directory-store.js';
import type { DirectorySyncStatus, ManagedGroupWithRoles } from './directory-sync.js';
import type { ManagedUser } from './directory-sync-store.js';

/** What the admin API shows of a SCIM directory, with where its SCIM endpoint lives. */
export const presentDirectory = (d: Directory) => ({
  id: d.id,
  org_id: d.orgId,
  name: d.name,
  status: d.status,
  role_mapping: d.roleMapping,
  scim_base_path: `/scim/v2/${d.id}`,
  created_at: rfc3339(d.createdAt),
  updated_at: rfc3339(d.updatedAt),
});

/** A token as listed: never the token, never its digest. */
export const presentDirectoryToken = (t: DirectoryToken) => ({
  id: t.id,
  directory_id: t.directoryId,
  created_at: rfc3339(t.createdAt),
  expires_at: rfc3339(t.expiresAt),
  revoked_at: rfc3339(t.revokedAt),
});

/** A directory's sync status: times, counts and recent refusals (no bodies, no people). */
export const presentSyncStatus = (s: DirectorySyncStatus) => ({
  directory_id: s.directory.id,
  status: s.directory.status,
  last_request_at: rfc3339(s.lastRequestAt),
  last_write_at: rfc3339(s.lastWriteAt),
  times_precision_seconds: s.precisionSeconds,
  counts: {
    users: s.counts.users,
    active_users: s.counts.activeUsers,
    groups: s.counts.groups,
    memberships: s.counts.memberships,
  },
  errors: s.errors.map((e) => ({
    occurred_at: rfc3339(e.occurredAt),
    method: e.method,
    path: e.path,
    status: e.status,
    scim_type: e.scimType,
    detail: e.detail,
  })),
  errors_dropped: s.errorsDropped,
});

/** A user the directory provisions, read-only here. */
export const presentManagedUser = (u: ManagedUser) => ({
  id: u.id,
  external_id: u.externalId,
  user_name: u.userName,
  email: u.email,
  active: u.active,
  roles: u.roles,
  created_at: rfc3339(u.createdAt),
  updated_at: rfc3339(u.updatedAt),
});

/** A group of the directory, with the roles its mapping gives the group's members. */
export const presentManagedGroup = (g: ManagedGroupWithRoles) => ({
  id: g.id,
  display_name: g.displayName,
  external_id: g.externalId,
  member_count: g.memberCount,
  roles: g.roles,
  created_at: rfc3339(g.createdAt),
  updated_at: rfc3339(g.updatedAt),
});
