import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { AppError } from '../../platform/errors.js';
import type { AdminPrincipal } from '../../platform/admin/index.js';
import type { AuditQuery } from '../../audit/index.js';
import type { ConnectionService } from '../../connections/index.js';
import type { ConnectionTestService } from '../../federation/index.js';
import type { DirectoryService } from '../../directories/index.js';
import type { DomainService, UserService } from '../../orgs/index.js';
import type { SessionService } from '../../sessions/index.js';
import type {
  ConnectionReservations,
  PortalLinkService,
  PortalSession,
} from '../../portal/index.js';
import { portalSessionEndedPage } from '../views/portal-pages.js';
import { BRANDING_ORG_LOCAL } from '../error-renderer.js';
import { pageText, withHere, type PageText } from '../i18n/page-text.js';
import { lookOf, type BeginRequest, type PageBrandingLookup } from './login-kit.js';
import { postFromElsewhere, sessionCsrf } from './page-form.js';

/*
 * What every step of the setup portal shares (portal.routes.ts mounts the steps): the
 * portal cookie, the session gate with its CSRF check, the principal the org's services
 * see, and the page policy tweaks.
 */

export interface PortalCookie {
  name: string;
  options: { httpOnly: true; sameSite: 'strict'; path: '/'; secure: boolean };
}

/**
 * The portal session cookie: HttpOnly, SameSite=Strict (the portal is never entered from
 * another site with it: the link's own page POSTs from this origin), Path=/; on an https
 * issuer Secure with the __Host- prefix. Plain http (a loopback development issuer) can
 * carry neither, so there the name drops the prefix.
 */
export function portalCookie(issuer: string): PortalCookie {
  const secure = issuer.startsWith('https:');
  return {
    name: secure ? '__Host-latchkey-portal' : 'latchkey-portal',
    options: { httpOnly: true, sameSite: 'strict', path: '/', secure },
  };
}

export interface PortalDeps {
  links: PortalLinkService;
  domains: DomainService;
  /** The SSO step's connections, through the admin API's own service (it audits). */
  connections: ConnectionService;
  /** The Directory sync step's SCIM directories and tokens, through the admin API's service. */
  directories: DirectoryService;
  /** The ids of connections whose values were shown before they exist. */
  reservations: ConnectionReservations;
  /** Test sign-ins and activation (portal-test.routes.ts). */
  connectionTests: ConnectionTestService;
  /** Begins a login in this browser (the login pages' own begin: its transaction cookie). */
  beginTestLogin(req: Request, res: Response, start: BeginRequest): Promise<void>;
  /** The Audit log step's events and exports, through the admin API's own query (it audits exports). */
  auditQuery: AuditQuery;
  /** The Sessions step's live sessions and ending them, as the admin API's session routes. */
  sessions: Pick<SessionService, 'listForOrg' | 'end' | 'wasEnded' | 'endAllForUser'>;
  /** The Sessions step's user emails and names (and its email filter), through the users API's service. */
  users: Pick<UserService, 'list' | 'get'>;
  orgName(orgId: string): Promise<string | null>;
  issuer: string;
  bodyLimitBytes: number;
  /** The org's look for its portal pages (and their error pages). */
  pageBranding?: PageBrandingLookup;
}

export const csrf = sessionCsrf('portal');

/**
 * A portal page's words. A page answering a GET shows again at its own URL; one answering
 * a form post cannot, and its language switcher returns to `back` (a portal page of this
 * origin: the step's own, or the portal's home) rather than to the sign-in page.
 */
export const portalText = (req: Request, res: Response, back = '/portal'): PageText => {
  const text = pageText(res);
  return req.method === 'GET' ? text : withHere(text, back);
};
/** A step is only for a link whose intents allow it: anything else is not found. */
export const withIntent = (session: PortalSession, intent: PortalSession['intents'][number]) => {
  if (!session.intents.includes(intent)) throw notFound();
  return session;
};

export const notFound = () => new AppError('not_found', 'There is nothing here.', { status: 404 });

/** The principal the org's services see for a portal session: its org only, audited as it. */
export const principalOf = (session: PortalSession): AdminPrincipal => ({
  scope: 'org:admin',
  keyId: session.linkId,
  orgId: session.orgId,
  via: 'portal_session',
});

/**
 * The link's button spends it only when pressed on this origin's own page, as the login
 * forms' (page-form.ts postFromElsewhere): another site must not drop a session of its own
 * org into the admin's browser.
 */
export function assertSameOrigin(issuer: string, req: Request) {
  if (postFromElsewhere(req, new URL(issuer).origin)) {
    throw new AppError('csrf_failed', 'This form came from another site.', { status: 403 });
  }
}

/**
 * The portal session this browser's cookie opens: `current` for a page, `currentForm` for
 * a form post (with a CSRF token bound to the session, checked before anything is done).
 * Without a live session, the ended page is sent and they return null.
 */
export function sessionGate(deps: PortalDeps, cookie: PortalCookie) {
  /** The session this browser's cookie opens, or null (the ended page is sent). */
  const current = async (req: Request, res: Response) => {
    const token = parseCookies(req.get('cookie') ?? '')[cookie.name];
    const session = token ? await deps.links.session(token) : null;
    if (!token || !session) {
      res
        .status(401)
        .type('html')
        .send(portalSessionEndedPage(portalText(req, res)));
      return null;
    }
    // Its error pages, too, have the org's look.
    res.locals[BRANDING_ORG_LOCAL] = session.orgId;
    return { token, session, look: await lookOf(deps.pageBranding, session.orgId) };
  };

  /** A form post: the session, and a CSRF token bound to it, before anything is done. */
  const currentForm = async (req: Request, res: Response) => {
    const found = await current(req, res);
    if (!found) return null;
    csrf.assertSent(req, found.token);
    return found;
  };

  return { current, currentForm };
}

export type Gate = ReturnType<typeof sessionGate>;

/**
 * The Domain, SSO and Directory sync steps' pages may load this origin's own script files (its copy buttons) and
 * nothing else: the site-wide policy's script-src 'none' becomes 'self' on this one
 * response; every other directive stays as it is.
 */
export const allowOwnScripts = (res: Response) => {
  const policy = res.getHeader('content-security-policy');
  if (typeof policy === 'string')
    res.setHeader(
      'Content-Security-Policy',
      policy.replace("script-src 'none'", "script-src 'self'"),
    );
};

/**
 * A one-field form of a step (a domain, a directory's name): the field's value handed to
 * the service; its refusal (a 4xx AppError) worded by the page in its own language
 * (`word`: the service's field messages are the admin API's English), with the value
 * typed, for the page to show beside the field. Null when the service took it; anything
 * else is thrown on.
 */
export async function submitOneField(
  req: Request,
  field: { name: string },
  act: (value: string) => Promise<unknown>,
  word: (error: AppError) => string,
): Promise<{ status: number; value: string; message: string } | null> {
  const typed = (req.body as Record<string, unknown>)[field.name];
  const value = typeof typed === 'string' ? typed : '';
  try {
    await act(value);
    return null;
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return { status: error.status, value, message: word(error) };
  }
}
