// Plumbing shared by every admin API resource: who is calling, tenant isolation,
// optimistic concurrency, request context, and the one shape of a resource's routes.
export {
  actorOf,
  assertOrgAccess,
  assertPlatformAdmin,
  notFound,
  type AdminPrincipal,
  type ConsoleUser,
} from './principal.js';
export { assertOrgExists, assertOrgVisible } from './org-visibility.js';
export {
  etagOf,
  expectedVersion,
  refusalOf,
  staleWrite,
  written,
  type VersionedWrite,
} from './versioning.js';
export { principalOf, rfc3339, uuidParam } from './request.js';
export { contextOf } from '../request-context.js';
export * from './exchange.js';
export * from './resource.js';
export { adminEvent, orgResourceReads, type OrgResourceService } from './org-resource.js';
