import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import { z } from 'zod';
import {
  adminResource,
  apiLocation,
  callerOf,
  principalOf,
  sendCreated,
  sendNoContent,
  sendPage,
  sendVersioned,
  underOrg,
  uuidParam,
} from '../platform/admin/index.js';
import type { DirectoryService } from './directory-service.js';
import {
  presentDirectory,
  presentDirectoryToken,
  presentManagedGroup,
  presentManagedUser,
  presentSyncStatus,
} from './directory-view.js';

const NoBody = z.strictObject({}).optional();

/**
 * /api/v1/orgs/{orgId}/scim-directories: an org's SCIM directories (create, list, get,
 * PATCH role_mapping, disable) and their bearer tokens (issue or rotate: shown once; list; revoke);
 * each directory's sync status and, read-only, the users and groups it manages.
 */
export function directoriesRouter(directories: DirectoryService): Router {
  const paths = underOrg('scim-directories', 'directoryId', 'SCIM directory');
  const router = adminResource(Router(), {
    ...paths,
    present: presentDirectory,
    create: (...args) => directories.create(...args),
    list: (orgId, query, principal) => directories.list(orgId, principal, pageRequest(query)),
    get: (...args) => directories.get(...args),
    update: (...args) => directories.update(...args),
  });
  const item = '/orgs/:orgId/scim-directories/:directoryId';

  router.post(`${item}/disable`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    parseInput(NoBody, req.body);
    const directory = await directories.disable(orgId, id, ...callerOf(req, res));
    sendVersioned(res, directory, presentDirectory(directory));
  });

  router.post(`${item}/tokens`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    parseInput(NoBody, req.body);
    const { token, secret } = await directories.issueToken(orgId, id, ...callerOf(req, res));
    const location = apiLocation(`/orgs/${orgId}/scim-directories/${id}/tokens/${token.id}`);
    sendCreated(res, location, { ...presentDirectoryToken(token), token: secret });
  });

  router.get(`${item}/tokens`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    const tokens = await directories.listTokens(orgId, id, principalOf(res.locals));
    res.json({ items: tokens.map(presentDirectoryToken) });
  });

  router.delete(`${item}/tokens/:tokenId`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    const tokenId = uuidParam(req.params.tokenId, 'SCIM directory token');
    await directories.revokeToken(orgId, id, tokenId, ...callerOf(req, res));
    sendNoContent(res);
  });

  router.get(`${item}/status`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    res.set('Cache-Control', 'no-store');
    res.json(presentSyncStatus(await directories.status(orgId, id, principalOf(res.locals))));
  });

  // Read-only: the directory is the source of truth for its users and groups.
  router.get(`${item}/users`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    const page = pageRequest(req.query);
    const users = await directories.listUsers(orgId, id, principalOf(res.locals), page);
    sendPage(res, users, presentManagedUser);
  });

  router.get(`${item}/groups`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    const page = pageRequest(req.query);
    const groups = await directories.listGroups(orgId, id, principalOf(res.locals), page);
    sendPage(res, groups, presentManagedGroup);
  });

  router.get(`${item}/groups/:groupId`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    const groupId = uuidParam(req.params.groupId, 'SCIM group');
    const group = await directories.getGroup(orgId, id, groupId, principalOf(res.locals));
    res.json(presentManagedGroup(group));
  });

  router.get(`${item}/groups/:groupId/members`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    const groupId = uuidParam(req.params.groupId, 'SCIM group');
    const page = pageRequest(req.query);
    const principal = principalOf(res.locals);
    const members = await directories.listGroupMembers(orgId, id, groupId, principal, page);
    sendPage(res, members, presentManagedUser);
  });

  return router;
}
