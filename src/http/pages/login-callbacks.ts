import type { Request, Response, Router } from 'express';
import { parse as parseCookies } from 'cookie';
import { errorStyle } from '../../platform/error-style.js';
import { LoginFailure, type CompletedLogin } from '../../federation/index.js';
import { pageText } from '../i18n/page-text.js';
import { confirmIdpInitiatedPage } from '../views/login-pages.js';
import {
  acsForm,
  CANCELLED_NOTICE,
  connectionIdOf,
  relayStateOf,
  sentToTestReport,
  text,
  type LoginKit,
} from './login-kit.js';
import { pageDoor } from './page-limits.js';

/**
 * A login's last step, in the browser that started it: the transaction cookie (the
 * browser binding) goes to `complete` and is cleared, with the session cookie the browser
 * had (the session a sign-in of the same person replaces, which then ends); the new
 * session's cookie is set.
 */
async function finishLogin(
  kit: LoginKit,
  req: Request,
  res: Response,
  complete: (binding: string | null, previousSession: string | null) => Promise<CompletedLogin>,
) {
  const cookies = parseCookies(req.get('cookie') ?? '');
  const binding = cookies[kit.txCookie] ?? null;
  const previousSession = cookies[kit.deps.session.name] ?? null;
  res.clearCookie(kit.txCookie, { ...kit.txOptions, maxAge: undefined });
  let done: CompletedLogin;
  try {
    done = await complete(binding, previousSession);
  } catch (error) {
    if (sentToTestReport(error, res)) return;
    // The person cancelled at their IdP (OAuth access_denied): not a failure to show
    // them, though it is audited and counted as one. Back to the start, said plainly.
    if (error instanceof LoginFailure && error.reason === 'idp_access_denied') {
      res.redirect(303, `/login?${CANCELLED_NOTICE}`);
      return;
    }
    throw error;
  }
  // A test sign-in opens no session: its report is at returnTo.
  if (done.sessionToken !== null)
    res.cookie(kit.deps.session.name, done.sessionToken, kit.deps.session.options);
  res.redirect(303, done.returnTo);
}

const completeSaml = (kit: LoginKit, req: Request, res: Response, handle: string) =>
  finishLogin(kit, req, res, (binding, previousSession) =>
    kit.deps.login.completeSaml({ handle, binding }, kit.context(req, res), previousSession),
  );

/** The upstream callbacks that open the session: the OIDC callback and the SAML ACS. */
export function callbackRoutes(router: Router, kit: LoginKit): void {
  const { deps } = kit;
  /**
   * The OIDC callback: each connection has its own (the mix-up defence); the shared one
   * of earlier versions refuses every transaction it is handed (redirect_uri_mismatch).
   */
  const oidcCallback =
    (arrivedFor: (req: Request) => string | null) => (req: Request, res: Response) =>
      finishLogin(kit, req, res, (binding, previousSession) =>
        deps.login.completeOidc(
          { url: new URL(req.originalUrl, deps.issuer), binding, arrivedFor: arrivedFor(req) },
          kit.context(req, res),
          previousSession,
        ),
      );
  const callbackDoor = pageDoor(deps.doors, 'login_callback');
  const samlDoor = pageDoor(deps.doors, 'saml');
  router.get(
    '/login/oidc/callback/:connectionId',
    errorStyle('html'),
    callbackDoor,
    oidcCallback((req) => String(req.params.connectionId)),
  );
  router.get(
    '/login/oidc/callback',
    errorStyle('html'),
    callbackDoor,
    oidcCallback(() => null),
  );

  /**
   * The SAML ACS (HTTP-POST binding). The IdP's page posts here cross-site, so the
   * SameSite=Lax transaction cookie is not sent: the response is checked here, and the
   * browser continues with a one-time handle to a GET that does carry the cookie.
   */
  router.post(
    '/saml/:connectionId/acs',
    errorStyle('html'),
    samlDoor,
    acsForm,
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const connectionId = connectionIdOf(String(req.params.connectionId));
      let accepted;
      try {
        accepted = await deps.login.acceptSamlResponse(
          connectionId,
          {
            samlResponse: typeof body.SAMLResponse === 'string' ? body.SAMLResponse : '',
            relayState: relayStateOf(body),
          },
          kit.context(req, res),
        );
      } catch (error) {
        if (sentToTestReport(error, res)) return;
        throw error;
      }
      res.redirect(303, `/login/saml/continue?handle=${encodeURIComponent(accepted.handle)}`);
    },
  );

  router.get('/login/saml/continue', errorStyle('html'), callbackDoor, async (req, res) => {
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
        kit.formPage(
          res,
          confirmIdpInitiatedPage(pageText(res), { handle, email: pending.email, current }),
        );
        return;
      }
    }
    await completeSaml(kit, req, res, handle);
  });

  router.post(
    '/login/saml/continue',
    errorStyle('html'),
    callbackDoor,
    kit.form,
    async (req, res) => {
      kit.refuseFromElsewhere(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      await completeSaml(kit, req, res, text(body.handle));
    },
  );
}
