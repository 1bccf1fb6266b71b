import { Router } from 'express';
import type { Client } from './client-store.js';
import type { ClientService } from './client-service.js';
import {
  adminResource,
  apiLocation,
  assertPlatformAdmin,
  callerOf,
  principalOf,
  rfc3339,
  sendCreated,
  withShownOnce,
} from '../platform/admin/index.js';

/** The admin view of a client: never a secret, only the secrets' metadata. */
export const presentClient = (client: Client) => ({
  id: client.id,
  name: client.name,
  type: client.type,
  status: client.status,
  redirect_uris: client.redirectUris,
  post_logout_redirect_uris: client.postLogoutRedirectUris,
  grant_types: client.grantTypes,
  backchannel_logout_uri: client.backchannelLogoutUri,
  allowed_scopes: client.allowedScopes,
  allowed_audiences: client.allowedAudiences,
  access_token_ttl_seconds: client.accessTokenTtlSeconds,
  secrets: client.secrets.map((secret) => ({
    id: secret.id,
    created_at: rfc3339(secret.createdAt),
    expires_at: rfc3339(secret.expiresAt),
  })),
  created_at: rfc3339(client.createdAt),
  updated_at: rfc3339(client.updatedAt),
});

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
