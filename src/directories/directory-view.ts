import { rfc3339 } from '../platform/admin/index.js';
import type { Directory, DirectoryToken } from './directory-store.js';

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
