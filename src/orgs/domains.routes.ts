import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import { challengeRecordName, type DomainService, type OrgDomain } from './domain-service.js';
import {
  adminResource,
  callerOf,
  rfc3339,
  sendVersioned,
  underOrg,
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
  const paths = underOrg('domains', 'domainId', 'domain');
  const router = adminResource(Router(), {
    ...paths,
    present: presentDomain,
    create: (...args) => domains.add(...args),
    list: (orgId, query, principal) => domains.list(orgId, principal, pageRequest(query)),
    get: (...args) => domains.get(...args),
    remove: (...args) => domains.remove(...args),
  });

  for (const action of ['verify', 'attest'] as const) {
    router.post(`/orgs/:orgId/domains/:domainId/${action}`, async (req, res) => {
      const domain = await domains[action](
        ...paths.key(req.params),
        req.body,
        ...callerOf(req, res),
      );
      sendVersioned(res, domain, presentDomain(domain));
    });
  }

  return router;
}
