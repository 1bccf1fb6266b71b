import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import samlify from 'samlify';
import { loadSamlEngine } from '../federation/index.js';
import { createSelfSignedCertificate } from '../platform/crypto/index.js';
import type { Logger } from '../platform/logger.js';
import { errorPage, IDP_STYLESHEET, IDP_STYLESHEET_PATH, PAGE_HEADERS } from './oidc-idp-pages.js';
import { closeServer, listen } from './oidc-idp-server.js';
import { samlLoginPage, samlPostPage } from './saml-idp-pages.js';
import { FormError, readForm, signInFrom } from './demo-form.js';

/**
 * A development SAML 2.0 identity provider that stands in for a merchant's own IdP (the
 * way Okta or Entra ID would answer Latchkey): samlify's IdentityProvider role on its own
 * port, with in-memory demo accounts and an in-memory RSA key and self-signed certificate
 * made at every start (so its metadata changes at every start; the seed follows it).
 *
 *   GET  /saml/metadata    IdP metadata (entity id = this URL, SSO over HTTP-Redirect)
 *   GET  /saml/sso         the AuthnRequest (HTTP-Redirect binding) of a trusted SP,
 *                          its signature verified when the SP is registered with a
 *                          certificate; answers a plain sign-in form
 *   POST /saml/sso/login   email + any password for a demo account; answers a page whose
 *                          visible Continue button POSTs SAMLResponse + RelayState to the
 *                          SP's ACS (no script: a script-free auto-post is impossible)
 *   GET  /saml/slo         Single Logout (HTTP-Redirect): a trusted SP's LogoutRequest,
 *                          which must be signed by the SP's certificate; recorded (see
 *                          receivedLogoutRequests) and answered with a signed
 *                          LogoutResponse redirected (303) to the SP's SLO URL
 *
 * Every Response is signed and so is its assertion (RSA-SHA256), with Destination and
 * SubjectConfirmationData Recipient set to the ACS, Audience to the SP entity id,
 * InResponseTo to the AuthnRequest's ID, NameID in the emailAddress format and the
 * attributes `email`, `name` and `groups`. Only development and tests start it
 * (demo.enabled is refused in production).
 */

export interface DemoSamlAccount {
  email: string;
  name: string;
  groups: string[];
}

/** A service provider this IdP answers (Latchkey's SP of one connection). */
export interface DemoSamlSp {
  entityId: string;
  /** Where Responses are POSTed; an AuthnRequest naming another ACS is refused. */
  acsUrl: string;
  /** Shown on the sign-in page ("to continue to …"). */
  name?: string;
  /** PEM. When set, AuthnRequests must carry a valid signature by this certificate. */
  signingCertificatePem: string | null;
  /**
   * Single Logout: the SP's SLO URL (HTTP-Redirect) and the certificate its LogoutRequests
   * must be signed with. Without it, the SP's LogoutRequests are refused.
   */
  singleLogout?: { url: string; signingCertificatePem: string };
  /**
   * What this SP's application is set up to send, as an IdP admin configures it: the
   * NameID (default the email address, emailAddress format; `persistent`: an opaque id)
   * and the attribute statements (default email, name and groups). Re-trusting the SP
   * changes it for the next sign-in, as a change in the IdP's console would.
   */
  release?: {
    nameIdFormat?: 'emailAddress' | 'persistent';
    attributes?: Array<'email' | 'name' | 'groups'>;
  };
}

/** A LogoutRequest the IdP accepted. */
export interface DemoSamlLogoutRequest {
  spEntityId: string;
  nameId: string;
  sessionIndex: string | null;
  at: Date;
}

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

export const SAML_NAME_ID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const SAML_NAME_ID_PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const ATTRNAME_BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
const BINDING = samlify.Constants.namespace.binding;
const RSA_SHA256 = samlify.Constants.algorithms.signature.RSA_SHA256;
/** How long a sign-in form stays usable. */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1000;
const MAX_LOGOUTS_KEPT = 100;
const ASSERTION_LIFETIME_MS = 5 * 60_000;

interface Pending {
  requestId: string;
  sp: DemoSamlSp;
  relayState: string | null;
  expiresAtMs: number;
}

const silent = { warn: () => undefined };

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An RSA 2048 key and a self-signed certificate for it, valid from an hour ago for a year. */
function signingKeyPair(commonName: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Date.now();
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem: createSelfSignedCertificate({
      privateKey,
      publicKey,
      commonName,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 365 * 86_400_000),
    }),
  };
}

export async function startDemoSamlIdp(options: DemoSamlIdpOptions): Promise<DemoSamlIdp> {
  // samlify refuses to parse without a schema validator; this is Latchkey's contained one.
  await loadSamlEngine();
  const logger = options.logger ?? silent;
  const idpName = options.displayName ?? 'Development SAML IdP';
  const keys = signingKeyPair(`${idpName} signing`);
  const byEmail = new Map(options.accounts.map((a) => [a.email.toLowerCase(), a]));
  const demoEmails = options.accounts.map((a) => a.email);
  const trusted = new Map<string, DemoSamlSp>();
  const pending = new Map<string, Pending>();
  const logouts: DemoSamlLogoutRequest[] = [];

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
  const entityId = `${origin}/saml/metadata`;
  const ssoUrl = `${origin}/saml/sso`;
  const sloUrl = `${origin}/saml/slo`;

  const idpEntity = (wantAuthnRequestsSigned: boolean) =>
    quietly(() =>
      samlify.IdentityProvider({
        entityID: entityId,
        privateKey: keys.privateKeyPem,
        signingCert: keys.certificatePem,
        singleSignOnService: [{ Binding: BINDING.redirect, Location: ssoUrl }],
        singleLogoutService: [{ Binding: BINDING.redirect, Location: sloUrl }],
        nameIDFormat: [SAML_NAME_ID_EMAIL],
        wantAuthnRequestsSigned,
        // Single Logout: what SPs send must be signed (checked against their certificate).
        wantLogoutRequestSigned: true,
        requestSignatureAlgorithm: RSA_SHA256,
      }),
    );
  const idp = idpEntity(false);
  // Published as wanting signed AuthnRequests: it verifies them for every SP registered
  // with a certificate (Latchkey's connections sign theirs by default).
  const metadataXml = idpEntity(true).getMetadata();

  const spEntity = (sp: DemoSamlSp) =>
    quietly(() =>
      samlify.ServiceProvider({
        entityID: sp.entityId,
        assertionConsumerService: [{ Binding: BINDING.post, Location: sp.acsUrl }],
        authnRequestsSigned: sp.signingCertificatePem !== null,
        ...(sp.signingCertificatePem ? { signingCert: sp.signingCertificatePem } : {}),
        // What the IdP signs: the assertion and the Response around it.
        wantAssertionsSigned: true,
        wantMessageSigned: true,
      }),
    );
  /** The SP as Single Logout sees it: its SLO URL and its logout signing certificate. */
  const spLogoutEntity = (sp: DemoSamlSp, slo: NonNullable<DemoSamlSp['singleLogout']>) =>
    quietly(() =>
      samlify.ServiceProvider({
        entityID: sp.entityId,
        assertionConsumerService: [{ Binding: BINDING.post, Location: sp.acsUrl }],
        singleLogoutService: [{ Binding: BINDING.redirect, Location: slo.url }],
        signingCert: slo.signingCertificatePem,
        // What the IdP sends back is signed over the query string.
        wantLogoutResponseSigned: true,
      }),
    );

  const send = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, PAGE_HEADERS);
    res.end(body);
  };
  const fail = (res: http.ServerResponse, status: number, heading: string, lines: string[]) =>
    send(res, status, errorPage(idpName, heading, lines));

  // The octet string a redirect signature covers: the raw parameters, in order.
  const octetStringOf = (url: URL) =>
    url.search
      .slice(1)
      .split('&')
      .filter((p) => /^(SAMLRequest|RelayState|SigAlg)=/.test(p))
      .join('&');

  /** The AuthnRequest of a trusted SP, its signature checked; null when none reads it. */
  const readAuthnRequest = async (url: URL) => {
    const octetString = octetStringOf(url);
    const query = Object.fromEntries(url.searchParams);
    for (const sp of trusted.values()) {
      try {
        const parsed = await idpEntity(sp.signingCertificatePem !== null).parseLoginRequest(
          spEntity(sp),
          'redirect',
          { query, octetString },
        );
        if (String(parsed.extract.issuer) !== sp.entityId) continue;
        const request = parsed.extract.request as Record<string, string | undefined>;
        if (!request.id) continue;
        const acs = request.assertionConsumerServiceUrl;
        if (acs !== undefined && acs !== sp.acsUrl) {
          logger.warn(
            { component: 'demo-saml-idp', acs, sp: sp.entityId },
            'AuthnRequest names an ACS the SP did not register',
          );
          return null;
        }
        return { sp, requestId: request.id, relayState: url.searchParams.get('RelayState') };
      } catch {
        // Not this SP's request (or its signature is wrong): try the next one.
      }
    }
    return null;
  };

  /**
   * The LogoutRequest of a trusted SP with Single Logout, signed by its certificate (an
   * unsigned one is refused), issued by it and addressed to this SLO URL; null otherwise.
   */
  const readLogoutRequest = async (url: URL) => {
    const octetString = octetStringOf(url);
    const query = Object.fromEntries(url.searchParams);
    for (const sp of trusted.values()) {
      if (!sp.singleLogout) continue;
      const from = spLogoutEntity(sp, sp.singleLogout);
      try {
        const parsed = await idp.parseLogoutRequest(from, 'redirect', { query, octetString });
        const extract = parsed.extract as Record<string, unknown>;
        if (String(extract.issuer) !== sp.entityId) continue;
        const request = extract.request as Record<string, string | undefined> | undefined;
        if (!request?.id || request.destination !== sloUrl) continue;
        const nameId = typeof extract.nameID === 'string' ? extract.nameID : '';
        if (!nameId) continue;
        const sessionIndex = typeof extract.sessionIndex === 'string' ? extract.sessionIndex : null;
        return {
          sp,
          from,
          requestId: request.id,
          nameId,
          sessionIndex,
          relayState: url.searchParams.get('RelayState'),
        };
      } catch {
        // Not this SP's request (or unsigned, or its signature is wrong): try the next one.
      }
    }
    return null;
  };

  const slo = async (res: http.ServerResponse, url: URL) => {
    const request = url.searchParams.has('SAMLRequest') ? await readLogoutRequest(url) : null;
    if (!request) {
      logger.warn({ component: 'demo-saml-idp' }, 'LogoutRequest refused');
      return fail(res, 400, 'Sign-out error', [
        'This sign-out request was not accepted: it is missing, malformed, unsigned, or from an application this IdP does not know.',
      ]);
    }
    logouts.push({
      spEntityId: request.sp.entityId,
      nameId: request.nameId,
      sessionIndex: request.sessionIndex,
      at: new Date(),
    });
    if (logouts.length > MAX_LOGOUTS_KEPT) logouts.shift();
    const response = idp.createLogoutResponse(
      request.from,
      { extract: { request: { id: request.requestId } } },
      'redirect',
      request.relayState ?? '',
    );
    res.writeHead(303, { location: response.context, 'cache-control': 'no-store' });
    res.end();
  };

  const prune = (now: number) => {
    for (const [key, entry] of pending) if (entry.expiresAtMs <= now) pending.delete(key);
    while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
  };

  const loginForm = (key: string, entry: Pending, email: string, error: string | null) =>
    samlLoginPage({
      idpName,
      pending: key,
      spName: entry.sp.name ?? entry.sp.entityId,
      email,
      error,
      demoEmails,
    });

  /** A signed Response with a signed assertion for the account, answering the request. */
  const loginResponse = async (entry: Pending, account: DemoSamlAccount): Promise<string> => {
    const now = Date.now();
    const notBefore = new Date(now - 1000).toISOString();
    const notOnOrAfter = new Date(now + ASSERTION_LIFETIME_MS).toISOString();
    const released = entry.sp.release?.attributes ?? ['email', 'name', 'groups'];
    const persistent = entry.sp.release?.nameIdFormat === 'persistent';
    const attributes = Object.entries({
      email: [account.email],
      name: [account.name],
      groups: account.groups,
    })
      .filter(([name, values]) => values.length > 0 && released.includes(name as 'email'))
      .map(
        ([name, values]) =>
          `<saml:Attribute Name="${name}" NameFormat="${ATTRNAME_BASIC}">${values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`,
      )
      .join('');
    const authnStatement = `<saml:AuthnStatement AuthnInstant="${new Date(now).toISOString()}" SessionIndex="_session-${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
    const responseId = `_${randomUUID()}`;
    const built = await idp.createLoginResponse(
      spEntity(entry.sp),
      { extract: { request: { id: entry.requestId } } },
      'post',
      { email: account.email },
      {
        customTagReplacement: (template: string) => ({
          id: responseId,
          context: samlify.SamlLib.replaceTagsByValue(
            template
              .replace('{AuthnStatement}', authnStatement)
              .replace(
                '{AttributeStatement}',
                `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`,
              ),
            {
              ID: responseId,
              AssertionID: `_${randomUUID()}`,
              Destination: entry.sp.acsUrl,
              Audience: entry.sp.entityId,
              SubjectRecipient: entry.sp.acsUrl,
              Issuer: entityId,
              IssueInstant: new Date(now).toISOString(),
              StatusCode: STATUS_SUCCESS,
              ConditionsNotBefore: notBefore,
              ConditionsNotOnOrAfter: notOnOrAfter,
              SubjectConfirmationDataNotOnOrAfter: notOnOrAfter,
              NameIDFormat: persistent ? SAML_NAME_ID_PERSISTENT : SAML_NAME_ID_EMAIL,
              NameID: persistent
                ? `emp-${createHash('sha256').update(account.email).digest('hex').slice(0, 16)}`
                : account.email,
              InResponseTo: entry.requestId,
            },
          ),
        }),
      },
    );
    return built.context;
  };

  const sso = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const request = url.searchParams.has('SAMLRequest') ? await readAuthnRequest(url) : null;
    if (!request) {
      return fail(res, 400, 'Sign-in error', [
        'This sign-in request was not accepted: it is missing, malformed, unsigned, or from an application this IdP does not know.',
      ]);
    }
    const now = Date.now();
    prune(now);
    const key = randomBytes(24).toString('base64url');
    const entry: Pending = { ...request, expiresAtMs: now + PENDING_TTL_MS };
    pending.set(key, entry);
    send(res, 200, loginForm(key, entry, '', null));
  };

  const login = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const form = await readForm(req);
    const key = form.get('pending') ?? '';
    const entry = pending.get(key);
    if (!entry || entry.expiresAtMs <= Date.now()) {
      return fail(res, 400, 'This sign-in has expired', [
        'It was started too long ago, or already used.',
        'Go back to the application and sign in again.',
      ]);
    }
    const signIn = signInFrom(form, byEmail, idpName);
    if (!signIn.account) return send(res, 422, loginForm(key, entry, signIn.email, signIn.problem));
    const { account } = signIn;
    pending.delete(key);
    const samlResponse = await loginResponse(entry, account);
    send(
      res,
      200,
      samlPostPage({
        idpName,
        name: account.name,
        acsUrl: entry.sp.acsUrl,
        samlResponse,
        relayState: entry.relayState,
      }),
    );
  };

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
          res.end(metadataXml);
          return;
        case 'GET /saml/sso':
          return sso(req, res, url);
        case 'POST /saml/sso/login':
          return login(req, res);
        case 'GET /saml/slo':
          return slo(res, url);
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
    entityId,
    ssoUrl,
    sloUrl,
    metadataXml,
    certificatePem: keys.certificatePem,
    trust(sp) {
      trusted.set(sp.entityId, sp);
    },
    receivedLogoutRequests: () => logouts.map((l) => ({ ...l })),
    close: () => closeServer(server),
  };
}

/** samlify warns on the console about optional endpoints it does not find. */
function quietly<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}
