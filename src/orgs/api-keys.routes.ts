import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import type { ApiKeyService } from './api-key-service.js';
import {
  apiLocation,
  callerOf,
  principalOf,
  sendCreated,
  sendNoContent,
  sendPage,
  uuidParam,
  type AdminParams,
} from '../platform/admin/index.js';
import { presentApiKey } from './api-key-view.js';

/** /api/v1/api-keys (platform keys) and /api/v1/orgs/{orgId}/api-keys (org keys). */
export function apiKeysRouter(apiKeys: ApiKeyService): Router {
  const router = Router();
  const orgOf = (params: AdminParams) =>
    params.orgId === undefined ? null : uuidParam(params.orgId, 'org');

  for (const base of ['/api-keys', '/orgs/:orgId/api-keys']) {
    router.post(base, async (req, res) => {
      const orgId = orgOf(req.params);
      const { key, secret } = await apiKeys.create(
        { orgId, body: req.body },
        ...callerOf(req, res),
      );
      const location = apiLocation(
        orgId ? `/orgs/${orgId}/api-keys/${key.id}` : `/api-keys/${key.id}`,
      );
      // No ETag: an API key has no version (it is only ever created and revoked).
      sendCreated(res, location, { ...presentApiKey(key), secret });
    });
    router.get(base, async (req, res) => {
      const orgId = orgOf(req.params);
      const page = await apiKeys.list(orgId, principalOf(res.locals), pageRequest(req.query));
      sendPage(res, page, presentApiKey);
    });
    router.delete(`${base}/:keyId`, async (req, res) => {
      const orgId = orgOf(req.params);
      const keyId = uuidParam(req.params.keyId, 'API key');
      await apiKeys.revoke(orgId, keyId, ...callerOf(req, res));
      sendNoContent(res);
    });
  }
  return router;
}
