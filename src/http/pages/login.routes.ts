import express, { Router, type Request, type Response } from 'express';
import { parse as parseCookies } from 'cookie';
import {
  DEFAULT_RETURN_TARGET,
  safeReturnTarget,
  type LoginService,
} from '../../federation/index.js';
import { AppError } from '../../platform/errors.js';
import { errorStyle } from '../../platform/error-style.js';
import type { RequestContext } from '../../platform/request-context.js';
import { chooserPage, continueToIdpPage, loginPage } from '../views/login-pages.js';

export interface LoginRoutesDeps {
  login: LoginService;
  issuer: string;
  bodyLimitBytes: number;
  session: {
    name: string;
    options: { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean };
  };
  /** Whether a URI is exactly one of an active client's redirect URIs. */
  isRegisteredRedirectUri(uri: string): Promise<boolean>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_EMAIL = 320;

/**
 * The browser side of SSO: the login page (work email → home-realm discovery), the
 * connection chooser, the hand-off to the IdP, and the OIDC callback that opens the
 * session. No script anywhere; every step works with plain forms and links.
 */
export function loginRouter(deps: LoginRoutesDeps): Router {
  const router = Router();
  const form = express.urlencoded({
    extended: false,
    limit: deps.bodyLimitBytes,
    parameterLimit: 20,
  });
  const secure = deps.session.options.secure;
  // The transaction cookie binds a login to the browser that started it.
  const txCookie = secure ? '__Host-latchkey-login' : 'latchkey-login';
  const txOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure,
    maxAge: 10 * 60_000,
  };

  const context = (req: Request, res: Response): RequestContext => ({
    requestId: typeof res.locals.requestId === 'string' ? res.locals.requestId : null,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent')?.slice(0, 512) ?? null,
  });

  /** return_to, checked: a Latchkey path or a registered client redirect URI; else refused. */
  const returnTarget = async (raw: unknown): Promise<string> => {
    if (raw === undefined || raw === '') return DEFAULT_RETURN_TARGET;
    const registered =
      typeof raw === 'string' && !raw.startsWith('/')
        ? await deps.isRegisteredRedirectUri(raw)
        : false;
    const target = safeReturnTarget(raw, () => registered);
    if (!target) {
      throw new AppError(
        'return_to_refused',
        'This sign-in link points somewhere Latchkey will not send you.',
        { status: 400 },
      );
    }
    return target;
  };

  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

  /** Starts the login at one connection and hands the browser to its IdP. */
  const begin = async (
    req: Request,
    res: Response,
    connectionId: string,
    returnTo: string,
    loginHint: string | null,
    viaForm: boolean,
    allowDraft: boolean,
  ) => {
    const started = await deps.login.start(
      { connectionId, returnTo, loginHint, allowDraft },
      context(req, res),
    );
    res.cookie(txCookie, started.binding, txOptions);
    if (viaForm) {
      res
        .type('html')
        .send(continueToIdpPage({ url: started.redirectUrl, name: 'your company sign-in' }));
    } else {
      res.redirect(303, started.redirectUrl);
    }
  };

  /** Home-realm discovery from an email: start, choose, or explain. */
  const route = async (
    req: Request,
    res: Response,
    email: string,
    returnTo: string,
    viaForm: boolean,
  ) => {
    const found = await deps.login.discover(email);
    if (found.kind === 'none') {
      res
        .status(found.reason === 'domain_unknown' ? 404 : 409)
        .type('html')
        .send(
          loginPage({
            returnTo,
            email,
            notice:
              found.reason === 'domain_unknown'
                ? "We don't recognize this email's organization. Check the address, or ask your IT team whether your company uses Latchkey."
                : "Your organization hasn't finished setting up sign-in yet. Contact your IT team.",
          }),
        );
      return;
    }
    if (found.connections.length === 1) {
      await begin(req, res, found.connections[0]!.id, returnTo, email, viaForm, false);
      return;
    }
    res.type('html').send(chooserPage({ returnTo, email, connections: found.connections }));
  };

  router.get('/login', errorStyle('html'), async (req, res) => {
    const returnTo = await returnTarget(req.query.return_to);
    const hint = text(req.query.login_hint).slice(0, MAX_EMAIL);
    const connection = text(req.query.connection);
    const org = text(req.query.org);
    if (connection) {
      if (!UUID.test(connection))
        throw new AppError('connection_unavailable', 'This sign-in option is not available.');
      // An explicit connection may be a draft an org admin is trying before it goes live.
      await begin(req, res, connection, returnTo, hint || null, false, true);
      return;
    }
    if (org) {
      const found = await deps.login.discoverOrg(org);
      if (found.kind === 'connections' && found.connections.length === 1) {
        await begin(req, res, found.connections[0]!.id, returnTo, hint || null, false, false);
        return;
      }
      if (found.kind === 'connections') {
        res
          .type('html')
          .send(chooserPage({ returnTo, email: hint, connections: found.connections }));
        return;
      }
    }
    if (hint.includes('@')) {
      await route(req, res, hint, returnTo, false);
      return;
    }
    res.type('html').send(loginPage({ returnTo, email: hint }));
  });

  router.post('/login', errorStyle('html'), form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = await returnTarget(body.return_to);
    const email = text(body.email).slice(0, MAX_EMAIL);
    if (!email.includes('@')) {
      res
        .status(400)
        .type('html')
        .send(loginPage({ returnTo, email, notice: 'Enter your work email address.' }));
      return;
    }
    await route(req, res, email, returnTo, true);
  });

  router.post('/login/start', errorStyle('html'), form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = await returnTarget(body.return_to);
    const connection = text(body.connection);
    if (!UUID.test(connection))
      throw new AppError('connection_unavailable', 'This sign-in option is not available.');
    // Only an active connection (start refuses others); the identity checks at the
    // callback decide whether this person may use it.
    const email = text(body.login_hint).slice(0, MAX_EMAIL);
    await begin(req, res, connection, returnTo, email, true, false);
  });

  router.get('/login/oidc/callback', errorStyle('html'), async (req, res) => {
    const binding = parseCookies(req.get('cookie') ?? '')[txCookie] ?? null;
    res.clearCookie(txCookie, { ...txOptions, maxAge: undefined });
    const callbackUrl = new URL(req.originalUrl, deps.issuer);
    const done = await deps.login.completeOidc(callbackUrl, binding, context(req, res));
    res.cookie(deps.session.name, done.sessionToken, deps.session.options);
    res.redirect(303, done.returnTo);
  });

  return router;
}
