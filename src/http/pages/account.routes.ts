import { Router, type Request, type Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { AppError } from '../../platform/errors.js';
import { errorStyle } from '../../platform/error-style.js';
import { contextOf, type RequestContext } from '../../platform/request-context.js';
import { pageText } from '../i18n/page-text.js';
import { accountPage, describeDevice, signedOutPage } from '../views/pages.js';
import { continueSignOutPage } from '../views/login-pages.js';
import { pageForm, sessionCsrf } from './page-form.js';
import { BRANDING_ORG_LOCAL } from '../error-renderer.js';
import { lookOf, type PageBrandingLookup } from './login-kit.js';

export interface AccountSession {
  id: string;
  orgId: string;
  userId: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  ip: string | null;
  userAgent: string | null;
  /** The connection the session signed in through (null: none, e.g. a test's). */
  connectionId?: string | null;
}

export interface AccountDeps {
  cookieName: string;
  bodyLimitBytes: number;
  currentSession(token: string): Promise<AccountSession | null>;
  profile(
    orgId: string,
    userId: string,
  ): Promise<{ email: string; name: string | null; orgName: string } | null>;
  listSessions(orgId: string, userId: string): Promise<AccountSession[]>;
  endSession(orgId: string, sessionId: string, context: RequestContext): Promise<void>;
  /**
   * Before the browser's own session ends: where to send the browser so the upstream IdP
   * signs it out too (SAML Single Logout), or null.
   */
  upstreamLogout(orgId: string, sessionId: string, context: RequestContext): Promise<string | null>;
  clearCookie(res: Response): void;
  /** The look of the user's org on this page and its errors (none: the default look). */
  pageBranding?: PageBrandingLookup;
  /** The names of the org's connections by id, to say how each session signed in. */
  connectionNames?(orgId: string): Promise<Map<string, string>>;
}

const csrf = sessionCsrf('account');
const context = (req: Request, res: Response) => contextOf(req, res.locals);

/** The signed-in session, or a redirect to sign in (returns null). */
async function signedIn(deps: AccountDeps, req: Request, res: Response) {
  const token = parseCookies(req.get('cookie') ?? '')[deps.cookieName];
  const session = token ? await deps.currentSession(token) : null;
  if (!token || !session) {
    res.redirect(303, '/login?return_to=%2Faccount');
    return null;
  }
  return { token, session };
}

/** The signed-in session of a form post whose CSRF token matches it, or null (redirected). */
async function signedInForm(deps: AccountDeps, req: Request, res: Response) {
  const current = await signedIn(deps, req, res);
  if (!current) return null;
  res.locals[BRANDING_ORG_LOCAL] = current.session.orgId;
  csrf.assertSent(req, current.token);
  return current.session;
}

/**
 * The page after the browser's own session ended. Answering a form POST with a
 * cross-origin 303 would be blocked by CSP form-action 'self': the hand-off to the IdP
 * is a page.
 */
function sendSignedOut(res: Response, upstream: string | null) {
  if (upstream) res.type('html').send(continueSignOutPage(pageText(res), upstream));
  else res.type('html').send(signedOutPage(pageText(res)));
}

async function showAccount(deps: AccountDeps, req: Request, res: Response) {
  const current = await signedIn(deps, req, res);
  if (!current) return;
  const { session, token } = current;
  // Its error page, too, has the org's look.
  res.locals[BRANDING_ORG_LOCAL] = session.orgId;
  const profile = await deps.profile(session.orgId, session.userId);
  if (!profile)
    throw new AppError('account_unavailable', 'Your account is no longer available.', {
      status: 403,
    });
  const sessions = await deps.listSessions(session.orgId, session.userId);
  const ended = typeof req.query.ended === 'string' ? Number(req.query.ended) : null;
  const look = await lookOf(deps.pageBranding, session.orgId);
  const names = (await deps.connectionNames?.(session.orgId)) ?? new Map<string, string>();
  const text = pageText(res);
  res.type('html').send(
    accountPage(text, {
      ...profile,
      look,
      csrf: csrf.tokenFor(token),
      notice:
        ended !== null && Number.isInteger(ended) && ended >= 0
          ? text.t('account.ended', { count: ended })
          : null,
      sessions: sessions.map((s) => ({
        id: s.id,
        device: describeDevice(text, s.userAgent),
        connection: (s.connectionId && names.get(s.connectionId)) || null,
        ip: s.ip,
        createdAt: new Date(s.createdAtMs),
        lastSeenAt: new Date(s.lastSeenAtMs),
        current: s.id === session.id,
      })),
    }),
  );
}

/**
 * The account page: who is signed in, and where. Server-rendered, no script; every
 * action is a POST form carrying a CSRF token bound to the session (SameSite=Lax alone
 * does not cover same-site attackers).
 */
export function accountRouter(deps: AccountDeps): Router {
  const router = Router();
  const form = pageForm(deps.bodyLimitBytes);

  router.get('/account', errorStyle('html'), (req, res) => showAccount(deps, req, res));

  router.post('/account/sessions/end-others', errorStyle('html'), form, async (req, res) => {
    const session = await signedInForm(deps, req, res);
    if (!session) return;
    const others = (await deps.listSessions(session.orgId, session.userId)).filter(
      (s) => s.id !== session.id,
    );
    for (const other of others) await deps.endSession(session.orgId, other.id, context(req, res));
    res.redirect(303, `/account?ended=${others.length}`);
  });

  router.post('/account/sessions/end-all', errorStyle('html'), form, async (req, res) => {
    const session = await signedInForm(deps, req, res);
    if (!session) return;
    const upstream = await deps.upstreamLogout(session.orgId, session.id, context(req, res));
    for (const s of await deps.listSessions(session.orgId, session.userId)) {
      await deps.endSession(session.orgId, s.id, context(req, res));
    }
    deps.clearCookie(res);
    sendSignedOut(res, upstream);
  });

  router.post('/account/sessions/:sessionId/end', errorStyle('html'), form, async (req, res) => {
    const session = await signedInForm(deps, req, res);
    if (!session) return;
    const target = String(req.params.sessionId);
    // Only the user's own sessions; anyone else's id is simply not found.
    const mine = (await deps.listSessions(session.orgId, session.userId)).some(
      (s) => s.id === target,
    );
    if (!mine)
      throw new AppError('not_found', 'That session is not one of yours.', { status: 404 });
    const upstream =
      target === session.id
        ? await deps.upstreamLogout(session.orgId, session.id, context(req, res))
        : null;
    await deps.endSession(session.orgId, target, context(req, res));
    if (target === session.id) {
      deps.clearCookie(res);
      sendSignedOut(res, upstream);
      return;
    }
    res.redirect(303, '/account?ended=1');
  });

  return router;
}
