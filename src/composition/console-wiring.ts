import type { SloReporter } from '../metrics/index.js';
import type { Database } from '../platform/db/index.js';
import type { ConsoleDeps } from '../http/pages/console.routes.js';
import type { LoginKit } from '../http/pages/login-kit.js';
import { orgStore } from '../orgs/index.js';
import { consoleAccess } from '../portal/index.js';
import type { Services } from './build-services.js';
import type { Runtime } from './runtime.js';

/**
 * The platform admin console's dependencies: the admin services themselves (the console
 * has no rules of its own), and its door, Latchkey's own session of the platform org.
 */
export function consoleDeps(
  { config }: Runtime,
  db: Database,
  services: Services,
  slo: SloReporter,
  /** The login pages' begin: a test sign-in starts as they do. */
  login: Pick<LoginKit, 'begin'>,
): ConsoleDeps {
  return {
    issuer: config.server.issuer,
    cookieName: services.cookie.name,
    bodyLimitBytes: config.server.bodyLimitBytes,
    access: consoleAccess({
      platformOrgSlug: config.console.platformOrg,
      adminRole: config.console.adminRole,
      validateSession: (token) => services.sessions.validate(token),
      orgBySlug: (slug) => orgStore(db).getBySlug(slug),
      user: (userId) => services.users.getUser(userId),
    }),
    orgs: services.orgs,
    domains: services.domains,
    connections: services.connections,
    connectionTests: services.connectionTests,
    beginTestLogin: (req, res, start) => login.begin(req, res, start),
    users: services.users,
    clients: services.clients,
    portalLinks: services.portalLinks,
    auditQuery: services.auditQuery,
    sessions: services.sessions,
    apiKeys: services.apiKeys,
    webhooks: services.webhooks,
    sloReport: () => slo.report(),
    linkLifetimes: {
      defaultSeconds: config.portal.linkLifetimeSeconds,
      maxSeconds: config.portal.maxLinkLifetimeSeconds,
    },
  };
}
