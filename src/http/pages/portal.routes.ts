import { Router, type Response } from 'express';
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
import {
  assertSameOrigin,
  portalCookie,
  portalText,
  sessionGate,
  type PortalDeps,
} from './portal-kit.js';
import { pageText, withHere, type PageText } from '../i18n/page-text.js';

export { portalCookie, type PortalCookie, type PortalDeps } from './portal-kit.js';

/** Each step as the home page lists it, in the page's language. */
const steps = (t: PageText['t']): Record<PortalSession['intents'][number], PortalStep> => ({
  domain_verification: {
    title: t('portal.domain.heading'),
    description: t('portal.step.domain'),
    href: '/portal/domains',
  },
  sso: {
    title: t('portal.sso.heading'),
    description: t('portal.step.sso'),
    href: '/portal/sso',
  },
  directory_sync: {
    title: t('portal.step.directoryTitle'),
    description: t('portal.step.directory'),
    href: '/portal/directory',
  },
  audit_logs: {
    title: t('portal.step.auditTitle'),
    description: t('portal.step.audit'),
    href: '/portal/audit',
  },
  sessions: {
    title: t('portal.step.sessionsTitle'),
    description: t('portal.step.sessions'),
    href: '/portal/sessions',
  },
});

/**
 * The refused link's page is the same whatever the token (used, unknown, none), and does
 * not repeat it: its switcher returns to /portal/start without one, the same page again.
 */
const invalidText = (res: Response) => withHere(pageText(res), '/portal/start');

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
      res
        .status(410)
        .type('html')
        .send(portalLinkInvalidPage(invalidText(res)));
      return;
    }
    // Same-origin only: the button's POST then carries this origin (see assertSameOrigin).
    res
      .set('Referrer-Policy', 'same-origin')
      .type('html')
      .send(portalStartPage(portalText(req, res), token));
  });

  router.post('/portal/start', form, async (req, res) => {
    assertSameOrigin(deps.issuer, req);
    const presented = (req.body as Record<string, unknown> | undefined)?.token;
    const token =
      typeof presented === 'string'
        ? await deps.links.exchange(presented, contextOf(req, res.locals))
        : null;
    if (!token) {
      res
        .status(410)
        .type('html')
        .send(portalLinkInvalidPage(invalidText(res)));
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
    const text = portalText(req, res);
    const listed = steps(text.t);
    res.type('html').send(
      portalHomePage(text, {
        orgName: await deps.orgName(session.orgId),
        steps: session.intents.map((intent) => listed[intent]),
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
