import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { s256 } from '../../src/tokens/oauth-service.js';

/**
 * A first-party app as the browser tests need it: a local receiver at its redirect URI
 * (it keeps the last authorization response it got), the authorization request it sends
 * the browser to, and the sign-in at the development OIDC IdP.
 */
export interface AppReceiver {
  redirectUri: string;
  /** The last response at the redirect URI (not the browser's favicon request), or null. */
  received(): URL | null;
  /** Forgets the last response, before a new authorization request. */
  reset(): void;
  close(): Promise<void>;
}

/** The text the receiver answers the browser with, to wait for. */
export const APP_RECEIVED = 'app received the response';

export async function startAppReceiver(): Promise<AppReceiver> {
  let last: URL | null = null;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/cb') last = url;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(APP_RECEIVED);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
    received: () => last,
    reset: () => {
      last = null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The app's authorization request (code flow with PKCE S256) for `loginHint`. */
export function authorizeUrl(
  issuer: string,
  request: {
    clientId: string;
    redirectUri: string;
    scope: string;
    state: string;
    verifier: string;
    loginHint: string;
    /** acr_values (OIDC Core §3.1.2.1), when the app asks for a level of assurance. */
    acrValues?: string;
  },
): string {
  const url = new URL(`${issuer}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scope,
    state: request.state,
    code_challenge: s256(request.verifier),
    code_challenge_method: 'S256',
    login_hint: request.loginHint,
  }))
    url.searchParams.set(k, v);
  if (request.acrValues) url.searchParams.set('acr_values', request.acrValues);
  return url.toString();
}

/** At a development IdP's sign-in form (OIDC or SAML): any password signs the person in. */
export async function signInAtDevIdp(page: Page, email: string, password = 'x'): Promise<void> {
  await page.getByLabel('Password').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
