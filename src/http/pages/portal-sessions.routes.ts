import type { Request, RequestHandler, Response, Router } from 'express';
import { actorOf } from '../../platform/admin/index.js';
import { AppError } from '../../platform/errors.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import { contextOf } from '../../platform/request-context.js';
import type { User } from '../../orgs/index.js';
import type { PortalSession } from '../../portal/index.js';
import { isSessionOf, pageSessions, type StoredSession } from '../../sessions/index.js';
import { pageText, type PageText } from '../i18n/page-text.js';
import { describeDevice } from '../views/pages.js';
import { portalSessionsPage, type PortalSessionRow } from '../views/portal-sessions-pages.js';
import {
  csrf,
  notFound,
  principalOf,
  withIntent,
  type Gate,
  type PortalDeps,
} from './portal-kit.js';

/** Users read per page of the email filter's matches. */
const USER_PAGE = 200;

const withSessionsIntent = (session: PortalSession) => withIntent(session, 'sessions');
/** The portal ends sessions as an admin: the reason, where the request came from, and the portal session as actor. */
const byPortal = (req: Request, res: Response, session: PortalSession) =>
  ['admin', contextOf(req, res.locals), actorOf(principalOf(session))] as const;

/** The org's users whose email starts with `prefix` (the users API's own filter, all its pages). */
async function usersByEmail(deps: PortalDeps, session: PortalSession, prefix: string) {
  const found: User[] = [];
  let afterId: string | null = null;
  for (;;) {
    const page = await deps.users.list(
      session.orgId,
      { email_prefix: prefix },
      principalOf(session),
      {
        limit: USER_PAGE,
        afterId,
      },
    );
    found.push(...page.items);
    if (!page.nextCursor) return found;
    afterId = page.items[page.items.length - 1]!.id;
  }
}

/** The users the sessions on a page belong to (one read each; a user gone since is left out). */
async function usersOf(deps: PortalDeps, session: PortalSession, sessions: StoredSession[]) {
  const ids = [...new Set(sessions.map((s) => s.userId))];
  const users = await Promise.all(
    ids.map((id) =>
      deps.users.get(session.orgId, id, principalOf(session)).catch((error: unknown) => {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      }),
    ),
  );
  return users.filter((u): u is User => u !== null);
}

/** The filter's text: the users API's `email_prefix` (an exact address is its own prefix). */
const emailFilterOf = (req: Request) => {
  const typed = req.query.email;
  return typeof typed === 'string' ? typed.trim() : '';
};

const noticeOf = (req: Request, text: PageText) => {
  const ended = typeof req.query.ended === 'string' ? req.query.ended : '';
  if (!/^\d{1,6}$/.test(ended)) return null;
  return text.t('portal.sessions.ended', { count: Number(ended) });
};

/** The page of the org's live sessions, filtered and paged as the query asks. */
async function showSessions(deps: PortalDeps, gate: Gate, req: Request, res: Response) {
  const found = await gate.current(req, res);
  if (!found) return;
  const session = withSessionsIntent(found.session);
  const text = pageText(res);
  const email = emailFilterOf(req);
  let all = await deps.sessions.listForOrg(session.orgId);
  let matched: User[] | null = null;
  let filterError: string | null = null;
  if (email) {
    try {
      matched = await usersByEmail(deps, session, email);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      // The users API's one rule for the prefix: at most 320 characters.
      filterError = text.t('portal.sessions.error.email');
      matched = [];
    }
    const ids = new Set(matched.map((u) => u.id));
    all = all.filter((s) => ids.has(s.userId));
  }
  const page = pageSessions(all, { limit: req.query.limit, cursor: req.query.cursor });
  const users = new Map(
    (matched ?? (await usersOf(deps, session, page.items))).map((u) => [u.id, u]),
  );
  const connections = await deps.connections.list(session.orgId, principalOf(session), {
    limit: 200,
    afterId: null,
  });
  const names = new Map(connections.items.map((c) => [c.id, c.name]));
  const rows: PortalSessionRow[] = page.items.map((s) => ({
    id: s.id,
    userId: s.userId,
    email: users.get(s.userId)?.email ?? null,
    name: users.get(s.userId)?.name ?? null,
    connection: (s.connectionId && names.get(s.connectionId)) || null,
    device: describeDevice(text, s.userAgent),
    ip: s.ip,
    createdAt: new Date(s.createdAtMs),
    lastSeenAt: new Date(s.lastSeenAtMs),
  }));
  const next = new URLSearchParams();
  if (page.nextCursor) {
    if (email) next.set('email', email);
    if (typeof req.query.limit === 'string') next.set('limit', req.query.limit);
    next.set('cursor', page.nextCursor);
  }
  res
    .status(filterError ? 400 : 200)
    .type('html')
    .send(
      portalSessionsPage(text, {
        sessions: rows,
        email,
        filterError,
        nextHref: page.nextCursor ? `/portal/sessions?${next.toString()}` : null,
        notice: noticeOf(req, text),
        csrf: csrf.tokenFor(found.token),
        look: found.look,
      }),
    );
}

/**
 * The Sessions step: the org's live sessions, ending one or all of a user's, through the
 * session service the admin API's DELETEs call (every process, validator and back-channel
 * logout hears of it), audited with the portal session as actor.
 */
export function sessionsStep(router: Router, deps: PortalDeps, gate: Gate, form: RequestHandler) {
  router.get('/portal/sessions', (req, res) => showSessions(deps, gate, req, res));

  router.post('/portal/sessions/:sessionId/end', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withSessionsIntent(found.session);
    const sessionId = String(req.params.sessionId);
    // A session id names its org: another org's session is simply not found.
    if (!isSessionOf(sessionId, session.orgId)) throw notFound();
    const ended = await deps.sessions.end(session.orgId, sessionId, ...byPortal(req, res, session));
    // Ended before (a double submit): done; never a session at all: not found.
    if (!ended && !(await deps.sessions.wasEnded(session.orgId, sessionId))) throw notFound();
    res.redirect(303, `/portal/sessions?ended=${ended ? 1 : 0}`);
  });

  router.post('/portal/users/:userId/sessions/end', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withSessionsIntent(found.session);
    const userId = String(req.params.userId);
    if (!UUID_PATTERN.test(userId)) throw notFound();
    // The org's own user, or 404 (the service scopes by org).
    await deps.users.get(session.orgId, userId, principalOf(session)).catch((error: unknown) => {
      throw error instanceof AppError && error.status === 404 ? notFound() : error;
    });
    const ended = await deps.sessions.endAllForUser(
      session.orgId,
      userId,
      ...byPortal(req, res, session),
    );
    res.redirect(303, `/portal/sessions?ended=${ended.length}`);
  });
}
