export {
  createDirectoryService,
  type DirectoryPrincipal,
  type DirectoryService,
} from './directory-service.js';
export { type Directory, type DirectoryToken } from './directory-store.js';
export { directoriesRouter } from './directories.routes.js';
export { presentDirectory, presentSyncStatus } from './directory-view.js';
export {
  createScimUserService,
  type ScimCaller,
  type ScimUserService,
} from './scim-user-service.js';
export { createScimGroupService, type ScimGroupService } from './scim-group-service.js';
export { scimRouter, SCIM_CONTENT_TYPE } from './scim.routes.js';
