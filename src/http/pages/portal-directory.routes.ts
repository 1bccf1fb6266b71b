import type { Request, RequestHandler, Response, Router } from 'express';
import { contextOf } from '../../platform/request-context.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import { presentDirectory, presentSyncStatus } from '../../directories/index.js';
import { DIRECTORY_GUIDES, type PortalSession } from '../../portal/index.js';
import { pageText, withHere } from '../i18n/page-text.js';
import {
  portalDirectoryPage,
  type IssuedToken,
  type PortalDirectoryRow,
} from '../views/portal-directory-pages.js';
import type { OrgLook } from '../views/layout.js';
import {
  allowOwnScripts,
  csrf,
  notFound,
  principalOf,
  submitOneField,
  withIntent,
  type Gate,
  type PortalDeps,
} from './portal-kit.js';

const withDirectoryIntent = (session: PortalSession) => withIntent(session, 'directory_sync');

/** An id from the path: anything not a UUID is as unknown as another org's (the service scopes). */
const idParam = (value: unknown) => {
  const id = String(value);
  if (!UUID_PATTERN.test(id)) throw notFound();
  return id;
};

/** The org's directories, each with its live tokens and its sync status (the admin API's). */
async function directoryRows(deps: PortalDeps, session: PortalSession) {
  const principal = principalOf(session);
  const now = deps.links.clock.now();
  const page = await deps.directories.list(session.orgId, principal, { limit: 20, afterId: null });
  return Promise.all(
    page.items.map(async (d): Promise<PortalDirectoryRow> => {
      const [tokens, sync] = await Promise.all([
        deps.directories.listTokens(session.orgId, d.id, principal),
        deps.directories.status(session.orgId, d.id, principal),
      ]);
      return {
        id: d.id,
        name: d.name,
        status: d.status,
        baseUrl: `${deps.issuer.replace(/\/$/, '')}${presentDirectory(d).scim_base_path}`,
        // Live ones only: not revoked, and not past a rotation's end.
        tokens: tokens
          .filter((t) => !t.revokedAt && (!t.expiresAt || t.expiresAt > now))
          .map((t) => ({ id: t.id, createdAt: t.createdAt, endsAt: t.expiresAt })),
        sync: presentSyncStatus(sync),
      };
    }),
  );
}

type PageState = { issued?: IssuedToken; createError?: { value: string; message: string } };

/** The step's page: what the language switcher returns to from an answer to a form post. */
const STEP_PAGE = '/portal/directory';

async function sendPage(
  req: Request,
  res: Response,
  status: number,
  deps: PortalDeps,
  found: { token: string; session: PortalSession; look: OrgLook | null },
  state: PageState & { notice?: string | null },
) {
  allowOwnScripts(res);
  // The status is live, and an answer may carry a token: never kept by a cache.
  res.set('Cache-Control', 'no-store');
  res
    .status(status)
    .type('html')
    .send(
      portalDirectoryPage(
        req.method === 'GET' ? pageText(res) : withHere(pageText(res), STEP_PAGE),
        {
          directories: await directoryRows(deps, found.session),
          guides: DIRECTORY_GUIDES,
          csrf: csrf.tokenFor(found.token),
          look: found.look,
          ...state,
        },
      ),
    );
}

/** The Directory sync step: SCIM directories, tokens shown once, revocation and live status. */
export function directoryStep(router: Router, deps: PortalDeps, gate: Gate, form: RequestHandler) {
  router.get('/portal/directory', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    withDirectoryIntent(found.session);
    const notice = req.query.revoked === '1' ? pageText(res).t('portal.directory.revoked') : null;
    await sendPage(req, res, 200, deps, found, { notice });
  });

  router.post('/portal/directory', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDirectoryIntent(found.session);
    const { t } = pageText(res);
    const refused = await submitOneField(
      req,
      { name: 'name' },
      (name) =>
        deps.directories.create(
          session.orgId,
          { name },
          principalOf(session),
          contextOf(req, res.locals),
        ),
      // The name is the form's one field: its own rule (1 to 200 characters), else a refusal of the directory.
      (error) =>
        error.fields?.some((f) => f.field === 'name')
          ? t('portal.directory.error.name')
          : t('portal.directory.error.other'),
    );
    if (refused) {
      const { value, message } = refused;
      await sendPage(req, res, refused.status, deps, found, { createError: { value, message } });
      return;
    }
    res.redirect(303, '/portal/directory');
  });

  router.post('/portal/directory/:directoryId/tokens', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDirectoryIntent(found.session);
    const id = idParam(req.params.directoryId);
    const { secret } = await deps.directories.issueToken(
      session.orgId,
      id,
      principalOf(session),
      contextOf(req, res.locals),
    );
    // Shown on this answer only: a reload of the step's page does not have it.
    await sendPage(req, res, 200, deps, found, { issued: { directoryId: id, secret } });
  });

  router.post('/portal/directory/:directoryId/tokens/:tokenId/revoke', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDirectoryIntent(found.session);
    const id = idParam(req.params.directoryId);
    const tokenId = idParam(req.params.tokenId);
    await deps.directories.revokeToken(
      session.orgId,
      id,
      tokenId,
      principalOf(session),
      contextOf(req, res.locals),
    );
    res.redirect(303, '/portal/directory?revoked=1');
  });
}
