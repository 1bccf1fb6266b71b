export { createOrgService, type OrgService, type SessionTerminator } from './org-service.js';
export { DEFAULT_ORG_SETTINGS } from './org-input.js';
export {
  orgStore,
  type Org,
  type OrgLoginLimits,
  type OrgSettings,
  type OrgStore,
} from './org-store.js';
export { memberProfiles, type MemberProfile } from './member-profile.js';
export { orgsRouter } from './orgs.routes.js';
export { presentOrg } from './org-view.js';
export { createBrandingService, type BrandingService } from './branding-service.js';
export { BRANDING_LOGO_PATH, brandingRouter } from './branding.routes.js';
export { colorScheme } from './branding-color.js';
export { type PageBranding } from './branding-view.js';
export { createApiKeyService, type ApiKey, type ApiKeyService } from './api-key-service.js';
export { apiKeysRouter } from './api-keys.routes.js';
export type { AdminPrincipal } from '../platform/admin/index.js';
export { createDomainService, type DomainService } from './domain-service.js';
export { challengeRecordName, type TxtResolver } from './domain-challenge.js';
export { domainsRouter } from './domains.routes.js';
export { createUserService, type UserService } from './user-service.js';
export { createProfileChanges, type ProfileChanges } from './profile-changes.js';
export { usersRouter } from './users.routes.js';
export { createClientService, type ClientCutoffs, type ClientService } from './client-service.js';
export { clientsRouter } from './clients.routes.js';
export { findVerifiedDomainOrg, type OrgDomain } from './domain-service.js';
export { normaliseDomain, type DomainNameResult } from './domain-name.js';
export { presentDomain } from './domain-view.js';
export { type ProvisionInput } from './user-input.js';
export {
  userStore,
  type User,
  type UserIdentity,
  type UserStore,
  type UserUpdate,
} from './user-store.js';
export { userChangeEvent } from './user-view.js';
export { presentUser } from './user-view.js';
export { CLIENT_ID_PATTERN, DEFAULT_ALLOWED_SCOPES } from './client-input.js';
export { clientRegistration } from './client-view.js';
export {
  clientStore,
  type Client,
  type ClientGrantType,
  type ClientSecretInfo,
  type ClientStore,
} from './client-store.js';
export { presentClient } from './client-view.js';
export {
  createUserExportService,
  type UserExportService,
  type UserSessionLister,
} from './user-export.js';
export { userExportRouter } from './user-export.routes.js';
