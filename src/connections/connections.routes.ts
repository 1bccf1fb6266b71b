import { MAX_METADATA_BYTES } from './saml-metadata.js';
import { Router } from 'express';
import { z } from 'zod';
import { adminResource, principalOf, underOrg } from '../platform/admin/index.js';
import { parseInput } from '../platform/validation.js';
import { pageRequest } from '../platform/pagination.js';
import type { Connection } from './connection.js';
import type { ConnectionService } from './connection-service.js';
import { presentConnection } from './connection-view.js';

/** /api/v1/orgs/:orgId/connections, and POST …/{connectionId}/check (the live checks, now). */
export function connectionsRouter(connections: ConnectionService): Router {
  const paths = underOrg('connections', 'connectionId', 'connection');
  const router = adminResource(Router(), {
    ...paths,
    present: (connection: Connection) => presentConnection(connection, connections.issuer),
    create: (...args) => connections.create(...args),
    list: (orgId, query, principal) => connections.list(orgId, principal, pageRequest(query)),
    get: (...args) => connections.get(...args),
    update: (...args) => connections.update(...args),
    remove: (...args) => connections.remove(...args),
  });
  router.post('/orgs/:orgId/connections/:connectionId/check', async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    parseInput(NoBody, req.body);
    const checks = await connections.check(orgId, id, principalOf(res.locals));
    res.json({ ok: checks.every((c) => c.ok), checks });
  });
  return router;
}

const NoBody = z.strictObject({}).optional();

/**
 * The connection create/update routes take SAML metadata XML inside JSON (escaped, so up
 * to about twice its size), larger than the admin API's general body limit; the XML
 * itself is still held to MAX_METADATA_BYTES by the service.
 */
export const CONNECTION_LARGE_BODY = {
  path: /^\/orgs\/[^/]+\/connections(?:\/[^/]+)?$/,
  limitBytes: 2 * MAX_METADATA_BYTES + 16 * 1024,
};
