import { resolveTxt as dnsResolveTxt } from 'node:dns/promises';
import {
  createWebhookService,
  type AuditLog,
  type AuditQuery,
  type WebhookService,
} from '../audit/index.js';
import {
  connectionChecker,
  createConnectionService,
  oidcRedirectUri,
  type ConnectionService,
} from '../connections/index.js';
import {
  createDirectoryService,
  createScimGroupService,
  createScimUserService,
  type DirectoryService,
  type ScimGroupService,
  type ScimUserService,
} from '../directories/index.js';
import {
  createApiKeyService,
  createBrandingService,
  createClientService,
  createDomainService,
  createOrgService,
  createUserExportService,
  createProfileChanges,
  createUserService,
  type ProfileChanges,
  type ApiKeyService,
  type BrandingService,
  type ClientService,
  type DomainService,
  type OrgService,
  type TxtResolver,
  type UserExportService,
  type UserService,
} from '../orgs/index.js';
import { createOidcConnectionCheck } from '../federation/index.js';
import { createSecretChecker, type SecretBox } from '../platform/crypto/index.js';
import { GRANT_TYPES } from '../tokens/index.js';
import type { SessionService } from '../sessions/index.js';
import type { Revocations } from '../signals/index.js';
import { clientCutoffs, sessionTerminator, userSessionLister } from '../wiring.js';
import type { Doors } from '../platform/rate-limit/index.js';
import {
  createPortalLinkService,
  createPortalSessions,
  type PortalLinkService,
} from '../portal/index.js';
import type { Stores } from './open-stores.js';
import type { Runtime } from './runtime.js';

/** What the admin API manages: orgs and their domains, users, connections; clients, keys. */
export interface AdminServices {
  orgs: OrgService;
  /** Each org's display name, colour and logo on its employees' pages. */
  branding: BrandingService;
  apiKeys: ApiKeyService;
  users: UserService;
  clients: ClientService;
  domains: DomainService;
  connections: ConnectionService;
  webhooks: WebhookService;
  userExport: UserExportService;
  /** SCIM directories and their bearer tokens (the SCIM endpoints' door). */
  directories: DirectoryService;
  /** The SCIM Users endpoint's service: the directory as the source of truth for its users. */
  scimUsers: ScimUserService;
  scimGroups: ScimGroupService;
  /** Users whose profile (roles above all) a write here just changed: caches forget them. */
  profileChanges: ProfileChanges;
  /** The self-serve setup portal's one-time links and the sessions they open. */
  portalLinks: PortalLinkService;
}

export function buildAdminServices(
  rt: Runtime,
  { db, ephemeral }: Stores,
  deps: {
    audit: AuditLog;
    auditQuery: AuditQuery;
    sessions: SessionService;
    /** The durable revocation log: deleting a client cuts off its tokens. */
    revocations: Revocations;
    secretBox: SecretBox;
    doors: Doors;
    /** DNS TXT lookups for domain verification; tests answer locally. */
    resolveTxt?: TxtResolver;
  },
): AdminServices {
  const { config, clock, logger } = rt;
  const { audit, secretBox } = deps;
  const sessions = sessionTerminator(deps.sessions);
  const profileChanges = createProfileChanges();
  // API keys and client secrets get slots of their own: a flood against one kind
  // leaves the other working (operators need the admin API most then).
  const apiKeys = createApiKeyService({
    db,
    audit,
    clock,
    cacheSeconds: config.admin.apiKeyCacheSeconds,
    secretChecker: createSecretChecker(config.secretChecks),
  });
  const directories = createDirectoryService({
    db,
    audit,
    clock,
    rotationOverlapSeconds: config.scim.tokenRotationOverlapSeconds,
    profileChanges,
    logger,
  });
  // Closed before the database (closers run in reverse): sync-status writes end first.
  rt.onClose(() => directories.activity.settled());
  return {
    apiKeys,
    profileChanges,
    orgs: createOrgService({
      db,
      audit,
      clock,
      sessions,
      onDisabled: (orgId) => apiKeys.forgetOrg(orgId),
    }),
    branding: createBrandingService({
      db,
      audit,
      clock,
      maxLogoBytes: config.branding.maxLogoBytes,
    }),
    domains: createDomainService({
      db,
      audit,
      clock,
      resolveTxt: deps.resolveTxt ?? dnsResolveTxt,
      limitVerification: (domainId, orgId) => deps.doors.domainVerification(domainId, orgId),
    }),
    users: createUserService({ db, audit, clock, sessions, profileChanges }),
    clients: createClientService({
      db,
      audit,
      clock,
      cutOff: clientCutoffs(
        deps.revocations,
        clock,
        (config.tokens.maxAccessTokenTtlSeconds + 60) * 1000,
      ),
      allowHttpLoopback: config.outbound.allowHttpLoopback,
      secretChecker: createSecretChecker(config.secretChecks),
      grantTypes: GRANT_TYPES,
    }),
    connections: createConnectionService({
      db,
      audit,
      clock,
      secretBox,
      issuer: config.server.issuer,
      outbound: config.outbound,
      checks: connectionChecker({
        oidc: createOidcConnectionCheck({
          policy: config.outbound,
          redirectUri: (id) => oidcRedirectUri(config.server.issuer, id),
        }),
        now: () => clock.now(),
      }),
    }),
    webhooks: createWebhookService({ db, audit, clock, secretBox, outbound: config.outbound }),
    directories,
    portalLinks: createPortalLinkService({
      db,
      audit,
      clock,
      sessions: createPortalSessions(ephemeral),
      issuer: config.server.issuer,
      lifetimeSeconds: config.portal.linkLifetimeSeconds,
      maxLifetimeSeconds: config.portal.maxLinkLifetimeSeconds,
      allowHttpLoopback: config.outbound.allowHttpLoopback,
    }),
    scimUsers: createScimUserService({ db, audit, clock, sessions, profileChanges }),
    scimGroups: createScimGroupService({ db, audit, clock, profileChanges }),
    userExport: createUserExportService({
      db,
      audit,
      auditEvents: deps.auditQuery,
      sessions: userSessionLister(deps.sessions),
      clock,
    }),
  };
}
