import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import type { User } from './user-store.js';
import { NoBody, type UserService } from './user-service.js';
import {
  adminResource,
  callerOf,
  rfc3339,
  sendNoContent,
  sendVersioned,
  underOrg,
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
