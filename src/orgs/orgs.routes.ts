import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import type { Org } from './org-store.js';
import type { OrgService } from './org-service.js';
import { adminResource, rfc3339, uuidParam } from '../platform/admin/index.js';

export const presentOrg = (org: Org) => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  status: org.status,
  settings: {
    session_idle_timeout_seconds: org.settings.sessionIdleTimeoutSeconds,
    session_absolute_lifetime_seconds: org.settings.sessionAbsoluteLifetimeSeconds,
    max_sessions_per_user: org.settings.maxSessionsPerUser,
    require_verified_email: org.settings.requireVerifiedEmail,
    audit_ip: org.settings.auditIp,
    audit_retention_days: org.settings.auditRetentionDays,
  },
  created_at: rfc3339(org.createdAt),
  updated_at: rfc3339(org.updatedAt),
});

/** /api/v1/orgs */
export function orgsRouter(orgs: OrgService): Router {
  return adminResource(Router(), {
    collection: '/orgs',
    idParam: 'orgId',
    parent: () => [] as const,
    key: (params) => [uuidParam(params.orgId, 'org')] as const,
    present: presentOrg,
    create: (...args) => orgs.create(...args),
    list: (query, principal) => orgs.list(principal, pageRequest(query)),
    get: (...args) => orgs.get(...args),
    update: (...args) => orgs.update(...args),
    remove: (...args) => orgs.remove(...args),
  });
}
