import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import { challengeRecordName, type DomainService, type OrgDomain } from './domain-service.js';
import {
  contextOf,
  etagOf,
  expectedVersion,
  principalOf,
  rfc3339,
  uuidParam,
} from '../platform/admin/index.js';

/**
 * A domain as the admin API shows it. The token is no secret from the org's own admins
 * (they must publish it in DNS), so it is shown while the domain is pending.
 */
export const presentDomain = (d: OrgDomain) => ({
  id: d.id,
  org_id: d.orgId,
  domain: d.domain,
  status: d.status,
  verification:
    d.status === 'pending'
      ? {
          method: 'dns_txt',
          record_name: challengeRecordName(d.domain),
          record_value: d.verificationToken,
        }
      : null,
  verification_method: d.verificationMethod,
  verified_at: rfc3339(d.verifiedAt),
  created_at: rfc3339(d.createdAt),
  updated_at: rfc3339(d.updatedAt),
});

/** /api/v1/orgs/{orgId}/domains */
export function domainsRouter(domains: DomainService): Router {
  const router = Router();
  const base = '/orgs/:orgId/domains';
  const ids = (params: Record<string, unknown>) =>
    [uuidParam(params.orgId, 'org'), uuidParam(params.domainId, 'domain')] as const;

  router.post(base, async (req, res) => {
    const orgId = uuidParam(req.params.orgId, 'org');
    const domain = await domains.add(
      orgId,
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res
      .status(201)
      .location(`/api/v1/orgs/${orgId}/domains/${domain.id}`)
      .set('ETag', etagOf(domain.version))
      .json(presentDomain(domain));
  });

  router.get(base, async (req, res) => {
    const page = await domains.list(
      uuidParam(req.params.orgId, 'org'),
      principalOf(res.locals),
      pageRequest(req.query),
    );
    res.json({ items: page.items.map(presentDomain), next_cursor: page.nextCursor });
  });

  router.get(`${base}/:domainId`, async (req, res) => {
    const domain = await domains.get(...ids(req.params), principalOf(res.locals));
    res.set('ETag', etagOf(domain.version)).json(presentDomain(domain));
  });

  router.delete(`${base}/:domainId`, async (req, res) => {
    await domains.remove(
      ...ids(req.params),
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.status(204).end();
  });

  router.post(`${base}/:domainId/verify`, async (req, res) => {
    const domain = await domains.verify(
      ...ids(req.params),
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(domain.version)).json(presentDomain(domain));
  });

  router.post(`${base}/:domainId/attest`, async (req, res) => {
    const domain = await domains.attest(
      ...ids(req.params),
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(domain.version)).json(presentDomain(domain));
  });

  return router;
}
