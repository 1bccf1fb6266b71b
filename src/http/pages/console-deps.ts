import type { AuditQuery, WebhookService } from '../../audit/index.js';
import type { ConnectionService } from '../../connections/index.js';
import type { SloReport } from '../../metrics/index.js';
import type {
  ApiKeyService,
  ClientService,
  DomainService,
  OrgService,
  UserService,
} from '../../orgs/index.js';
import type { ConsoleAccess, PortalLinkService } from '../../portal/index.js';
import type { SessionService } from '../../sessions/index.js';

/**
 * The platform admin console (issue 18): pages over the same services the admin API calls,
 * with a principal that is the signed-in platform admin (audited as that user). The door is
 * Latchkey's own SSO: the browser's session cookie, checked on every request.
 */
export interface ConsoleDeps {
  issuer: string;
  /** The Latchkey session cookie's name (sessions/session-cookie.ts). */
  cookieName: string;
  bodyLimitBytes: number;
  access(token: string | undefined): Promise<ConsoleAccess>;
  orgs: Pick<OrgService, 'list' | 'get'>;
  domains: Pick<DomainService, 'list'>;
  connections: Pick<ConnectionService, 'list' | 'update'>;
  users: Pick<UserService, 'list'>;
  clients: Pick<ClientService, 'list'>;
  portalLinks: Pick<PortalLinkService, 'create'>;
  auditQuery: Pick<AuditQuery, 'list'>;
  sessions: Pick<SessionService, 'listForOrg' | 'end' | 'wasEnded'>;
  apiKeys: Pick<ApiKeyService, 'list'>;
  webhooks: Pick<WebhookService, 'list'>;
  /** The SLOs as GET /slo on the management listener reports them. */
  sloReport(): Promise<SloReport>;
  /** config portal.linkLifetimeSeconds and portal.maxLinkLifetimeSeconds. */
  linkLifetimes: { defaultSeconds: number; maxSeconds: number };
}
