import { Router, type Response } from 'express';
import { AppError } from '../../platform/errors.js';
import { errorStyle } from '../../platform/error-style.js';
import { UUID } from './login-kit.js';

export interface BrandingAssetsDeps {
  /** The org's current logo with this SHA-256 digest, or null. */
  logo(orgId: string, digest: string): Promise<{ contentType: string; bytes: Buffer } | null>;
  /** The custom properties of a `#rrggbb` colour, or null where it is not an org colour. */
  scheme(color: string): { accent: string; accentInk: string; accentText: string } | null;
}

const DIGEST = /^[0-9a-f]{64}$/;
const COLOR = /^[0-9a-f]{6}$/;

// Both URLs name their content (the logo's digest, the colour), so what they answer never
// changes: a year's caching, and no revalidation.
const IMMUTABLE = 'public, max-age=31536000, immutable';

const missing = () => new AppError('not_found', 'No such image.', { status: 404 });

/** What the logo response may do if opened as a document: nothing at all. */
function lockDown(res: Response) {
  res.set({
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
}

/**
 * The public side of org branding, which the pages of an org's employees link to: its
 * logo (only the bytes, with the content type they were checked to be) and the stylesheet
 * that sets its colour's custom properties (the page CSP allows stylesheets from 'self'
 * only, never inline style).
 */
export function brandingAssetsRouter(deps: BrandingAssetsDeps): Router {
  const router = Router();

  router.get('/branding/:orgId/logo/:digest', errorStyle('problem'), async (req, res) => {
    const orgId = String(req.params.orgId);
    const digest = String(req.params.digest);
    if (!UUID.test(orgId) || !DIGEST.test(digest)) throw missing();
    const logo = await deps.logo(orgId, digest);
    if (!logo) throw missing();
    lockDown(res);
    res
      .status(200)
      .set({
        'Content-Type': logo.contentType,
        'Content-Length': String(logo.bytes.length),
        'Content-Disposition': `inline; filename="logo.${logo.contentType.slice('image/'.length)}"`,
        'Cache-Control': IMMUTABLE,
        ETag: `"${digest}"`,
      })
      .end(logo.bytes);
  });

  router.get('/branding/theme/:color', errorStyle('problem'), (req, res) => {
    const color = String(req.params.color);
    const scheme = COLOR.test(color) ? deps.scheme(`#${color}`) : null;
    if (!scheme) throw missing();
    res
      .set('Cache-Control', IMMUTABLE)
      .type('text/css')
      .send(
        `:root { --accent: ${scheme.accent}; --accent-ink: ${scheme.accentInk}; --accent-text: ${scheme.accentText}; }\n`,
      );
  });

  return router;
}
