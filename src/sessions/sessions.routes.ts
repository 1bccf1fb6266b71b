import { Router } from 'express';
import {
  actorOf,
  assertOrgAccess,
  contextOf,
  notFound,
  principalOf,
  rfc3339,
  uuidParam,
} from '../platform/admin/index.js';
import { pageRequest, toPage } from '../platform/pagination.js';
import type { StoredSession } from './session.js';
import type { SessionService } from './session-service.js';
import { orgOfSessionId } from './session-token.js';

/** Session ids are 43 base64url characters (org UUID + 128 random bits). */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export const presentSession = (s: StoredSession) => ({
  id: s.id,
  org_id: s.orgId,
  user_id: s.userId,
  connection_id: s.connectionId,
  amr: s.amr,
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
  const orgParam = (value: unknown) => uuidParam(value, 'org');

  const page = (list: StoredSession[], query: Record<string, unknown>) => {
    const request = pageRequest(query, SESSION_ID);
    // Stable order: creation time, then id; the cursor is the last id seen.
    const sorted = [...list].sort(
      (a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id),
    );
    const start = request.afterId ? sorted.findIndex((s) => s.id === request.afterId) + 1 : 0;
    const result = toPage(sorted.slice(start, start + request.limit + 1), request, (s) => s.id);
    return { items: result.items.map(presentSession), next_cursor: result.nextCursor };
  };

  router.get('/orgs/:orgId/sessions', async (req, res) => {
    const orgId = orgParam(req.params.orgId);
    assertOrgAccess(principalOf(res.locals), orgId);
    res.json(page(await sessions.listForOrg(orgId), req.query));
  });

  router.delete('/orgs/:orgId/sessions', async (req, res) => {
    const orgId = orgParam(req.params.orgId);
    const principal = principalOf(res.locals);
    assertOrgAccess(principal, orgId);
    const ended = await sessions.endAllForOrg(
      orgId,
      'admin',
      contextOf(req, res.locals),
      actorOf(principal),
    );
    res.json({ ended: ended.length });
  });

  router.get('/orgs/:orgId/users/:userId/sessions', async (req, res) => {
    const orgId = orgParam(req.params.orgId);
    assertOrgAccess(principalOf(res.locals), orgId, 'user');
    const userId = uuidParam(req.params.userId, 'user');
    res.json(page(await sessions.listForUser(orgId, userId), req.query));
  });

  router.delete('/orgs/:orgId/users/:userId/sessions', async (req, res) => {
    const orgId = orgParam(req.params.orgId);
    const principal = principalOf(res.locals);
    assertOrgAccess(principal, orgId, 'user');
    const userId = uuidParam(req.params.userId, 'user');
    const ended = await sessions.endAllForUser(
      orgId,
      userId,
      'admin',
      contextOf(req, res.locals),
      actorOf(principal),
    );
    res.json({ ended: ended.length });
  });

  router.get('/orgs/:orgId/sessions/:sessionId', async (req, res) => {
    const orgId = orgParam(req.params.orgId);
    assertOrgAccess(principalOf(res.locals), orgId, 'session');
    const sessionId = String(req.params.sessionId);
    // A session id names its org: another org's session is simply not found.
    if (!SESSION_ID.test(sessionId) || orgOfSessionId(sessionId) !== orgId)
      throw notFound('session');
    const session = await sessions.get(orgId, sessionId);
    if (!session) throw notFound('session');
    res.json(presentSession(session));
  });

  router.delete('/orgs/:orgId/sessions/:sessionId', async (req, res) => {
    const orgId = orgParam(req.params.orgId);
    const principal = principalOf(res.locals);
    assertOrgAccess(principal, orgId, 'session');
    const sessionId = String(req.params.sessionId);
    if (!SESSION_ID.test(sessionId) || orgOfSessionId(sessionId) !== orgId)
      throw notFound('session');
    const ended = await sessions.end(
      orgId,
      sessionId,
      'admin',
      contextOf(req, res.locals),
      actorOf(principal),
    );
    // DELETE is idempotent (RFC 9110 §9.2.2): a session ended before, say by a request
    // whose answer was lost, is ended; only one that never was is not found.
    if (!ended && !(await sessions.wasEnded(orgId, sessionId))) throw notFound('session');
    res.status(204).end();
  });

  return router;
}
