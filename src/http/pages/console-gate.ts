import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { AppError } from '../../platform/errors.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import type { ConsoleAdmin, ConsoleRefusal } from '../../portal/index.js';
import { postFromElsewhere, sessionCsrf } from './page-form.js';
import type { ConsoleDeps } from './console-deps.js';

/*
 * The console's door (console.routes.ts and its pages): the signed-in platform admin of
 * every request, the CSRF token of its forms, and the ids its paths name.
 */

export const csrf = sessionCsrf('console');

const REFUSALS: Record<ConsoleRefusal, string> = {
  console_off: 'The admin console is turned off on this server (config console.platformOrg).',
  not_platform_org:
    "The admin console is for the platform team: you are signed in with another organization's account.",
  missing_role:
    'The admin console is for platform administrators: your account does not hold the admin role. Ask your IT team to add you to the right group.',
  inactive: 'Your account or organization is no longer active.',
};

export const notFound = () => new AppError('not_found', 'There is nothing here.', { status: 404 });

/** The signed-in console admin, or null: sent to sign in (303), or refused (403). */
export async function signedIn(deps: ConsoleDeps, req: Request, res: Response) {
  const token = parseCookies(req.get('cookie') ?? '')[deps.cookieName];
  const access = await deps.access(token);
  if (access.kind === 'signed_out') {
    res.redirect(303, '/login?return_to=%2Fconsole');
    return null;
  }
  if (access.kind === 'refused') {
    throw new AppError('console_forbidden', REFUSALS[access.reason], { status: 403 });
  }
  // The console's pages are about the platform's tenants: never cached by the browser.
  res.set('Cache-Control', 'no-store');
  return { token: token!, admin: access.admin };
}

/**
 * A form post: from this origin's own page (page-form.ts), by a signed-in console admin,
 * with the CSRF token bound to the session, all before anything is done.
 */
export async function signedInForm(deps: ConsoleDeps, req: Request, res: Response) {
  if (postFromElsewhere(req, new URL(deps.issuer).origin)) {
    throw new AppError('csrf_failed', 'This form came from another site.', { status: 403 });
  }
  const found = await signedIn(deps, req, res);
  if (!found) return null;
  csrf.assertSent(req, found.token);
  return found;
}

/** A path id that must be a UUID; anything else names nothing here. */
export const uuidOf = (raw: unknown) => {
  const id = String(raw);
  if (!UUID_PATTERN.test(id)) throw notFound();
  return id;
};

export const viewerOf = (admin: ConsoleAdmin) => ({
  email: admin.user.email,
  name: admin.user.name,
});
