import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import type { User } from './user-store.js';
import { NoBody, type UserService } from './user-service.js';
import {
  contextOf,
  etagOf,
  expectedVersion,
  principalOf,
  rfc3339,
  uuidParam,
} from '../platform/admin/index.js';

export const presentUser = (user: User) => ({
  id: user.id,
  org_id: user.orgId,
  email: user.email,
  email_verified: user.emailVerified,
  name: user.name,
  roles: user.roles,
  status: user.status,
  identities: user.identities.map((identity) => ({
    connection_id: identity.connectionId,
    subject: identity.subject,
    created_at: rfc3339(identity.createdAt),
  })),
  last_login_at: rfc3339(user.lastLoginAt),
  created_at: rfc3339(user.createdAt),
  updated_at: rfc3339(user.updatedAt),
});

/**
 * /api/v1/orgs/{orgId}/users. There is no create: users are provisioned just in time
 * at login (UserService.provisionFromIdentity).
 */
export function usersRouter(users: UserService): Router {
  const router = Router();
  const ids = (params: Record<string, unknown>) =>
    [uuidParam(params.orgId, 'user'), uuidParam(params.userId, 'user')] as const;

  router.get('/orgs/:orgId/users', async (req, res) => {
    const page = await users.list(
      uuidParam(req.params.orgId, 'org'),
      req.query,
      principalOf(res.locals),
      pageRequest(req.query),
    );
    res.json({ items: page.items.map(presentUser), next_cursor: page.nextCursor });
  });

  router.get('/orgs/:orgId/users/:userId', async (req, res) => {
    const user = await users.get(...ids(req.params), principalOf(res.locals));
    res.set('ETag', etagOf(user.version)).json(presentUser(user));
  });

  router.patch('/orgs/:orgId/users/:userId', async (req, res) => {
    const user = await users.update(
      ...ids(req.params),
      req.body,
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(user.version)).json(presentUser(user));
  });

  for (const action of ['deactivate', 'reactivate'] as const) {
    router.post(`/orgs/:orgId/users/:userId/${action}`, async (req, res) => {
      const [orgId, userId] = ids(req.params);
      parseInput(NoBody, req.body);
      const user = await users[action](
        orgId,
        userId,
        principalOf(res.locals),
        contextOf(req, res.locals),
      );
      res.set('ETag', etagOf(user.version)).json(presentUser(user));
    });
  }

  router.post('/orgs/:orgId/users/:userId/erase', async (req, res) => {
    const [orgId, userId] = ids(req.params);
    parseInput(NoBody, req.body);
    const erased = await users.erase(
      orgId,
      userId,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.json({
      pseudonym: erased.pseudonym,
      sessions_ended: erased.sessionsEnded,
      audit_events_pseudonymised: erased.auditEventsPseudonymised,
    });
  });

  router.delete('/orgs/:orgId/users/:userId', async (req, res) => {
    await users.remove(...ids(req.params), principalOf(res.locals), contextOf(req, res.locals));
    res.status(204).end();
  });

  return router;
}
