import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSamlEngine } from '../federation/index.js';
import type { Logger } from '../platform/logger.js';
import { FormError } from './demo-form.js';
import { errorPage, IDP_STYLESHEET, IDP_STYLESHEET_PATH, PAGE_HEADERS } from './oidc-idp-pages.js';
import { closeServer, listen } from './oidc-idp-server.js';
import { createDemoSamlEntities, signingKeyPair } from './saml-idp-entities.js';
import { createDemoSamlLogout } from './saml-idp-logout.js';
import type { DemoSamlAccount, DemoSamlLogoutRequest, DemoSamlSp } from './saml-idp-model.js';
import { createDemoSamlResponses } from './saml-idp-response.js';
import { createDemoSamlSignIn } from './saml-idp-sign-in.js';

export {
  SAML_NAME_ID_EMAIL,
  type DemoSamlAccount,
  type DemoSamlLogoutRequest,
  type DemoSamlSp,
} from './saml-idp-model.js';
export { DEMO_SAML_CLASSES } from './saml-idp-authn-context.js';

/**
 * A development SAML 2.0 identity provider that stands in for a merchant's own IdP (the
 * way Okta or Entra ID would answer Latchkey): samlify's IdentityProvider role on its own
 * port, with in-memory demo accounts and an in-memory RSA key and self-signed certificate
 * made at every start (so its metadata changes at every start; the seed follows it).
 *
 *   GET  /saml/metadata    IdP metadata (entity id = this URL, SSO over HTTP-Redirect)
 *   GET  /saml/sso, POST /saml/sso/login, POST /saml/sso/code
 *                          sign-in: any password for a demo account, then the one-time
 *                          code 123456 when MFA is asked or chosen (saml-idp-sign-in.ts)
 *   GET  /saml/slo         Single Logout (HTTP-Redirect): a trusted SP's signed
 *                          LogoutRequest, recorded (see receivedLogoutRequests) and
 *                          answered with a signed LogoutResponse (saml-idp-logout.ts)
 *
 * Every Response is signed and so is its assertion (RSA-SHA256), with Destination and
 * SubjectConfirmationData Recipient set to the ACS, Audience to the SP entity id,
 * InResponseTo to the AuthnRequest's ID, the NameID and attributes the SP's release
 * settings name (saml-idp-release.ts), and an AuthnContextClassRef saying how the person
 * signed in: PasswordProtectedTransport (password), https://refeds.org/profile/mfa (with
 * the code), or the class of that strength the request named (saml-idp-authn-context.ts).
 * Only development and tests start it (demo.enabled is refused in production).
 */

export interface DemoSamlIdpOptions {
  /** Loopback interface to listen on. */
  host: string;
  /** 0 picks a free port; the entity id and endpoints then carry the port chosen. */
  port: number;
  accounts: DemoSamlAccount[];
  /** Shown on its pages. */
  displayName?: string;
  /** Refused requests and failures go to warn. Default: silent. */
  logger?: Pick<Logger, 'warn'>;
}

export interface DemoSamlIdp {
  /** http://<host>:<port>/saml/metadata, also where the metadata is served. */
  entityId: string;
  ssoUrl: string;
  /** Its SingleLogoutService (HTTP-Redirect). */
  sloUrl: string;
  metadataXml: string;
  certificatePem: string;
  /** Registers (or replaces, by entity id) a service provider this IdP answers. */
  trust(sp: DemoSamlSp): void;
  /** The verified LogoutRequests received at the SLO URL, oldest first. */
  receivedLogoutRequests(): DemoSamlLogoutRequest[];
  close(): Promise<void>;
}

const silent = { warn: () => undefined };

export async function startDemoSamlIdp(options: DemoSamlIdpOptions): Promise<DemoSamlIdp> {
  // samlify refuses to parse without a schema validator; this is Latchkey's contained one.
  await loadSamlEngine();
  const logger = options.logger ?? silent;
  const idpName = options.displayName ?? 'Development SAML IdP';
  const keys = signingKeyPair(`${idpName} signing`);
  const trusted = new Map<string, DemoSamlSp>();

  let handle: http.RequestListener | null = null;
  const server = http.createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503).end();
  });
  await listen(server, options.host, options.port, {
    name: 'demo SAML IdP',
    setting: 'demo.samlIdpPort (LATCHKEY_DEMO_SAML_IDP_PORT)',
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${host}:${port}`;
  const endpoints = {
    entityId: `${origin}/saml/metadata`,
    ssoUrl: `${origin}/saml/sso`,
    sloUrl: `${origin}/saml/slo`,
  };
  const entities = createDemoSamlEntities(endpoints, keys);

  const send = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, PAGE_HEADERS);
    res.end(body);
  };
  const fail = (res: http.ServerResponse, status: number, heading: string, lines: string[]) =>
    send(res, status, errorPage(idpName, heading, lines));

  const signIn = createDemoSamlSignIn({
    idpName,
    accounts: options.accounts,
    entities,
    responses: createDemoSamlResponses({ entityId: endpoints.entityId, entities, keys }),
    trusted,
    logger,
    send,
    fail,
  });
  const logout = createDemoSamlLogout({
    sloUrl: endpoints.sloUrl,
    entities,
    trusted,
    logger,
    fail,
  });

  handle = (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const route = `${req.method ?? ''} ${url.pathname}`;
    const run = async () => {
      switch (route) {
        case `GET ${IDP_STYLESHEET_PATH}`:
          res.writeHead(200, {
            'content-type': 'text/css; charset=utf-8',
            'cache-control': 'no-cache',
          });
          res.end(IDP_STYLESHEET);
          return;
        case 'GET /saml/metadata':
          res.writeHead(200, {
            'content-type': 'application/samlmetadata+xml; charset=utf-8',
            'cache-control': 'no-cache',
          });
          res.end(entities.metadataXml);
          return;
        case 'GET /saml/sso':
          return signIn.sso(res, url);
        case 'POST /saml/sso/login':
          return signIn.login(req, res);
        case 'POST /saml/sso/code':
          return signIn.code(req, res);
        case 'GET /saml/slo':
          return logout.slo(res, url);
        default:
          return fail(res, 404, 'Not found', ['There is no such page.']);
      }
    };
    run().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof FormError) {
        fail(res, error.status, 'Sign-in error', ['The form was not accepted.']);
        return;
      }
      logger.warn({ component: 'demo-saml-idp', err: error }, 'demo SAML IdP request failed');
      fail(res, 500, 'Sign-in error', ['Something went wrong.']);
    });
  };

  return {
    ...endpoints,
    metadataXml: entities.metadataXml,
    certificatePem: keys.certificatePem,
    trust(sp) {
      trusted.set(sp.entityId, sp);
    },
    receivedLogoutRequests: logout.received,
    close: () => closeServer(server),
  };
}
