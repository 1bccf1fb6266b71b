import { generateKeyPair, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { Configuration, KoaContextWithOIDC, default as ProviderClass } from 'oidc-provider';
import type * as OidcProviderModule from 'oidc-provider';
import type { Logger } from '../platform/logger.js';
import {
  createInteractionHandler,
  DEMO_ACR,
  type InteractionPort,
} from './oidc-idp-interactions.js';
import { withNoticesTo, withNoticesToAsync, type NoticeSink } from './oidc-idp-notices.js';
import { closeServer, listen } from './oidc-idp-server.js';
import {
  errorPage,
  IDP_STYLESHEET,
  IDP_STYLESHEET_PATH,
  logoutPage,
  PAGE_HEADERS,
  signedOutPage,
} from './oidc-idp-pages.js';

/**
 * A development OpenID Provider that stands in for a merchant's own IdP: oidc-provider (a
 * certified OP) on its own port, with in-memory demo accounts, keys and sessions. It is
 * the only module that imports oidc-provider, and only development and tests start it
 * (demo.enabled is refused in production).
 *
 * What it does, and why:
 * - authorization code flow only, PKCE (S256) required of every client;
 * - RFC 9207 `iss` on every authorization response (oidc-provider v9 always sends it and
 *   advertises authorization_response_iss_parameter_supported);
 * - sessions, `sid` in ID tokens and RP-initiated logout, for the logout work;
 * - claims in the ID token itself (conformIdTokenClaims off), as a strict RP reads them;
 * - a sign-in page (any password for a demo account, unknown emails refused), a Cancel
 *   that answers `access_denied`, and consent auto-approved: every demo client is
 *   first-party.
 */

export interface DemoAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  groups: string[];
  /** Always asks for the one-time code after the password (amr [pwd, otp]). */
  requireMfa?: boolean;
}

export interface DemoOidcClient {
  client_id: string;
  client_secret: string;
  /** Shown on the sign-in page ("to continue to …"); default the client_id. */
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  /** Default client_secret_basic. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post';
  /** Default RS256; both an RS256 and an ES256 key are published. */
  id_token_signed_response_alg?: 'RS256' | 'ES256';
}

export interface DemoOidcIdpOptions {
  /** Loopback interface to listen on. */
  host: string;
  /** 0 picks a free port; the issuer then carries the port chosen. */
  port: number;
  clients: DemoOidcClient[];
  accounts: DemoAccount[];
  /** Shown on its pages. */
  displayName?: string;
  /** oidc-provider's notices go to debug, request failures to warn. Default: silent. */
  logger?: Pick<Logger, 'debug' | 'warn'>;
}

export interface DemoOidcIdp {
  /** http://<host>:<port>, no trailing slash. */
  issuer: string;
  close(): Promise<void>;
}

const SCOPES = ['openid', 'email', 'profile', 'groups'];

/**
 * Scope → claims. `groups` comes with its own scope and also with `profile`, so a
 * connection left with the default scopes (openid email profile) sees it too.
 */
const CLAIMS = {
  // amr (RFC 8176) with every ID token, as most IdPs send it: ["pwd"], or ["pwd","otp"].
  openid: ['sub', 'amr'],
  email: ['email', 'email_verified'],
  profile: ['name', 'groups'],
  groups: ['groups'],
};

const TTL_SECONDS = {
  AuthorizationCode: 60,
  AccessToken: 600,
  IdToken: 600,
  Interaction: 600,
  Session: 8 * 3600,
  Grant: 8 * 3600,
};

type ProviderModule = typeof OidcProviderModule;

const silent = { debug: () => undefined, warn: () => undefined };

export async function startDemoOidcIdp(options: DemoOidcIdpOptions): Promise<DemoOidcIdp> {
  const logger = options.logger ?? silent;
  const notice: NoticeSink = (message) => logger.debug({ component: 'demo-oidc-idp' }, message);
  const idpName = options.displayName ?? 'Development IdP';
  const { Provider, errors, interactionPolicy } = await loadOidcProvider(notice);
  const jwks = { keys: await signingKeys() };

  let handle: http.RequestListener | null = null;
  const server = http.createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503).end();
  });
  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const issuer = `http://${host}:${port}`;

  const accountsBySub = new Map(options.accounts.map((a) => [a.sub, a]));
  const sendPage = (ctx: KoaContextWithOIDC, body: string) => {
    ctx.set(PAGE_HEADERS);
    ctx.body = body;
  };

  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      ...(client.client_name ? { client_name: client.client_name } : {}),
      redirect_uris: client.redirect_uris,
      post_logout_redirect_uris: client.post_logout_redirect_uris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_basic',
      id_token_signed_response_alg: client.id_token_signed_response_alg ?? 'RS256',
    })),
    jwks,
    // Sessions live in memory for this process; cookie keys with them.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: SCOPES,
    claims: CLAIMS,
    responseTypes: ['code'],
    // The scope's claims go into the ID token too, not only to userinfo.
    conformIdTokenClaims: false,
    // RFC 9700 §2.1.1: PKCE for every client, confidential ones included (S256 is the only
    // method oidc-provider v9 accepts).
    pkce: { required: () => true },
    ttl: TTL_SECONDS,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => sendPage(ctx, logoutPage(idpName, form)),
        postLogoutSuccessSource: (ctx) => sendPage(ctx, signedOutPage(idpName)),
      },
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: policyWithStepUp(interactionPolicy),
    },
    // Emitted as the ID token's acr (the login interaction's result says which).
    acrValues: [DEMO_ACR.pwd, DEMO_ACR.mfa],
    findAccount(_ctx, sub) {
      const account = accountsBySub.get(sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        claims: () => ({
          sub: account.sub,
          email: account.email,
          email_verified: account.email_verified,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      sendPage(
        ctx,
        errorPage(
          idpName,
          'Sign-in error',
          [out.error, out.error_description].filter((v): v is string => typeof v === 'string'),
        ),
      );
    },
    clientBasedCORS: () => false,
  };

  let provider: ProviderClass;
  try {
    // Its in-memory adapter announces itself on construction (development is the point).
    provider = withNoticesTo(notice, () => new Provider(issuer, configuration));
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  // oidc-provider puts `sid` in ID tokens only for clients that ask for it (registered for
  // back-channel logout with session_required, or through the claims parameter); many IdPs
  // always send it (Keycloak does), and Latchkey keeps it for upstream logout, so every
  // demo client gets it. includeSid() is oidc-provider's own switch for exactly this, on
  // this provider's Client class only; test/demo/oidc-idp.test.ts pins the result.
  (provider.Client.prototype as { includeSid(): boolean }).includeSid = () => true;
  provider.on('server_error', (_ctx, error) =>
    logger.warn({ component: 'demo-oidc-idp', err: error }, 'demo IdP request failed'),
  );

  const interactions = createInteractionHandler({
    port: interactionPort(provider, errors.SessionNotFound),
    accounts: options.accounts,
    idpName,
    onError: (error) =>
      logger.warn({ component: 'demo-oidc-idp', err: error }, 'demo IdP interaction failed'),
  });
  const oidc = provider.callback();
  handle = (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === IDP_STYLESHEET_PATH) {
      res.writeHead(200, {
        'content-type': 'text/css; charset=utf-8',
        'cache-control': 'no-cache',
      });
      res.end(IDP_STYLESHEET);
      return;
    }
    if (path.startsWith('/interaction/')) {
      void interactions(req, res, path);
      return;
    }
    void oidc(req, res);
  };

  return {
    issuer,
    close: () => closeServer(server),
  };
}

/** What the interaction pages need of oidc-provider (oidc-idp-interactions.ts). */
function interactionPort(
  provider: ProviderClass,
  SessionNotFound: ProviderModule['errors']['SessionNotFound'],
): InteractionPort {
  return {
    async details(req, res) {
      const { uid, prompt, params } = await provider.interactionDetails(req, res);
      const clientId = String(params.client_id);
      const client = await provider.Client.find(clientId);
      return {
        uid,
        prompt: prompt.name,
        clientName: client?.clientName ?? clientId,
        loginHint: typeof params.login_hint === 'string' ? params.login_hint : null,
        acrValues: typeof params.acr_values === 'string' ? params.acr_values.split(' ') : [],
      };
    },

    finish: (req, res, result) =>
      provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false }),

    async approveConsent(req, res) {
      const interaction = await provider.interactionDetails(req, res);
      const { prompt, params, session } = interaction;
      if (prompt.name !== 'consent' || !session) throw new SessionNotFound('no consent pending');
      const existing = interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : undefined;
      const grant =
        existing ??
        new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
      const missing = prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
        grant.addResourceScope(resource, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: existing ? {} : { grantId } },
        { mergeWithLastSubmission: true },
      );
    },

    isSessionNotFound: (error) => error instanceof SessionNotFound,
  };
}

/**
 * oidc-provider's prompts, with one more login check: a session that signed in with a
 * password only is asked to sign in again when acr_values asks for MFA (oidc-provider
 * itself re-prompts only for an essential acr claim), as real IdPs step up.
 */
function policyWithStepUp(policy: ProviderModule['interactionPolicy']) {
  const prompts = policy.base();
  const { Check } = policy;
  prompts.get('login')!.checks.add(
    new Check('acr_values_mfa', 'A second factor is requested', (ctx) => {
      const asked = ctx.oidc.params?.acr_values;
      const wantsMfa = typeof asked === 'string' && asked.split(' ').includes(DEMO_ACR.mfa);
      return wantsMfa && ctx.oidc.acr !== DEMO_ACR.mfa
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    }),
  );
  return prompts;
}

let providerModule: Promise<ProviderModule> | undefined;

/**
 * oidc-provider, loaded on first use so that a process without the demo never loads it.
 * On Node 20 it warns at load that it prefers Node 22 (the tests show it works here):
 * that notice goes to the logger instead of stderr.
 */
function loadOidcProvider(notice: NoticeSink): Promise<ProviderModule> {
  providerModule ??= withNoticesToAsync(notice, () => import('oidc-provider'));
  return providerModule;
}

/** One RS256 and one ES256 signing key, made at start and kept only in memory. */
async function signingKeys() {
  const generate = promisify(generateKeyPair);
  const [rsa, ec] = await Promise.all([
    generate('rsa', { modulusLength: 2048 }),
    generate('ec', { namedCurve: 'P-256' }),
  ]);
  const kid = () => randomBytes(9).toString('base64url');
  return [
    { ...rsa.privateKey.export({ format: 'jwk' }), kid: kid(), alg: 'RS256', use: 'sig' },
    { ...ec.privateKey.export({ format: 'jwk' }), kid: kid(), alg: 'ES256', use: 'sig' },
  ];
}
