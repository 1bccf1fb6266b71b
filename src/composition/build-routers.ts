import type { RequestListener } from 'node:http';
import { auditRouter, webhooksRouter } from '../audit/index.js';
import { CONNECTION_LARGE_BODY, connectionsRouter } from '../connections/index.js';
import { directoriesRouter, scimRouter } from '../directories/index.js';
import { createHttpApp, OPERATIONAL_ROUTES } from '../http/create-http-app.js';
import { createManagementApp } from '../http/management-app.js';
import { accountRouter } from '../http/pages/account.routes.js';
import { consoleRouter } from '../http/pages/console.routes.js';
import { brandingAssetsRouter } from '../http/pages/branding-assets.routes.js';
import { portalRouter } from '../http/pages/portal.routes.js';
import { loginKit } from '../http/pages/login-kit.js';
import { loginRouter } from '../http/pages/login.routes.js';
import { listRoutes, type RouteEntry } from '../http/route-table.js';
import { pageText } from '../http/i18n/page-text.js';
import { localeRouter } from '../http/pages/locale.routes.js';
import { continueSignOutPage } from '../http/views/login-pages.js';
import { confirmLogoutPage, signedOutPage } from '../http/views/pages.js';
import { sloRouter } from '../metrics/index.js';
import {
  apiKeysRouter,
  BRANDING_LOGO_PATH,
  brandingRouter,
  clientsRouter,
  colorScheme,
  domainsRouter,
  orgsRouter,
  userExportRouter,
  usersRouter,
} from '../orgs/index.js';
import { createConnectionReservations, portalLinksRouter } from '../portal/index.js';
import { sessionsRouter } from '../sessions/index.js';
import { ssfAdminRouter, ssfRouter } from '../signals/index.js';
import { jwksRouter, oauthFormEndpoints, oauthRouter, signingAlgorithms } from '../tokens/index.js';
import type { Services } from './build-services.js';
import type { Stores } from './open-stores.js';
import type { Runtime } from './runtime.js';
import type { Jobs } from './start-jobs.js';
import { consoleDeps } from './console-wiring.js';

/** The request listeners and every route each serves (for checking openapi.yaml). */
export interface Routing {
  http: RequestListener;
  routes: RouteEntry[];
  /** The management listener: /metrics, /slo, /healthz, /readyz (management-app.ts). */
  management: RequestListener;
  managementRoutes: RouteEntry[];
}

/** What the login pages need (and the portal's and console's test sign-ins, which begin as they do). */
const loginPageDeps = (config: Runtime['config'], services: Services) => ({
  login: services.login,
  issuer: config.server.issuer,
  bodyLimitBytes: config.server.bodyLimitBytes,
  session: services.cookie,
  isRegisteredRedirectUri: services.isRegisteredRedirectUri,
  signedInEmail: services.signedInEmail,
  doors: services.doors,
  pageBranding: (orgId: string) => services.branding.pageBranding(orgId),
});

/** The pages and protocol endpoints at the root: JWKS, OAuth, login, account. */
function rootRouters(
  { config, logger }: Runtime,
  { ephemeral }: Stores,
  services: Services,
  jobs: Jobs,
) {
  const { keyRing, oauth, registry, cookie, signOut, sessions } = services;
  const clearCookie = (res: { clearCookie(name: string, options: object): unknown }) =>
    res.clearCookie(cookie.name, cookie.options);
  const pageBranding = (orgId: string) => services.branding.pageBranding(orgId);
  const loginDeps = loginPageDeps(config, services);
  // The portal's test sign-ins begin as the login pages do (the same transaction cookie).
  const testKit = loginKit(loginDeps);
  return [
    localeRouter({ secure: cookie.options.secure }),
    brandingAssetsRouter({
      logo: (orgId, digest) => services.branding.logo(orgId, digest),
      scheme: colorScheme,
    }),
    jwksRouter(keyRing),
    scimRouter({
      directories: services.directories,
      users: services.scimUsers,
      groups: services.scimGroups,
      issuer: config.server.issuer,
      bodyLimitBytes: config.server.bodyLimitBytes,
      maxResults: config.scim.maxResultsPerPage,
      maxFilterScan: config.scim.maxFilterScan,
      doors: services.doors,
    }),
    ssfRouter({
      service: services.ssf,
      store: services.streamStore,
      feed: jobs.revocationFeed,
      render: services.renderSets,
      poll: jobs.ssfPoll,
      authenticate: services.authenticateReceiver,
      heartbeatMs: config.signals.heartbeatSeconds * 1000,
      freshForMs: 2 * config.signals.feedPollIntervalMs + config.signals.heartbeatSeconds * 1000,
      bodyLimitBytes: config.server.bodyLimitBytes,
    }),
    oauthRouter(oauth, registry, {
      issuer: config.server.issuer,
      logger,
      signingAlgorithms: () => signingAlgorithms(keyRing, config.keys.algorithm),
      cookieName: cookie.name,
      bodyLimitBytes: config.server.bodyLimitBytes,
      endBrowserSession: signOut.endBrowserSession,
      clearSessionCookie: clearCookie,
      renderSignedOut: (res) => signedOutPage(pageText(res)),
      renderForward: (res, url) => continueSignOutPage(pageText(res), url),
      renderConfirmLogout: (res, action, fields) =>
        confirmLogoutPage(pageText(res), action, fields),
    }),
    loginRouter(loginDeps),
    accountRouter({
      cookieName: cookie.name,
      bodyLimitBytes: config.server.bodyLimitBytes,
      currentSession: (token) => sessions.validate(token),
      profile: services.memberProfile,
      listSessions: (orgId, userId) => sessions.listForUser(orgId, userId),
      async endSession(orgId, sessionId, context) {
        await sessions.end(orgId, sessionId, 'user_ended', context);
      },
      upstreamLogout: signOut.upstreamLogout,
      clearCookie,
      pageBranding,
      connectionNames: async (orgId) =>
        new Map(
          (await services.connections.listActiveConnections(orgId)).map((c) => [c.id, c.name]),
        ),
    }),
    portalRouter({
      links: services.portalLinks,
      domains: services.domains,
      connections: services.connections,
      directories: services.directories,
      connectionTests: services.connectionTests,
      beginTestLogin: (req, res, start) => testKit.begin(req, res, start),
      reservations: createConnectionReservations(ephemeral),
      auditQuery: services.auditQuery,
      sessions: services.sessions,
      users: services.users,
      async orgName(orgId) {
        // The portal session's own org, read as that org's admin would.
        const org = await services.orgs.get(orgId, { scope: 'org:admin', keyId: 'portal', orgId });
        return org.name;
      },
      issuer: config.server.issuer,
      bodyLimitBytes: config.server.bodyLimitBytes,
      pageBranding,
    }),
  ];
}

/** Step 4: the admin API under /api/v1, the root routers and the fast form endpoints. */
export function buildRouters(rt: Runtime, stores: Stores, services: Services, jobs: Jobs): Routing {
  const { db, ephemeral } = stores;
  const apiRouters = [
    orgsRouter(services.orgs),
    brandingRouter(services.branding),
    domainsRouter(services.domains),
    connectionsRouter(services.connections),
    usersRouter(services.users),
    directoriesRouter(services.directories),
    portalLinksRouter(services.portalLinks),
    userExportRouter(services.userExport),
    clientsRouter(services.clients),
    apiKeysRouter(services.apiKeys),
    sessionsRouter(services.sessions),
    webhooksRouter(services.webhooks),
    auditRouter(services.auditQuery),
    ssfAdminRouter(services.ssf, rt.config.server.bodyLimitBytes),
  ];
  const root = [
    ...rootRouters(rt, stores, services, jobs),
    consoleRouter(
      consoleDeps(
        rt,
        db,
        services,
        jobs.slo.reporter,
        loginKit(loginPageDeps(rt.config, services)),
      ),
    ),
  ];
  const formEndpoints = oauthFormEndpoints(
    services.oauth,
    services.registry,
    rt.metrics,
    services.doors,
  );
  const checks = [
    { name: 'postgres', check: () => db.ping() },
    { name: 'redis', check: () => ephemeral.ping() },
  ];
  const management = createManagementApp({
    logger: rt.logger,
    metrics: rt.metrics,
    checks,
    routers: [sloRouter(jobs.slo.reporter)],
  });
  const http = createHttpApp({
    config: rt.config,
    logger: rt.logger,
    metrics: rt.metrics,
    checks,
    authenticate: (presented) => services.apiKeys.authenticate(presented),
    adminDoors: services.doors,
    apiRouters,
    rootRouters: root,
    formEndpoints,
    largeBodies: [CONNECTION_LARGE_BODY],
    rawBodies: [{ path: BRANDING_LOGO_PATH, limitBytes: rt.config.branding.maxLogoBytes }],
    pageBranding: (orgId) => services.branding.pageBranding(orgId),
  });
  return {
    http,
    routes: [
      ...OPERATIONAL_ROUTES,
      ...listRoutes(apiRouters, '/api/v1'),
      ...listRoutes(root),
      ...formEndpoints.map((endpoint) => ({ method: 'POST', path: endpoint.path })),
    ],
    management: management.listener,
    managementRoutes: management.routes,
  };
}
