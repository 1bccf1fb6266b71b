import { MAX_METADATA_BYTES } from './saml-metadata.js';
import { Router } from 'express';
import {
  contextOf,
  etagOf,
  expectedVersion,
  principalOf,
  uuidParam,
} from '../platform/admin/index.js';
import { pageRequest } from '../platform/pagination.js';
import type { ConnectionService } from './connection-service.js';
import { presentConnection } from './connection-view.js';

/** /api/v1/orgs/:orgId/connections */
export function connectionsRouter(connections: ConnectionService): Router {
  const router = Router();
  const present = (connection: Parameters<typeof presentConnection>[0]) =>
    presentConnection(connection, connections.issuer);

  router.post('/orgs/:orgId/connections', async (req, res) => {
    const orgId = uuidParam(req.params.orgId, 'org');
    const connection = await connections.create(
      orgId,
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res
      .status(201)
      .location(`/api/v1/orgs/${orgId}/connections/${connection.id}`)
      .set('ETag', etagOf(connection.version))
      .json(present(connection));
  });

  router.get('/orgs/:orgId/connections', async (req, res) => {
    const orgId = uuidParam(req.params.orgId, 'org');
    const principal = principalOf(res.locals);
    const page = await connections.list(orgId, principal, pageRequest(req.query));
    res.json({ items: page.items.map(present), next_cursor: page.nextCursor });
  });

  router.get('/orgs/:orgId/connections/:connectionId', async (req, res) => {
    const connection = await connections.get(
      uuidParam(req.params.orgId, 'org'),
      uuidParam(req.params.connectionId, 'connection'),
      principalOf(res.locals),
    );
    res.set('ETag', etagOf(connection.version)).json(present(connection));
  });

  router.patch('/orgs/:orgId/connections/:connectionId', async (req, res) => {
    const connection = await connections.update(
      uuidParam(req.params.orgId, 'org'),
      uuidParam(req.params.connectionId, 'connection'),
      req.body,
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(connection.version)).json(present(connection));
  });

  router.delete('/orgs/:orgId/connections/:connectionId', async (req, res) => {
    await connections.remove(
      uuidParam(req.params.orgId, 'org'),
      uuidParam(req.params.connectionId, 'connection'),
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.status(204).end();
  });

  return router;
}

/**
 * The connection create/update routes take SAML metadata XML inside JSON (escaped, so up
 * to about twice its size), larger than the admin API's general body limit; the XML
 * itself is still held to MAX_METADATA_BYTES by the service.
 */
export const CONNECTION_LARGE_BODY = {
  path: /^\/orgs\/[^/]+\/connections(?:\/[^/]+)?$/,
  limitBytes: 2 * MAX_METADATA_BYTES + 16 * 1024,
};
