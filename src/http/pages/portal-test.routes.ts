import type { Request, RequestHandler, Router } from 'express';
import { parse as parseCookies } from 'cookie';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/request-context.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import type { PortalSession } from '../../portal/index.js';
import { pageText, withHere } from '../i18n/page-text.js';
import {
  portalActivationRefusedPage,
  portalTestContinuePage,
  portalTestReportPage,
  type ActivationRefusal,
} from '../views/portal-test-pages.js';
import { testReport } from './test-report.js';
import {
  csrf,
  notFound,
  portalCookie,
  principalOf,
  withIntent,
  type Gate,
  type PortalDeps,
} from './portal-kit.js';

const withSsoIntent = (session: PortalSession) => withIntent(session, 'sso');

const idParam = (req: Request, name: string) => {
  const id = String(req.params[name]);
  if (!UUID_PATTERN.test(id)) throw notFound();
  return id;
};

/**
 * Test sign-in and activation, in the portal's SSO step: a test opens the connection's
 * login in test mode (a new tab; its report, never a session, at the end), the report
 * page shows what came back, and Activate works only once a test passed at the
 * connection's current version (the service refuses otherwise).
 */
export function testSignInRoutes(
  router: Router,
  deps: PortalDeps,
  gate: Gate,
  form: RequestHandler,
) {
  router.post('/portal/sso/:connectionId/test', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withSsoIntent(found.session);
    const connectionId = idParam(req, 'connectionId');
    const test = await deps.connectionTests.create(
      session.orgId,
      connectionId,
      principalOf(session),
      contextOf(req, res.locals),
    );
    await deps.beginTestLogin(req, res, {
      connectionId,
      returnTo: `/portal/tests/${test.id}`,
      loginHint: null,
      test: { id: test.id },
      // A form post may not be redirected to another origin (CSP form-action): a hand-off page.
      viaForm: true,
    });
  });

  router.get('/portal/tests/:testId', async (req, res) => {
    const testId = idParam(req, 'testId');
    if (arrivedFromIdp(req, portalCookie(deps.issuer).name)) {
      res.type('html').send(portalTestContinuePage(pageText(res), testId));
      return;
    }
    const found = await gate.current(req, res);
    if (!found) return;
    const session = withSsoIntent(found.session);
    const report = await testReport(deps, session.orgId, testId, principalOf(session));
    res.type('html').send(
      portalTestReportPage(pageText(res), {
        ...report,
        csrf: csrf.tokenFor(found.token),
        look: found.look,
      }),
    );
  });

  router.post('/portal/sso/:connectionId/activate', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withSsoIntent(found.session);
    const connectionId = idParam(req, 'connectionId');
    const principal = principalOf(session);
    try {
      await deps.connectionTests.activate(
        session.orgId,
        connectionId,
        principal,
        contextOf(req, res.locals),
      );
    } catch (error) {
      // Untested, changed since its test, or a live check failing now: said on the page.
      if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 422))
        throw error;
      const connection = await deps.connections.get(session.orgId, connectionId, principal);
      const latest = await deps.connectionTests.latest(session.orgId, connectionId);
      // A POST's page cannot be shown again at its URL: the switcher returns to the connection.
      const text = withHere(pageText(res), `/portal/sso/${connectionId}`);
      res
        .status(error.status)
        .type('html')
        .send(
          portalActivationRefusedPage(text, {
            connection,
            refusal: refusalOf(error, latest?.outcome === 'passed'),
            code: error.code,
            look: found.look,
          }),
        );
      return;
    }
    res.redirect(303, `/portal/sso/${connectionId}`);
  });
}

/**
 * Which refusal an activation's error is, for the page to say in its language: untested
 * (or changed since its passed test), a live check failing now, or another conflict.
 */
const refusalOf = (error: AppError, lastTestPassed: boolean): ActivationRefusal => {
  if (error.code === 'connection_untested') return lastTestPassed ? 'changed' : 'untested';
  if (error.code === 'connection_check_failed') return 'checkFailed';
  return 'other';
};

/**
 * A navigation that another site started (the IdP's redirect back, through the login's
 * callback) without the portal cookie, which SameSite=Strict withholds there.
 */
const arrivedFromIdp = (req: Request, cookieName: string) => {
  const site = req.get('sec-fetch-site');
  return (
    (site === 'cross-site' || site === 'same-site') &&
    !parseCookies(req.get('cookie') ?? '')[cookieName]
  );
};
