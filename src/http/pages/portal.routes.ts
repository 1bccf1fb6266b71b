import { Router } from 'express';
import { errorStyle } from '../../platform/error-style.js';
import { contextOf } from '../../platform/request-context.js';
import type { PortalSession } from '../../portal/index.js';
import {
  PORTAL_COPY_SCRIPT,
  PORTAL_COPY_SCRIPT_PATH,
  portalHomePage,
  portalLinkInvalidPage,
  portalStartPage,
  type PortalStep,
} from '../views/portal-pages.js';
import { pageForm } from './page-form.js';
import { directoryStep } from './portal-directory.routes.js';
import { domainStep } from './portal-domain.routes.js';
import { testSignInRoutes } from './portal-test.routes.js';
import { ssoStep } from './portal-sso.routes.js';
import { auditStep } from './portal-audit.routes.js';
import { sessionsStep } from './portal-sessions.routes.js';
import { assertSameOrigin, portalCookie, sessionGate, type PortalDeps } from './portal-kit.js';

export { portalCookie, type PortalCookie, type PortalDeps } from './portal-kit.js';

const STEPS: Record<PortalSession['intents'][number], PortalStep> = {
  domain_verification: {
    title: 'Verify your domain',
    description: 'publish a DNS TXT record and check it',
    href: '/portal/domains',
  },
  sso: {
    title: 'Single sign-on',
    description: 'connect your identity provider',
    href: '/portal/sso',
  },
  directory_sync: {
    title: 'Directory sync',
    description: 'provision users from your directory with SCIM',
    href: '/portal/directory',
  },
  audit_logs: {
    title: 'Audit log',
    description: "your organization's events",
    href: '/portal/audit',
  },
  sessions: {
    title: 'Sessions',
    description: 'who is signed in, and ending sessions',
    href: '/portal/sessions',
  },
};

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
  testSignInRoutes(router, deps, gate, form);
  ssoStep(router, deps, gate, form);
  auditStep(router, deps, gate);
  directoryStep(router, deps, gate, form);
  sessionsStep(router, deps, gate, form);
  return router;
}
