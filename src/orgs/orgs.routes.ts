import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import type { Org } from './org-store.js';
import type { OrgService } from './org-service.js';
import { contextOf, principalOf, rfc3339, uuidParam } from '../platform/admin/index.js';
import { etagOf, expectedVersion } from '../platform/admin/index.js';

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
  const router = Router();

  router.post('/orgs', async (req, res) => {
    const org = await orgs.create(req.body, principalOf(res.locals), contextOf(req, res.locals));
    res
      .status(201)
      .location(`/api/v1/orgs/${org.id}`)
      .set('ETag', etagOf(org.version))
      .json(presentOrg(org));
  });

  router.get('/orgs', async (req, res) => {
    const page = await orgs.list(principalOf(res.locals), pageRequest(req.query));
    res.json({ items: page.items.map(presentOrg), next_cursor: page.nextCursor });
  });

  router.get('/orgs/:orgId', async (req, res) => {
    const org = await orgs.get(uuidParam(req.params.orgId, 'org'), principalOf(res.locals));
    res.set('ETag', etagOf(org.version)).json(presentOrg(org));
  });

  router.patch('/orgs/:orgId', async (req, res) => {
    const org = await orgs.update(
      uuidParam(req.params.orgId, 'org'),
      req.body,
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(org.version)).json(presentOrg(org));
  });

  router.delete('/orgs/:orgId', async (req, res) => {
    await orgs.remove(
      uuidParam(req.params.orgId, 'org'),
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.status(204).end();
  });

  return router;
}
