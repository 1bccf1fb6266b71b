import { Router } from 'express';
import {
  actorOf,
  assertOrgAccess,
  contextOf,
  notFound,
  principalOf,
  rfc3339,
  sendNoContent,
  sendPage,
  uuidParam,
  type AdminParams,
  type AdminPrincipal,
  type AdminRequest,
  type AdminResponse,
} from '../platform/admin/index.js';
import { pageRequest, toPage } from '../platform/pagination.js';
import type { StoredSession } from './session.js';
import type { SessionService } from './session-service.js';
import { orgOfSessionId } from './session-token.js';

/** Session ids are 43 base64url characters (org UUID + 128 random bits). */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Whether `sessionId` is a session id of `orgId` (a session id names its org). */
export const isSessionOf = (sessionId: string, orgId: string) =>
  SESSION_ID.test(sessionId) && orgOfSessionId(sessionId) === orgId;

/** A page of sessions as the admin API pages them: by creation time, then id; the cursor is the last id seen. */
export function pageSessions(list: StoredSession[], query: { limit?: unknown; cursor?: unknown }) {
  const request = pageRequest(query, SESSION_ID);
  const sorted = [...list].sort(
    (a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id),
  );
  const start = request.afterId ? sorted.findIndex((s) => s.id === request.afterId) + 1 : 0;
  return toPage(sorted.slice(start, start + request.limit + 1), request, (s) => s.id);
}

export const presentSession = (s: StoredSession) => ({
  id: s.id,
  org_id: s.orgId,
  user_id: s.userId,
  connection_id: s.connectionId,
  amr: s.amr,
  acr: s.acr,
  auth_time: rfc3339(new Date(s.authTime * 1000)),
  created_at: rfc3339(new Date(s.createdAtMs)),
  last_seen_at: rfc3339(new Date(s.lastSeenAtMs)),
  idle_expires_at: rfc3339(new Date(s.idleExpiresAtMs)),
  absolute_expires_at: rfc3339(new Date(s.absoluteExpiresAtMs)),
  ip: s.ip,
  user_agent: s.userAgent,
});

/**
 * Admin session management: list the sessions of an org or one of its users, end one,
 * all of a user's, or all of an org's. Every end reaches every process and validator
 * (revocation channel) and every client's back-channel logout.
 */
export function sessionsRouter(sessions: SessionService): Router {
  const router = Router();

  /** The path's org, checked, and the caller, who must see it (else a 404 naming `what`). */
  const visibleOrg = (req: AdminRequest, res: AdminResponse, what = 'org') => {
    const orgId = uuidParam(req.params.orgId, 'org');
    const principal = principalOf(res.locals);
    assertOrgAccess(principal, orgId, what);
    return [orgId, principal] as const;
  };
  /** An admin ends sessions: the reason, where the request came from, and by whom. */
  const byAdmin = (req: AdminRequest, res: AdminResponse, principal: AdminPrincipal) =>
    ['admin', contextOf(req, res.locals), actorOf(principal)] as const;
  const sessionIdOf = (params: AdminParams, orgId: string) => {
    const sessionId = String(params.sessionId);
    // A session id names its org: another org's session is simply not found.
    if (!isSessionOf(sessionId, orgId)) throw notFound('session');
    return sessionId;
  };

  router.get('/orgs/:orgId/sessions', async (req, res) => {
    const [orgId] = visibleOrg(req, res);
    sendPage(res, pageSessions(await sessions.listForOrg(orgId), req.query), presentSession);
  });

  router.delete('/orgs/:orgId/sessions', async (req, res) => {
    const [orgId, principal] = visibleOrg(req, res);
    const ended = await sessions.endAllForOrg(orgId, ...byAdmin(req, res, principal));
    res.json({ ended: ended.length });
  });

  router.get('/orgs/:orgId/users/:userId/sessions', async (req, res) => {
    const [orgId] = visibleOrg(req, res, 'user');
    const userId = uuidParam(req.params.userId, 'user');
    sendPage(
      res,
      pageSessions(await sessions.listForUser(orgId, userId), req.query),
      presentSession,
    );
  });

  router.delete('/orgs/:orgId/users/:userId/sessions', async (req, res) => {
    const [orgId, principal] = visibleOrg(req, res, 'user');
    const userId = uuidParam(req.params.userId, 'user');
    const ended = await sessions.endAllForUser(orgId, userId, ...byAdmin(req, res, principal));
    res.json({ ended: ended.length });
  });

  router.get('/orgs/:orgId/sessions/:sessionId', async (req, res) => {
    const [orgId] = visibleOrg(req, res, 'session');
    const session = await sessions.get(orgId, sessionIdOf(req.params, orgId));
    if (!session) throw notFound('session');
    res.json(presentSession(session));
  });

  router.delete('/orgs/:orgId/sessions/:sessionId', async (req, res) => {
    const [orgId, principal] = visibleOrg(req, res, 'session');
    const sessionId = sessionIdOf(req.params, orgId);
    const ended = await sessions.end(orgId, sessionId, ...byAdmin(req, res, principal));
    // DELETE is idempotent (RFC 9110 §9.2.2): a session ended before, say by a request
    // whose answer was lost, is ended; only one that never was is not found.
    if (!ended && !(await sessions.wasEnded(orgId, sessionId))) throw notFound('session');
    sendNoContent(res);
  });

  return router;
}
