import { Router } from 'express';
import { callerOf, rfc3339, uuidParam } from '../platform/admin/index.js';
import type { UserExportService } from './user-export.js';
import { presentUser } from './user-view.js';

/** /api/v1/orgs/{orgId}/users/{userId}/export: a user's data export, one JSON document. */
export function userExportRouter(exports: UserExportService): Router {
  const router = Router();
  router.get('/orgs/:orgId/users/:userId/export', async (req, res) => {
    const orgId = uuidParam(req.params.orgId, 'user');
    const userId = uuidParam(req.params.userId, 'user');
    const data = await exports.exportUser(orgId, userId, ...callerOf(req, res));
    res.set('Content-Disposition', `attachment; filename="user-${userId}.json"`).json({
      generated_at: rfc3339(data.generatedAt),
      profile: presentUser(data.user),
      identities: data.identities.map((identity) => ({
        connection: {
          id: identity.connectionId,
          type: identity.connectionType,
          name: identity.connectionName,
        },
        subject: identity.subject,
        created_at: rfc3339(identity.createdAt),
      })),
      sessions: data.sessions,
      audit_events: data.events,
    });
  });
  return router;
}
