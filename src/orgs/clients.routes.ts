import { Router } from 'express';
import type { Client } from './client-store.js';
import type { ClientService } from './client-service.js';
import {
  assertPlatformAdmin,
  contextOf,
  etagOf,
  expectedVersion,
  principalOf,
  rfc3339,
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

const clientPath = (client: Client) => `/api/v1/clients/${client.id}`;
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

  router.post('/clients', async (req, res) => {
    const { client, secret } = await clients.create(
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res
      .status(201)
      .location(clientPath(client))
      .set('ETag', etagOf(client.version))
      .json(
        secret === null
          ? presentClient(client)
          : { ...presentClient(client), client_secret: secret },
      );
  });

  router.get('/clients', async (req, res) => {
    const page = await clients.list(principalOf(res.locals), req.query);
    res.json({ items: page.items.map(presentClient), next_cursor: page.nextCursor });
  });

  router.get('/clients/:clientId', async (req, res) => {
    const client = await clients.get(idOf(req.params), principalOf(res.locals));
    res.set('ETag', etagOf(client.version)).json(presentClient(client));
  });

  router.patch('/clients/:clientId', async (req, res) => {
    const client = await clients.update(
      idOf(req.params),
      req.body,
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(client.version)).json(presentClient(client));
  });

  router.delete('/clients/:clientId', async (req, res) => {
    await clients.remove(
      idOf(req.params),
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.status(204).end();
  });

  router.post('/clients/:clientId/secrets', async (req, res) => {
    const { client, secret } = await clients.rotateSecret(
      idOf(req.params),
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res
      .status(201)
      .location(clientPath(client))
      .set('ETag', etagOf(client.version))
      .json({ ...presentClient(client), client_secret: secret });
  });

  return router;
}
