import { Router } from 'express';
import { callbackRoutes } from './login-callbacks.js';
import { discoveryRoutes } from './login-discovery.js';
import { loginKit, type LoginRoutesDeps } from './login-kit.js';
import { signOutRoutes } from './login-sign-out.js';

export type { LoginRoutesDeps } from './login-kit.js';

/**
 * The browser side of SSO: the login page (work email → home-realm discovery), the
 * connection chooser, the hand-off to the IdP, the OIDC callback and the SAML ACS that
 * open the session, and each SAML connection's SP metadata. No script anywhere; every
 * step works with plain forms and links.
 */
export function loginRouter(deps: LoginRoutesDeps): Router {
  const router = Router();
  const kit = loginKit(deps);
  discoveryRoutes(router, kit);
  callbackRoutes(router, kit);
  signOutRoutes(router, kit);
  return router;
}
