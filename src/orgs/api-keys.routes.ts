import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import type { ApiKey, ApiKeyService } from './api-key-service.js';
import { contextOf, principalOf, rfc3339, uuidParam } from '../platform/admin/index.js';

export const presentApiKey = (key: ApiKey) => ({
  id: key.id,
  org_id: key.orgId,
  scope: key.scope,
  name: key.name,
  created_at: rfc3339(key.createdAt),
  revoked_at: rfc3339(key.revokedAt),
});

/** /api/v1/api-keys (platform keys) and /api/v1/orgs/{orgId}/api-keys (org keys). */
export function apiKeysRouter(apiKeys: ApiKeyService): Router {
  const router = Router();
  const orgOf = (params: Record<string, unknown>) =>
    params.orgId === undefined ? null : uuidParam(params.orgId, 'org');

  for (const base of ['/api-keys', '/orgs/:orgId/api-keys']) {
    router.post(base, async (req, res) => {
      const orgId = orgOf(req.params);
      const { key, secret } = await apiKeys.create(
        { orgId, body: req.body },
        principalOf(res.locals),
        contextOf(req, res.locals),
      );
      res
        .status(201)
        .location(orgId ? `/api/v1/orgs/${orgId}/api-keys/${key.id}` : `/api/v1/api-keys/${key.id}`)
        .json({ ...presentApiKey(key), secret });
    });
    router.get(base, async (req, res) => {
      const page = await apiKeys.list(
        orgOf(req.params),
        principalOf(res.locals),
        pageRequest(req.query),
      );
      res.json({ items: page.items.map(presentApiKey), next_cursor: page.nextCursor });
    });
    router.delete(`${base}/:keyId`, async (req, res) => {
      await apiKeys.revoke(
        orgOf(req.params),
        uuidParam(req.params.keyId, 'API key'),
        principalOf(res.locals),
        contextOf(req, res.locals),
      );
      res.status(204).end();
    });
  }
  return router;
}
