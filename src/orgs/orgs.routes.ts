import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import type { OrgService } from './org-service.js';
import { adminResource, uuidParam } from '../platform/admin/index.js';
import { presentOrg } from './org-view.js';

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
