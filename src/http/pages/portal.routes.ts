import { Router, type Request, type RequestHandler, type Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { AppError } from '../../platform/errors.js';
import { errorStyle } from '../../platform/error-style.js';
import { contextOf } from '../../platform/request-context.js';
import type { AdminPrincipal } from '../../platform/admin/index.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import { challengeRecordName, type DomainService, type OrgDomain } from '../../orgs/index.js';
import type { PortalLinkService, PortalSession } from '../../portal/index.js';
import {
  PORTAL_COPY_SCRIPT,
  PORTAL_COPY_SCRIPT_PATH,
  portalDomainsPage,
  portalHomePage,
  portalLinkInvalidPage,
  portalSessionEndedPage,
  portalStartPage,
  type PortalStep,
} from '../views/portal-pages.js';
import { BRANDING_ORG_LOCAL } from '../error-renderer.js';
import type { OrgLook } from '../views/layout.js';
import { lookOf, type PageBrandingLookup } from './login-kit.js';
import { pageForm, postFromElsewhere, sessionCsrf } from './page-form.js';

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
  orgName(orgId: string): Promise<string | null>;
  issuer: string;
  bodyLimitBytes: number;
  /** The org's look for its portal pages (and their error pages). */
  pageBranding?: PageBrandingLookup;
}

const STEPS: Record<PortalSession['intents'][number], PortalStep> = {
  domain_verification: {
    title: 'Verify your domain',
    description: 'publish a DNS TXT record and check it',
    href: '/portal/domains',
  },
  sso: { title: 'Single sign-on', description: 'connect your identity provider', href: null },
  directory_sync: {
    title: 'Directory sync',
    description: 'provision users from your directory with SCIM',
    href: null,
  },
  audit_logs: { title: 'Audit log', description: "your organization's events", href: null },
  sessions: { title: 'Sessions', description: 'who is signed in, and ending sessions', href: null },
};

const csrf = sessionCsrf('portal');
const notFound = () => new AppError('not_found', 'There is nothing here.', { status: 404 });

/** The principal the org's services see for a portal session: its org only, audited as it. */
const principalOf = (session: PortalSession): AdminPrincipal => ({
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
function assertSameOrigin(issuer: string, req: Request) {
  if (postFromElsewhere(req, new URL(issuer).origin)) {
    throw new AppError('csrf_failed', 'This form came from another site.', { status: 403 });
  }
}

/**
 * The portal session this browser's cookie opens: `current` for a page, `currentForm` for
 * a form post (with a CSRF token bound to the session, checked before anything is done).
 * Without a live session, the ended page is sent and they return null.
 */
function sessionGate(deps: PortalDeps, cookie: PortalCookie) {
  /** The session this browser's cookie opens, or null (the ended page is sent). */
  const current = async (req: Request, res: Response) => {
    const token = parseCookies(req.get('cookie') ?? '')[cookie.name];
    const session = token ? await deps.links.session(token) : null;
    if (!token || !session) {
      res.status(401).type('html').send(portalSessionEndedPage());
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

type Gate = ReturnType<typeof sessionGate>;

/**
 * Why a check failed, in the portal's words: the verification's own first sentence (no
 * record, wrong value, or the lookup's error), then what to do here; the reason code last.
 */
const checkFailure = (error: AppError) => {
  const why = error.message.split(' Publish ')[0]!;
  return `${why} Publish the TXT record shown above at your DNS provider, then check again. (${error.code})`;
};

/**
 * The Domain step's page may load this origin's own script files (its copy buttons) and
 * nothing else: the site-wide policy's script-src 'none' becomes 'self' on this one
 * response; every other directive stays as it is.
 */
const allowOwnScripts = (res: Response) => {
  const policy = res.getHeader('content-security-policy');
  if (typeof policy === 'string')
    res.setHeader(
      'Content-Security-Policy',
      policy.replace("script-src 'none'", "script-src 'self'"),
    );
};

/** The Domain step is only for a link that allows it: anything else is not found. */
const withDomainIntent = (session: PortalSession) => {
  if (!session.intents.includes('domain_verification')) throw notFound();
  return session;
};

/** What the Domain step shows besides the org's claims: a notice, a refused add, a failed check. */
type DomainsPageState = Pick<
  Parameters<typeof portalDomainsPage>[0],
  'notice' | 'addError' | 'failed'
>;

/** The Domain step's page with the org's claims as they are now. */
async function sendDomainsPage(
  res: Response,
  status: number,
  deps: PortalDeps,
  session: PortalSession,
  found: { token: string; look: OrgLook | null },
  state: DomainsPageState,
) {
  res
    .status(status)
    .type('html')
    .send(
      portalDomainsPage({
        domains: await domainRows(deps, session),
        csrf: csrf.tokenFor(found.token),
        look: found.look,
        ...state,
      }),
    );
}

const domainRows = async (deps: PortalDeps, session: PortalSession) => {
  const page = await deps.domains.list(session.orgId, principalOf(session), {
    limit: 200,
    afterId: null,
  });
  return page.items.map((d: OrgDomain) => ({
    id: d.id,
    domain: d.domain,
    status: d.status,
    recordName: challengeRecordName(d.domain),
    recordValue: d.status === 'pending' ? d.verificationToken : null,
  }));
};

/** The Domain step: the org's claims, adding one, and checking its TXT record on demand. */
function domainStep(router: Router, deps: PortalDeps, gate: Gate, form: RequestHandler) {
  router.get('/portal/domains', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    const session = withDomainIntent(found.session);
    allowOwnScripts(res);
    const verified = typeof req.query.verified === 'string' ? req.query.verified : null;
    const named = (await domainRows(deps, session)).find(
      (d) => d.id === verified && d.status === 'verified',
    );
    await sendDomainsPage(res, 200, deps, session, found, {
      notice: named ? `${named.domain} is verified.` : null,
    });
  });

  router.post('/portal/domains', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDomainIntent(found.session);
    allowOwnScripts(res);
    const typed = (req.body as Record<string, unknown>).domain;
    const value = typeof typed === 'string' ? typed : '';
    try {
      await deps.domains.add(
        session.orgId,
        { domain: value },
        principalOf(session),
        contextOf(req, res.locals),
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const message = error.fields?.[0] ? `The domain ${error.fields[0].message}.` : error.message;
      await sendDomainsPage(res, error.status, deps, session, found, {
        addError: { value, message },
      });
      return;
    }
    res.redirect(303, '/portal/domains');
  });

  router.post('/portal/domains/:domainId/check', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDomainIntent(found.session);
    allowOwnScripts(res);
    const id = String(req.params.domainId);
    // Another org's claim, or no claim at all: the same 404 (the service scopes by org).
    if (!UUID_PATTERN.test(id)) throw notFound();
    try {
      await deps.domains.verify(
        session.orgId,
        id,
        {},
        principalOf(session),
        contextOf(req, res.locals),
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404) throw error;
      await sendDomainsPage(res, error.status, deps, session, found, {
        failed: { id, detail: checkFailure(error) },
      });
      return;
    }
    res.redirect(303, `/portal/domains?verified=${id}`);
  });
}

export function portalRouter(deps: PortalDeps): Router {
  const router = Router();
  const cookie = portalCookie(deps.issuer);
  const form = pageForm(deps.bodyLimitBytes);
  const gate = sessionGate(deps, cookie);
  router.use('/portal', errorStyle('html'));

  router.get(PORTAL_COPY_SCRIPT_PATH, (_req, res) => {
    res
      .set('Cache-Control', 'public, max-age=3600')
      .type('text/javascript')
      .send(PORTAL_COPY_SCRIPT);
  });

  router.get('/portal/start', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!token || !(await deps.links.usable(token))) {
      res.status(410).type('html').send(portalLinkInvalidPage());
      return;
    }
    // Same-origin only: the button's POST then carries this origin (see assertSameOrigin).
    res.set('Referrer-Policy', 'same-origin').type('html').send(portalStartPage(token));
  });

  router.post('/portal/start', form, async (req, res) => {
    assertSameOrigin(deps.issuer, req);
    const presented = (req.body as Record<string, unknown> | undefined)?.token;
    const token =
      typeof presented === 'string'
        ? await deps.links.exchange(presented, contextOf(req, res.locals))
        : null;
    if (!token) {
      res.status(410).type('html').send(portalLinkInvalidPage());
      return;
    }
    const session = (await deps.links.session(token))!;
    res.cookie(cookie.name, token, {
      ...cookie.options,
      maxAge: Math.max(0, session.expiresAtMs - deps.links.clock.now().getTime()),
    });
    res.redirect(303, '/portal');
  });

  router.get('/portal', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    const { session } = found;
    res.type('html').send(
      portalHomePage({
        orgName: (await deps.orgName(session.orgId)) ?? 'your organization',
        steps: session.intents.map((intent) => STEPS[intent]),
        expiresAt: new Date(session.expiresAtMs),
        returnUrl: session.returnUrl,
        look: found.look,
      }),
    );
  });

  domainStep(router, deps, gate, form);
  return router;
}
