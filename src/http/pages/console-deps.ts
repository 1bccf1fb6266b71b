import type { AuditQuery, WebhookService } from '../../audit/index.js';
import type { Request, Response } from 'express';
import type { ConnectionService } from '../../connections/index.js';
import type { ConnectionTestService } from '../../federation/index.js';
import type { BeginRequest } from './login-kit.js';
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
  connections: Pick<ConnectionService, 'list' | 'update' | 'get' | 'issuer'>;
  /** Test sign-ins of an org's connections and activation once one passed (console-tests.ts). */
  connectionTests: Pick<ConnectionTestService, 'create' | 'get' | 'latest' | 'activate'>;
  /** Begins a login in this browser as the login pages do (a test sign-in's begin). */
  beginTestLogin(req: Request, res: Response, start: BeginRequest): Promise<void>;
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
