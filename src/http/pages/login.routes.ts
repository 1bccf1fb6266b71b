import express, { Router, type Request, type Response } from 'express';
import { parse as parseCookies } from 'cookie';
import {
  DEFAULT_RETURN_TARGET,
  MAX_SAML_MESSAGE_BYTES,
  safeReturnTarget,
  type LoginService,
} from '../../federation/index.js';
import { AppError } from '../../platform/errors.js';
import { errorStyle } from '../../platform/error-style.js';
import { contextOf } from '../../platform/request-context.js';
import {
  chooserPage,
  confirmConnectionPage,
  confirmIdpInitiatedPage,
  continueToIdpPage,
  loginPage,
} from '../views/login-pages.js';
import { signedOutPage } from '../views/pages.js';

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
  /** The email of the user a live session token belongs to, or null. */
  signedInEmail(sessionToken: string): Promise<string | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_EMAIL = 320;
// The ACS form: a 256 KB message grows by 4/3 in base64 and again when form-encoded; the
// message's own size is checked first of all by the ACS checks.
const ACS_BODY_LIMIT_BYTES = MAX_SAML_MESSAGE_BYTES * 2 + 16 * 1024;
// SAML Bindings §3.5.3: RelayState is at most 80 bytes; Latchkey's handles are 43.
const MAX_RELAY_STATE = 1024;

/**
 * The browser side of SSO: the login page (work email → home-realm discovery), the
 * connection chooser, the hand-off to the IdP, the OIDC callback and the SAML ACS that
 * open the session, and each SAML connection's SP metadata. No script anywhere; every
 * step works with plain forms and links.
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

  const context = (req: Request, res: Response) => contextOf(req, res.locals);

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

  /**
   * Login CSRF (a tenant that runs its own IdP signing a victim's browser in to the
   * tenant's account): a login starts only from this origin. Browsers say where a request
   * comes from in Sec-Fetch-Site (cross-site, or same-site: another subdomain, counts as
   * elsewhere). Browsers too old to send it send Origin on a POST: it must be this origin,
   * and pages with login forms set Referrer-Policy: same-origin so that it is (under the
   * site-wide no-referrer it would be `null`, which anyone can make a browser send).
   * A request with neither header is not from a browser: nothing to forge in it.
   */
  const issuerOrigin = new URL(deps.issuer).origin;
  const fromElsewhere = (req: Request) => {
    const site = req.get('sec-fetch-site');
    if (site !== undefined) return site !== 'same-origin' && site !== 'none';
    const origin = req.get('origin');
    return origin !== undefined && origin !== issuerOrigin;
  };
  const refuseFromElsewhere = (req: Request) => {
    const site = req.get('sec-fetch-site');
    // A form post is never "none" (typed or bookmarked): only this origin's own pages.
    if (fromElsewhere(req) || site === 'none')
      throw new AppError(
        'login_cross_site',
        'This sign-in was started by another site. Start again from the sign-in page.',
        { status: 403 },
      );
  };
  /** A page with a login form: its posts must carry this origin (see fromElsewhere). */
  const formPage = (res: Response, page: string, status = 200) => {
    res.status(status).set('Referrer-Policy', 'same-origin').type('html').send(page);
  };

  /**
   * Starts the login at one connection and hands the browser to its IdP: by a 303, or,
   * after a form post (`viaForm`), by a page that continues there.
   */
  const begin = async (
    req: Request,
    res: Response,
    start: {
      connectionId: string;
      returnTo: string;
      loginHint: string | null;
      viaForm?: boolean;
      /** An explicit connection link may start a draft an org admin is trying. */
      allowDraft?: boolean;
    },
  ) => {
    const { viaForm = false, allowDraft = false, ...request } = start;
    const started = await deps.login.start({ ...request, allowDraft }, context(req, res));
    res.cookie(txCookie, started.binding, txOptions);
    if (viaForm) {
      res
        .type('html')
        .send(continueToIdpPage({ url: started.redirectUrl, name: 'your company sign-in' }));
    } else {
      res.redirect(303, started.redirectUrl);
    }
  };

  /**
   * Home-realm discovery from an email: start, choose, or explain. `confirmFirst`: show
   * the chooser even for a single connection (a link from elsewhere starts nothing).
   */
  const route = async (
    req: Request,
    res: Response,
    found: { email: string; returnTo: string; viaForm: boolean; confirmFirst: boolean },
  ) => {
    const { email, returnTo, viaForm, confirmFirst } = found;
    const discovered = await deps.login.discover(email);
    if (discovered.kind === 'none') {
      formPage(
        res,
        loginPage({
          returnTo,
          email,
          notice:
            discovered.reason === 'domain_unknown'
              ? "We don't recognize this email's organization. Check the address, or ask your IT team whether your company uses Latchkey."
              : "Your organization hasn't finished setting up sign-in yet. Contact your IT team.",
        }),
        discovered.reason === 'domain_unknown' ? 404 : 409,
      );
      return;
    }
    if (discovered.connections.length === 1 && !confirmFirst) {
      const connectionId = discovered.connections[0]!.id;
      await begin(req, res, { connectionId, returnTo, loginHint: email, viaForm });
      return;
    }
    formPage(res, chooserPage({ returnTo, email, connections: discovered.connections }));
  };

  router.get('/login', errorStyle('html'), async (req, res) => {
    const returnTo = await returnTarget(req.query.return_to);
    const hint = text(req.query.login_hint).slice(0, MAX_EMAIL);
    const connection = text(req.query.connection);
    const org = text(req.query.org);
    // A link from another site (or a redirect chain that began there) does not start a
    // login by itself: the person confirms on Latchkey's own page, which names the email.
    const confirmFirst = fromElsewhere(req);
    const starting = { returnTo, loginHint: hint || null };
    if (connection) {
      if (!UUID.test(connection))
        throw new AppError('connection_unavailable', 'This sign-in option is not available.');
      if (confirmFirst) {
        formPage(res, confirmConnectionPage({ returnTo, email: hint, connection }));
        return;
      }
      // An explicit connection may be a draft an org admin is trying before it goes live.
      await begin(req, res, { ...starting, connectionId: connection, allowDraft: true });
      return;
    }
    if (org) {
      const found = await deps.login.discoverOrg(org);
      if (found.kind === 'connections' && found.connections.length === 1 && !confirmFirst) {
        await begin(req, res, { ...starting, connectionId: found.connections[0]!.id });
        return;
      }
      if (found.kind === 'connections') {
        formPage(res, chooserPage({ returnTo, email: hint, connections: found.connections }));
        return;
      }
    }
    if (hint.includes('@')) {
      await route(req, res, { email: hint, returnTo, viaForm: false, confirmFirst });
      return;
    }
    formPage(res, loginPage({ returnTo, email: hint }));
  });

  router.post('/login', errorStyle('html'), form, async (req, res) => {
    refuseFromElsewhere(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = await returnTarget(body.return_to);
    const email = text(body.email).slice(0, MAX_EMAIL);
    if (!email.includes('@')) {
      formPage(res, loginPage({ returnTo, email, notice: 'Enter your work email address.' }), 400);
      return;
    }
    await route(req, res, { email, returnTo, viaForm: true, confirmFirst: false });
  });

  router.post('/login/start', errorStyle('html'), form, async (req, res) => {
    refuseFromElsewhere(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = await returnTarget(body.return_to);
    const connection = text(body.connection);
    if (!UUID.test(connection))
      throw new AppError('connection_unavailable', 'This sign-in option is not available.');
    // Only an active connection (start refuses others); the identity checks at the
    // callback decide whether this person may use it.
    const email = text(body.login_hint).slice(0, MAX_EMAIL);
    await begin(req, res, { connectionId: connection, returnTo, loginHint: email, viaForm: true });
  });

  /**
   * A login's last step, in the browser that started it: the transaction cookie (the
   * browser binding) goes to `complete` and is cleared; the session cookie is set.
   */
  const finishLogin = async (
    req: Request,
    res: Response,
    complete: (binding: string | null) => Promise<{ sessionToken: string; returnTo: string }>,
  ) => {
    const binding = parseCookies(req.get('cookie') ?? '')[txCookie] ?? null;
    res.clearCookie(txCookie, { ...txOptions, maxAge: undefined });
    const done = await complete(binding);
    res.cookie(deps.session.name, done.sessionToken, deps.session.options);
    res.redirect(303, done.returnTo);
  };

  /**
   * The OIDC callback: each connection has its own (the mix-up defence); the shared one
   * of earlier versions refuses every transaction it is handed (redirect_uri_mismatch).
   */
  const oidcCallback =
    (arrivedFor: (req: Request) => string | null) => (req: Request, res: Response) =>
      finishLogin(req, res, (binding) =>
        deps.login.completeOidc(
          { url: new URL(req.originalUrl, deps.issuer), binding, arrivedFor: arrivedFor(req) },
          context(req, res),
        ),
      );
  router.get(
    '/login/oidc/callback/:connectionId',
    errorStyle('html'),
    oidcCallback((req) => String(req.params.connectionId)),
  );
  router.get(
    '/login/oidc/callback',
    errorStyle('html'),
    oidcCallback(() => null),
  );

  const acsForm = express.urlencoded({
    extended: false,
    limit: ACS_BODY_LIMIT_BYTES,
    parameterLimit: 10,
  });

  /**
   * The SAML ACS (HTTP-POST binding). The IdP's page posts here cross-site, so the
   * SameSite=Lax transaction cookie is not sent: the response is checked here, and the
   * browser continues with a one-time handle to a GET that does carry the cookie.
   */
  router.post('/saml/:connectionId/acs', errorStyle('html'), acsForm, async (req, res) => {
    const connectionId = req.params.connectionId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!UUID.test(connectionId))
      throw new AppError('connection_unavailable', 'This sign-in option is not available.');
    const relayState = typeof body.RelayState === 'string' ? body.RelayState : null;
    const accepted = await deps.login.acceptSamlResponse(
      connectionId,
      {
        samlResponse: typeof body.SAMLResponse === 'string' ? body.SAMLResponse : '',
        relayState: relayState && relayState.length <= MAX_RELAY_STATE ? relayState : null,
      },
      context(req, res),
    );
    res.redirect(303, `/login/saml/continue?handle=${encodeURIComponent(accepted.handle)}`);
  });

  const completeSaml = (req: Request, res: Response, handle: string) =>
    finishLogin(req, res, (binding) =>
      deps.login.completeSaml({ handle, binding }, context(req, res)),
    );

  router.get('/login/saml/continue', errorStyle('html'), async (req, res) => {
    const handle = text(req.query.handle);
    // An IdP-initiated sign-in was not started by this browser. Where the browser is
    // signed in as someone else, it does not silently become another account (a tenant's
    // IdP posting its own user's response into a signed-in victim's browser): the person
    // confirms on Latchkey's own page, which posts back from here. A browser signed in to
    // no one signs in at once, as IdP-initiated SSO (which the connection opted into) means.
    // Looked up only where a session cookie is sent: most logins pay nothing for this.
    const token = parseCookies(req.get('cookie') ?? '')[deps.session.name];
    const pending = token ? await deps.login.pendingSaml(handle) : null;
    if (token && pending?.unsolicited) {
      const current = await deps.signedInEmail(token);
      if (current !== null && current.toLowerCase() !== pending.email.toLowerCase()) {
        formPage(res, confirmIdpInitiatedPage({ handle, email: pending.email, current }));
        return;
      }
    }
    await completeSaml(req, res, handle);
  });

  router.post('/login/saml/continue', errorStyle('html'), form, async (req, res) => {
    refuseFromElsewhere(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    await completeSaml(req, res, text(body.handle));
  });

  /**
   * SAML Single Logout (HTTP-Redirect or HTTP-POST): the IdP's LogoutRequest, answered
   * with a signed LogoutResponse back at the IdP, or the IdP's LogoutResponse to
   * Latchkey's own LogoutRequest, after which the browser continues where its sign-out
   * was headed. Anything not signed by the connection's IdP ends nothing.
   */
  const slo = async (
    req: Request,
    res: Response,
    message: Parameters<LoginService['receiveSamlLogout']>[1],
  ) => {
    const connectionId = String(req.params.connectionId);
    if (!UUID.test(connectionId))
      throw new AppError('connection_unavailable', 'This sign-in option is not available.');
    const received = await deps.login.receiveSamlLogout(connectionId, message, context(req, res));
    if (received.kind === 'request') res.clearCookie(deps.session.name, deps.session.options);
    const next = received.kind === 'request' ? received.redirect : received.then;
    if (next) res.redirect(303, next);
    else res.type('html').send(signedOutPage());
  };
  router.get('/saml/:connectionId/slo', errorStyle('html'), async (req, res) => {
    const at = req.originalUrl.indexOf('?');
    await slo(req, res, {
      binding: 'redirect',
      rawQuery: at < 0 ? '' : req.originalUrl.slice(at + 1),
    });
  });
  router.post('/saml/:connectionId/slo', errorStyle('html'), acsForm, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const request = typeof body.SAMLRequest === 'string' ? body.SAMLRequest : null;
    const response = typeof body.SAMLResponse === 'string' ? body.SAMLResponse : null;
    const relayState = typeof body.RelayState === 'string' ? body.RelayState : null;
    await slo(req, res, {
      binding: 'post',
      kind: request !== null ? 'LogoutRequest' : 'LogoutResponse',
      samlMessage: request ?? response ?? '',
      relayState: relayState && relayState.length <= MAX_RELAY_STATE ? relayState : null,
    });
  });

  router.get('/saml/:connectionId/metadata', async (req, res) => {
    const connectionId = req.params.connectionId;
    const xml = UUID.test(connectionId) ? await deps.login.samlMetadata(connectionId) : null;
    if (!xml) throw new AppError('not_found', 'No SAML connection here.', { status: 404 });
    res.type('application/samlmetadata+xml').set('Cache-Control', 'public, max-age=300').send(xml);
  });

  return router;
}
