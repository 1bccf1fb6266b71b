// The SCIM protocol pieces (schemas, filters, PATCH, discovery, errors) the directories
// domain uses; scimmy and scim2-parse-filter are imported nowhere else (rule 4).
export { scimError, asScimError, type ScimType } from './scim-error.js';
export { parseFilter, matchesFilter, type ParsedFilter } from './scim-filter.js';
export { parseSort, sortResources, type ParsedSort } from './scim-sort.js';
export {
  applyPatch,
  coerceIn,
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE_USER,
  PATCH_OP,
  type ScimData,
  type ScimKind,
  type ScimUserData,
} from './scim-schema.js';
export { coerceOut } from './scim-projection.js';
export { listResponse, resourceTypes, schemas, serviceProviderConfig } from './scim-discovery.js';
