import { rfc3339 } from '../platform/admin/index.js';
import { statusOf, type PortalLink } from './portal-link.js';

/** A portal link as the admin API shows it: never its token (that is shown once, at create). */
export const presentPortalLink = (link: PortalLink, now: Date) => ({
  id: link.id,
  org_id: link.orgId,
  intents: link.intents,
  status: statusOf(link, now),
  return_url: link.returnUrl,
  created_at: rfc3339(link.createdAt),
  expires_at: rfc3339(link.expiresAt),
  used_at: rfc3339(link.usedAt),
  revoked_at: rfc3339(link.revokedAt),
});
