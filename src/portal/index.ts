// The self-serve setup portal (issue 18): one-time setup links from the admin API and the
// portal sessions they open. The pages are src/http/pages/portal.routes.ts.
export { createPortalLinkService, type PortalLinkService } from './portal-link-service.js';
export { createPortalSessions, type PortalSession, type PortalSessions } from './portal-session.js';
export { PORTAL_INTENTS, type PortalIntent, type PortalLink } from './portal-link.js';
export { portalLinksRouter } from './portal-links.routes.js';
export {
  createConnectionReservations,
  type ConnectionReservations,
} from './connection-reservations.js';
export {
  IDP_GUIDES,
  guideOf,
  type GuideAttributes,
  type IdpGuide,
  type SamlGuide,
  type OidcGuide,
} from './idp-guides.js';
export {
  consoleAccess,
  type ConsoleAccess,
  type ConsoleAccessDeps,
  type ConsoleAdmin,
  type ConsoleRefusal,
} from './console-access.js';
export { DIRECTORY_GUIDES, type DirectoryGuide, type GuideLabel } from './directory-guides.js';
