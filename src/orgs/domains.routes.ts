import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import { type DomainService } from './domain-service.js';
import { adminResource, callerOf, sendVersioned, underOrg } from '../platform/admin/index.js';
import { presentDomain } from './domain-view.js';

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
