import { Router, type Request, type Response } from 'express';
import { actorOf, type AdminPrincipal } from '../../platform/admin/index.js';
import { AppError } from '../../platform/errors.js';
import { errorStyle } from '../../platform/error-style.js';
import { pageRequest } from '../../platform/pagination.js';
import { contextOf } from '../../platform/request-context.js';
import type { ConsoleAdmin } from '../../portal/index.js';
import { orgOfSessionId } from '../../sessions/index.js';
import { consoleHomePage, consoleLinkCreatedPage } from '../views/console-pages.js';
import { consolePlatformPage } from '../views/console-platform-page.js';
import { pageForm } from './page-form.js';
import { csrf, signedIn, signedInForm, uuidOf, viewerOf, notFound } from './console-gate.js';
import { consoleTestRoutes } from './console-tests.js';
import { sendOrgPage, type OrgPageState } from './console-org.js';
import type { ConsoleDeps } from './console-deps.js';

export type { ConsoleDeps } from './console-deps.js';

async function showHome(deps: ConsoleDeps, req: Request, res: Response) {
  const found = await signedIn(deps, req, res);
  if (!found) return;
  const { principal } = found.admin;
  const orgs = await deps.orgs.list(principal, pageRequest({ cursor: req.query.cursor }));
  const clients = await deps.clients.list(principal, { limit: '100' });
  res.type('html').send(
    consoleHomePage({
      viewer: viewerOf(found.admin),
      orgs: orgs.items,
      nextCursor: orgs.nextCursor,
      clients: clients.items,
      moreClients: clients.nextCursor !== null,
    }),
  );
}

/** The form's fields as the portal link service takes them (it validates them). */
function linkBody(body: Record<string, unknown>) {
  const raw = body.intents;
  const intents = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  const lifetime = Number(body.lifetime_seconds);
  return {
    intents,
    ...(Number.isFinite(lifetime) && body.lifetime_seconds !== ''
      ? { lifetime_seconds: lifetime }
      : {}),
  };
}

/** A refused setup link, in the form's words: each field and its reason. */
const refusalText = (error: AppError) =>
  error.fields?.length
    ? error.fields
        .map((f) => `${f.field === 'intents' ? 'What the link allows' : f.field}: ${f.message}.`)
        .join(' ')
    : error.message;

async function createLink(deps: ConsoleDeps, req: Request, res: Response) {
  const found = await signedInForm(deps, req, res);
  if (!found) return;
  const { principal } = found.admin;
  const orgId = uuidOf(req.params.orgId);
  const org = await deps.orgs.get(orgId, principal);
  const body = linkBody(req.body as Record<string, unknown>);
  let created: Awaited<ReturnType<ConsoleDeps['portalLinks']['create']>>;
  try {
    created = await deps.portalLinks.create(orgId, body, principal, contextOf(req, res.locals));
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    const linkForm = {
      intents: body.intents,
      lifetimeSeconds: body.lifetime_seconds ?? null,
      error: refusalText(error),
    };
    await sendOrgPage(deps, res, 400, pageState(found, orgId, { linkForm }));
    return;
  }
  res.type('html').send(
    consoleLinkCreatedPage({
      viewer: viewerOf(found.admin),
      org,
      url: created.url,
      linkId: created.link.id,
      intents: created.link.intents,
      expiresAt: created.link.expiresAt,
    }),
  );
}

const pageState = (
  found: { token: string; admin: ConsoleAdmin },
  orgId: string,
  extra: Partial<OrgPageState> = {},
): OrgPageState => ({
  orgId,
  principal: found.admin.principal,
  viewer: viewerOf(found.admin),
  csrf: csrf.tokenFor(found.token),
  notice: null,
  linkForm: null,
  ...extra,
});

const NOTICES: Record<string, string> = {
  connection_disabled: 'The connection is disabled: nobody signs in through it any more.',
  session_ended: 'The session is ended.',
  connection_activated: 'The connection is active: its users can sign in through it.',
};

/** The org's actions: disable a connection, end a session. */
function orgActions(router: Router, deps: ConsoleDeps, form: ReturnType<typeof pageForm>) {
  router.post('/console/orgs/:orgId/connections/:connectionId/disable', form, async (req, res) => {
    const found = await signedInForm(deps, req, res);
    if (!found) return;
    const orgId = uuidOf(req.params.orgId);
    const connectionId = uuidOf(req.params.connectionId);
    await deps.connections.update(
      orgId,
      connectionId,
      { status: 'disabled' },
      null,
      found.admin.principal,
      contextOf(req, res.locals),
    );
    res.redirect(303, `/console/orgs/${orgId}?done=connection_disabled`);
  });

  router.post('/console/orgs/:orgId/sessions/:sessionId/end', form, async (req, res) => {
    const found = await signedInForm(deps, req, res);
    if (!found) return;
    const orgId = uuidOf(req.params.orgId);
    const sessionId = String(req.params.sessionId);
    // A session id names its org: another org's session is simply not found.
    if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId) || orgOfSessionId(sessionId) !== orgId)
      throw notFound();
    await deps.orgs.get(orgId, found.admin.principal);
    const principal: AdminPrincipal = found.admin.principal;
    const ended = await deps.sessions.end(
      orgId,
      sessionId,
      'admin',
      contextOf(req, res.locals),
      actorOf(principal),
    );
    if (!ended && !(await deps.sessions.wasEnded(orgId, sessionId))) throw notFound();
    res.redirect(303, `/console/orgs/${orgId}?done=session_ended`);
  });
}

export function consoleRouter(deps: ConsoleDeps): Router {
  const router = Router();
  const form = pageForm(deps.bodyLimitBytes);
  router.use('/console', errorStyle('html'));

  router.get('/console', (req, res) => showHome(deps, req, res));

  router.get('/console/platform', async (req, res) => {
    const found = await signedIn(deps, req, res);
    if (!found) return;
    const keys = await deps.apiKeys.list(null, found.admin.principal, {
      limit: 200,
      afterId: null,
    });
    // The report reads the shared SLO store: without it, the page says so and still shows the keys.
    const slo = await deps.sloReport().catch(() => null);
    res.type('html').send(
      consolePlatformPage({
        viewer: viewerOf(found.admin),
        keys: keys.items,
        moreKeys: keys.nextCursor !== null,
        slo,
      }),
    );
  });

  router.get('/console/orgs/:orgId', async (req, res) => {
    const found = await signedIn(deps, req, res);
    if (!found) return;
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    const state = pageState(found, uuidOf(req.params.orgId), { notice: NOTICES[done] ?? null });
    await sendOrgPage(deps, res, 200, state);
  });

  router.post('/console/orgs/:orgId/portal-links', form, (req, res) => createLink(deps, req, res));
  orgActions(router, deps, form);
  consoleTestRoutes(router, deps, form);
  return router;
}
