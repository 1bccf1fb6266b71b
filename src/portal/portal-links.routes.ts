import { Router } from 'express';
import { pageRequest } from '../platform/pagination.js';
import {
  apiLocation,
  callerOf,
  principalOf,
  sendCreated,
  sendNoContent,
  sendPage,
  underOrg,
} from '../platform/admin/index.js';
import type { PortalLinkService } from './portal-link-service.js';
import { presentPortalLink } from './portal-link-view.js';

/**
 * /api/v1/orgs/{orgId}/portal-links: the self-serve setup portal's one-time links
 * (create: the URL is shown once; list with each link's status; revoke).
 */
export function portalLinksRouter(links: PortalLinkService): Router {
  const paths = underOrg('portal-links', 'linkId', 'portal link');
  const router = Router();

  router.post(paths.collection, async (req, res) => {
    const [orgId] = paths.parent(req.params);
    const { link, url } = await links.create(orgId, req.body, ...callerOf(req, res));
    const location = apiLocation(`/orgs/${orgId}/portal-links/${link.id}`);
    sendCreated(res, location, { ...presentPortalLink(link, links.clock.now()), url });
  });

  router.get(paths.collection, async (req, res) => {
    const [orgId] = paths.parent(req.params);
    const page = await links.list(orgId, principalOf(res.locals), pageRequest(req.query));
    const now = links.clock.now();
    sendPage(res, page, (link) => presentPortalLink(link, now));
  });

  router.get(`${paths.collection}/:linkId`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    const link = await links.get(orgId, id, principalOf(res.locals));
    res.json(presentPortalLink(link, links.clock.now()));
  });

  router.delete(`${paths.collection}/:linkId`, async (req, res) => {
    const [orgId, id] = paths.key(req.params);
    await links.revoke(orgId, id, ...callerOf(req, res));
    sendNoContent(res);
  });

  return router;
}
