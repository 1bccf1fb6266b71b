import type { RequestHandler, Router } from 'express';
import { contextOf } from '../../platform/request-context.js';
import { withHere } from '../i18n/page-text.js';
import { translatorFor } from '../i18n/translator.js';
import { consoleLayout } from '../views/console-pages.js';
import { testReportBody } from '../views/portal-test-pages.js';
import { csrf, signedIn, signedInForm, uuidOf, viewerOf } from './console-gate.js';
import type { ConsoleDeps } from './console-deps.js';
import { testReport } from './test-report.js';

/** The console is English: the report's words (shared with the portal's) in English. */
const ENGLISH = withHere(translatorFor('en'));

/**
 * The console's test sign-in of an org's connection, the same as the portal's: the login
 * in test mode in a new tab (its report, never a session: the admin's own console session
 * is untouched), the report, and Activate once a test passed at the connection's current
 * version. Audited with the signed-in platform admin as actor.
 */
export function consoleTestRoutes(router: Router, deps: ConsoleDeps, form: RequestHandler) {
  router.post('/console/orgs/:orgId/connections/:connectionId/test', form, async (req, res) => {
    const found = await signedInForm(deps, req, res);
    if (!found) return;
    const orgId = uuidOf(req.params.orgId);
    const connectionId = uuidOf(req.params.connectionId);
    const test = await deps.connectionTests.create(
      orgId,
      connectionId,
      found.admin.principal,
      contextOf(req, res.locals),
    );
    await deps.beginTestLogin(req, res, {
      connectionId,
      returnTo: `/console/orgs/${orgId}/tests/${test.id}`,
      loginHint: null,
      test: { id: test.id },
      // A form post may not be redirected to another origin (CSP form-action): a hand-off page.
      viaForm: true,
    });
  });

  router.get('/console/orgs/:orgId/tests/:testId', async (req, res) => {
    const found = await signedIn(deps, req, res);
    if (!found) return;
    const orgId = uuidOf(req.params.orgId);
    const report = await testReport(deps, orgId, uuidOf(req.params.testId), found.admin.principal);
    const base = `/console/orgs/${orgId}/connections/${report.connection.id}`;
    res.type('html').send(
      consoleLayout({
        title: 'Test sign-in',
        viewer: viewerOf(found.admin),
        body: testReportBody(ENGLISH, {
          ...report,
          csrf: csrf.tokenFor(found.token),
          paths: {
            back: `/console/orgs/${orgId}`,
            test: `${base}/test`,
            activate: `${base}/activate`,
          },
        }),
      }),
    );
  });

  router.post('/console/orgs/:orgId/connections/:connectionId/activate', form, async (req, res) => {
    const found = await signedInForm(deps, req, res);
    if (!found) return;
    const orgId = uuidOf(req.params.orgId);
    // Untested, changed since, or a live check failing now: the error page says which.
    await deps.connectionTests.activate(
      orgId,
      uuidOf(req.params.connectionId),
      found.admin.principal,
      contextOf(req, res.locals),
    );
    res.redirect(303, `/console/orgs/${orgId}?done=connection_activated`);
  });
}
