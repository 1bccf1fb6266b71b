export {
  createDirectoryService,
  type DirectoryPrincipal,
  type DirectoryService,
} from './directory-service.js';
export { type Directory, type DirectoryToken } from './directory-store.js';
export { directoriesRouter } from './directories.routes.js';
export { presentDirectory } from './directory-view.js';
