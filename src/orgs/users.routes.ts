import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import { NoBody, type UserService } from './user-service.js';
import {
  adminResource,
  callerOf,
  sendNoContent,
  sendVersioned,
  underOrg,
} from '../platform/admin/index.js';
import { presentUser } from './user-view.js';

/**
 * /api/v1/orgs/{orgId}/users. There is no create: users are provisioned just in time
 * at login (UserService.provisionFromIdentity).
 */
export function usersRouter(users: UserService): Router {
  // In a user's path a malformed org id answers "No such user.", like an unknown user id.
  const paths = underOrg('users', 'userId', 'user', 'user');
  const router = adminResource(Router(), {
    ...paths,
    present: presentUser,
    list: (orgId, query, principal) => users.list(orgId, query, principal, pageRequest(query)),
    get: (...args) => users.get(...args),
    update: (...args) => users.update(...args),
  });

  for (const action of ['deactivate', 'reactivate'] as const) {
    router.post(`/orgs/:orgId/users/:userId/${action}`, async (req, res) => {
      const [orgId, userId] = paths.key(req.params);
      parseInput(NoBody, req.body);
      const user = await users[action](orgId, userId, ...callerOf(req, res));
      sendVersioned(res, user, presentUser(user));
    });
  }

  router.post('/orgs/:orgId/users/:userId/erase', async (req, res) => {
    const [orgId, userId] = paths.key(req.params);
    parseInput(NoBody, req.body);
    const erased = await users.erase(orgId, userId, ...callerOf(req, res));
    res.json({
      pseudonym: erased.pseudonym,
      sessions_ended: erased.sessionsEnded,
      audit_events_pseudonymised: erased.auditEventsPseudonymised,
    });
  });

  // Deleting a user takes no If-Match, hence a route of its own, not the resource's remove.
  router.delete('/orgs/:orgId/users/:userId', async (req, res) => {
    await users.remove(...paths.key(req.params), ...callerOf(req, res));
    sendNoContent(res);
  });

  return router;
}
