// The SCIM protocol pieces (schemas, filters, PATCH, discovery, errors) the directories
// domain uses; scimmy and scim2-parse-filter are imported nowhere else (rule 4).
export { scimError, asScimError, type ScimType } from './scim-error.js';
export { parseFilter, matchesFilter, type ParsedFilter } from './scim-filter.js';
export {
  applyUserPatch,
  coerceUserIn,
  coerceUserOut,
  CORE_USER,
  ENTERPRISE_USER,
  PATCH_OP,
  type ScimUserData,
} from './scim-schema.js';
export {
  listResponse,
  schemas,
  serviceProviderConfig,
  userResourceType,
} from './scim-discovery.js';
