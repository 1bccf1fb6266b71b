import type { Request, Response, Router } from 'express';
import { errorStyle } from '../../platform/error-style.js';
import { chooserPage, confirmConnectionPage, loginPage } from '../views/login-pages.js';
import { connectionIdOf, lookOf, MAX_EMAIL, text, type LoginKit } from './login-kit.js';
import { pageDoor } from './page-limits.js';

/**
 * Home-realm discovery from an email: start, choose, or explain. `confirmFirst`: show
 * the chooser even for a single connection (a link from elsewhere starts nothing).
 */
async function route(
  kit: LoginKit,
  req: Request,
  res: Response,
  found: { email: string; returnTo: string; viaForm: boolean; confirmFirst: boolean },
) {
  const { email, returnTo, viaForm, confirmFirst } = found;
  const discovered = await kit.deps.login.discover(email);
  if (discovered.kind === 'none') {
    kit.formPage(
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
    await kit.begin(req, res, { connectionId, returnTo, loginHint: email, viaForm });
    return;
  }
  const look = await lookOf(kit.deps.pageBranding, discovered.orgId);
  kit.formPage(res, chooserPage({ returnTo, email, connections: discovered.connections, look }));
}

/** GET /login: the login page, or a login started from a link (connection, org, email). */
async function loginFromLink(kit: LoginKit, req: Request, res: Response) {
  const returnTo = await kit.returnTarget(req.query.return_to);
  const hint = text(req.query.login_hint).slice(0, MAX_EMAIL);
  const connection = text(req.query.connection);
  const org = text(req.query.org);
  // A link from another site (or a redirect chain that began there) does not start a
  // login by itself: the person confirms on Latchkey's own page, which names the email.
  const confirmFirst = kit.fromElsewhere(req);
  const starting = { returnTo, loginHint: hint || null };
  if (connection) {
    connectionIdOf(connection);
    if (confirmFirst) {
      kit.formPage(res, confirmConnectionPage({ returnTo, email: hint, connection }));
      return;
    }
    // An active connection only: a draft is tried through a test sign-in (portal, console).
    await kit.begin(req, res, { ...starting, connectionId: connection });
    return;
  }
  if (org) {
    const found = await kit.deps.login.discoverOrg(org);
    if (found.kind === 'connections' && found.connections.length === 1 && !confirmFirst) {
      await kit.begin(req, res, { ...starting, connectionId: found.connections[0]!.id });
      return;
    }
    if (found.kind === 'connections') {
      const look = await lookOf(kit.deps.pageBranding, found.orgId);
      kit.formPage(
        res,
        chooserPage({ returnTo, email: hint, connections: found.connections, look }),
      );
      return;
    }
  }
  if (hint.includes('@')) {
    await route(kit, req, res, { email: hint, returnTo, viaForm: false, confirmFirst });
    return;
  }
  const cancelled = req.query.notice === 'cancelled';
  kit.formPage(
    res,
    loginPage({
      returnTo,
      email: hint,
      info: cancelled ? 'Sign-in was cancelled. Enter your work email to start again.' : null,
    }),
  );
}

/**
 * The login page (work email → home-realm discovery), the connection chooser and the
 * hand-off to the IdP.
 */
export function discoveryRoutes(router: Router, kit: LoginKit): void {
  const door = pageDoor(kit.deps.doors, 'login');
  // The bare login page looks nothing up; a link naming a connection, org or email does.
  const linkDoor = pageDoor(kit.deps.doors, 'login', (q) =>
    ['connection', 'org', 'login_hint'].some((name) => q[name] !== undefined),
  );
  router.get('/login', errorStyle('html'), linkDoor, (req, res) => loginFromLink(kit, req, res));

  router.post('/login', errorStyle('html'), door, kit.form, async (req, res) => {
    kit.refuseFromElsewhere(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = await kit.returnTarget(body.return_to);
    const email = text(body.email).slice(0, MAX_EMAIL);
    if (!email.includes('@')) {
      kit.formPage(
        res,
        loginPage({ returnTo, email, notice: 'Enter your work email address.' }),
        400,
      );
      return;
    }
    await route(kit, req, res, { email, returnTo, viaForm: true, confirmFirst: false });
  });

  router.post('/login/start', errorStyle('html'), door, kit.form, async (req, res) => {
    kit.refuseFromElsewhere(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = await kit.returnTarget(body.return_to);
    const connection = connectionIdOf(text(body.connection));
    // Only an active connection (start refuses others); the identity checks at the
    // callback decide whether this person may use it.
    const email = text(body.login_hint).slice(0, MAX_EMAIL);
    await kit.begin(req, res, {
      connectionId: connection,
      returnTo,
      loginHint: email,
      viaForm: true,
    });
  });
}
