// Plumbing shared by every admin API resource: who is calling, tenant isolation,
// optimistic concurrency, request context.
export {
  actorOf,
  assertOrgAccess,
  assertPlatformAdmin,
  notFound,
  type AdminPrincipal,
} from './principal.js';
export { etagOf, expectedVersion, staleWrite } from './versioning.js';
export { contextOf, principalOf, rfc3339, uuidParam, type AdminRequestLike } from './request.js';
