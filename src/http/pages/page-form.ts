import express, { type Request, type RequestHandler } from 'express';
import { constantTimeEqual, sha256Hex } from '../../platform/crypto/index.js';
import { AppError } from '../../platform/errors.js';

/**
 * The body parser of the browser pages' own forms (login, account): URL-encoded only, at
 * most the configured body size and a handful of fields.
 */
export function pageForm(bodyLimitBytes: number): RequestHandler {
  return express.urlencoded({ extended: false, limit: bodyLimitBytes, parameterLimit: 20 });
}

/**
 * Where a browser's request comes from, as the pages' forms judge it: Sec-Fetch-Site
 * (cross-site, or same-site: another subdomain, counts as elsewhere; `none`, typed or
 * bookmarked, does not). Browsers too old to send it send Origin on a POST: it must be
 * this origin, and pages with such forms set Referrer-Policy: same-origin so that it is
 * (under the site-wide no-referrer it would be `null`, which anyone can make a browser
 * send). A request with neither header is not from a browser: nothing to forge in it.
 */
export function fromElsewhere(req: Request, issuerOrigin: string): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('origin');
  return origin !== undefined && origin !== issuerOrigin;
}

/** A form post only from this origin's own pages (never `none`: a post is not typed). */
export const postFromElsewhere = (req: Request, issuerOrigin: string): boolean =>
  fromElsewhere(req, issuerOrigin) || req.get('sec-fetch-site') === 'none';

/**
 * A CSRF token bound to a browser session (`purpose` keeps the account's and the portal's
 * apart): the page's forms carry `tokenFor(session token)`; `assertSent` refuses a post
 * without it (403 csrf_failed) before anything is done.
 */
export function sessionCsrf(purpose: string) {
  const tokenFor = (sessionToken: string) => sha256Hex(`${purpose}-csrf:${sessionToken}`);
  return {
    tokenFor,
    assertSent(req: Request, sessionToken: string): void {
      const sent = (req.body as Record<string, unknown> | undefined)?.csrf;
      if (typeof sent !== 'string' || !constantTimeEqual(sent, tokenFor(sessionToken))) {
        throw new AppError('csrf_failed', 'This form expired. Reload the page and try again.', {
          status: 403,
        });
      }
    },
  };
}
