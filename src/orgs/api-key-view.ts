import { rfc3339 } from '../platform/admin/index.js';
import type { ApiKey } from './api-key-service.js';
/** What the admin API shows of it (never a secret). */
export const presentApiKey = (key: ApiKey) => ({
  id: key.id,
  org_id: key.orgId,
  scope: key.scope,
  name: key.name,
  created_at: rfc3339(key.createdAt),
  revoked_at: rfc3339(key.revokedAt),
});
