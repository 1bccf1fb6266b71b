import { Router } from 'express';
import type { ClientService } from './client-service.js';
import {
  adminResource,
  apiLocation,
  assertPlatformAdmin,
  callerOf,
  principalOf,
  sendCreated,
  withShownOnce,
} from '../platform/admin/index.js';
import { presentClient } from './client-view.js';

const idOf = (params: Record<string, unknown>) =>
  typeof params.clientId === 'string' ? params.clientId : '';

/** /api/v1/clients: OAuth clients are platform-level, for platform admins only. */
export function clientsRouter(clients: ClientService): Router {
  const router = Router();

  // Org keys are refused before anything else about the request is read, so they learn
  // nothing (not even whether an id, a cursor or an If-Match is well formed).
  router.use('/clients', (_req, res, next) => {
    assertPlatformAdmin(principalOf(res.locals));
    next();
  });

  adminResource(router, {
    collection: '/clients',
    idParam: 'clientId',
    parent: () => [] as const,
    key: (params) => [idOf(params)] as const,
    present: presentClient,
    create: async (...args) => {
      const { client, secret } = await clients.create(...args);
      return withShownOnce(client, secret === null ? {} : { client_secret: secret });
    },
    list: (query, principal) => clients.list(principal, query),
    get: (...args) => clients.get(...args),
    update: (...args) => clients.update(...args),
    remove: (...args) => clients.remove(...args),
  });

  router.post('/clients/:clientId/secrets', async (req, res) => {
    const { client, secret } = await clients.rotateSecret(
      idOf(req.params),
      req.body,
      ...callerOf(req, res),
    );
    const body = { ...presentClient(client), client_secret: secret };
    sendCreated(res, apiLocation(`/clients/${client.id}`), body, client.version);
  });

  return router;
}
