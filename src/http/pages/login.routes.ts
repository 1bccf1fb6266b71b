import { Router } from 'express';
import type { LoginService } from '../../federation/index.js';
import { callbackRoutes } from './login-callbacks.js';
import { discoveryRoutes } from './login-discovery.js';
import { loginKit } from './login-kit.js';
import { signOutRoutes } from './login-sign-out.js';

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
