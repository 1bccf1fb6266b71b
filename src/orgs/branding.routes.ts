import { Router } from 'express';
import {
  callerOf,
  ifMatchOf,
  principalOf,
  sendNoContent,
  sendVersioned,
  uuidParam,
} from '../platform/admin/index.js';
import type { BrandingService } from './branding-service.js';
import { presentBranding } from './branding-view.js';

/** Where the logo upload's raw body is read (createHttpApp's rawBodies): not JSON. */
export const BRANDING_LOGO_PATH = /^\/orgs\/[^/]+\/branding\/logo$/;

/**
 * /api/v1/orgs/{orgId}/branding: read and change an org's display name and colour (PATCH,
 * If-Match), upload its logo as a raw image body (PUT) and remove it (DELETE).
 */
export function brandingRouter(branding: BrandingService): Router {
  const router = Router();
  const orgIdOf = (params: Record<string, unknown>) => uuidParam(params.orgId, 'org');

  router.get('/orgs/:orgId/branding', async (req, res) => {
    const found = await branding.get(orgIdOf(req.params), principalOf(res.locals));
    sendVersioned(res, found, presentBranding(found));
  });

  router.patch('/orgs/:orgId/branding', async (req, res) => {
    const orgId = orgIdOf(req.params);
    const updated = await branding.update(orgId, req.body, ifMatchOf(req), ...callerOf(req, res));
    sendVersioned(res, updated, presentBranding(updated));
  });

  router.put('/orgs/:orgId/branding/logo', async (req, res) => {
    const orgId = orgIdOf(req.params);
    // express.raw leaves an empty object where the request had no body at all.
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const updated = await branding.putLogo(
      orgId,
      { contentType: req.get('content-type'), bytes },
      ifMatchOf(req),
      ...callerOf(req, res),
    );
    sendVersioned(res, updated, presentBranding(updated));
  });

  router.delete('/orgs/:orgId/branding/logo', async (req, res) => {
    const orgId = orgIdOf(req.params);
    await branding.removeLogo(orgId, ifMatchOf(req), ...callerOf(req, res));
    sendNoContent(res);
  });

  return router;
}
