import express, { Router, type Request, type Response } from 'express';
import { ACR_VALUES_SUPPORTED } from './acr-request.js';
import { parse as parseCookies } from 'cookie';
import { errorStyle } from '../platform/error-style.js';
import { AppError } from '../platform/errors.js';
import { sha256Hex } from '../platform/crypto/index.js';
import { authenticateClient } from './client-auth.js';
import { GRANT_TYPES } from './grants/index.js';
import { oauthError } from './oauth-errors.js';
import type { OAuthService } from './oauth-service.js';
import type { ClientRegistry } from './ports.js';
import type { Metrics } from '../metrics/index.js';
import type { FormEndpoint, FormRequest } from '../platform/form-endpoint.js';
import type { Doors } from '../platform/rate-limit/index.js';

/** The doors of the form endpoints (platform/rate-limit). */
export type OAuthDoors = Pick<
  Doors,
  'tokenRequest' | 'tokenClient' | 'introspection' | 'revocation' | 'credentials'
>;
import { contextOf, type RequestContext } from '../platform/request-context.js';
import type { Logger } from '../platform/logger.js';

export interface OAuthRoutesOptions {
  issuer: string;
  /** Where an authorization error redirected to the client logs its detail. */
  logger: Pick<Logger, 'info'>;
  /** The algorithms of the published signing keys: what an ID token may be signed with. */
  signingAlgorithms: () => string[];
  cookieName: string;
  bodyLimitBytes: number;
  /**
   * Ends the browser's session (by cookie) and the hinted one. Returns where to send the
   * browser first when its session came from an upstream IdP that takes part in the
   * logout (SAML Single Logout), which then sends it on to `then`; else null.
   */
  endBrowserSession: (
    sessionToken: string | null,
    hint: { orgId: string; sessionId: string } | null,
    then: string | null,
    context: RequestContext,
  ) => Promise<string | null>;
  clearSessionCookie: (res: Response) => void;
  /** The pages of a sign-out, in the language of the response's pages (`res`). */
  renderSignedOut: (res: Response) => string;
  /** A page that sends the browser on to url without script (after a form POST). */
  renderForward: (res: Response, url: string) => string;
  renderConfirmLogout: (res: Response, action: string, fields: Record<string, string>) => string;
}

export const ENDPOINTS = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  userinfo: '/oauth/userinfo',
  introspection: '/oauth/introspect',
  revocation: '/oauth/revoke',
  endSession: '/oauth/logout',
  jwks: '/.well-known/jwks.json',
};

/** OIDC Discovery 1.0 §3 and RFC 8414: what this provider supports, and where. */
export function discoveryDocument(issuer: string, signingAlgorithms: string[]) {
  const at = (path: string) => issuer + path;
  return {
    issuer,
    authorization_endpoint: at(ENDPOINTS.authorization),
    token_endpoint: at(ENDPOINTS.token),
    userinfo_endpoint: at(ENDPOINTS.userinfo),
    jwks_uri: at(ENDPOINTS.jwks),
    introspection_endpoint: at(ENDPOINTS.introspection),
    revocation_endpoint: at(ENDPOINTS.revocation),
    end_session_endpoint: at(ENDPOINTS.endSession),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: signingAlgorithms,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'none',
    ],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'amr',
      'acr',
      'sid',
      'azp',
      'org_id',
      'email',
      'email_verified',
      'name',
      'roles',
    ],
    prompt_values_supported: ['none', 'login'],
    // OIDC Discovery §3: the levels of assurance (docs/assurance.md), asked by acr_values
    // or an essential acr in the claims parameter.
    acr_values_supported: [...ACR_VALUES_SUPPORTED],
    claims_parameter_supported: true,
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

const form = (limit: number) => express.urlencoded({ extended: false, limit, parameterLimit: 100 });

/** RFC 6749 §3.2: the token endpoint takes form-encoded POST bodies only. */
function requireForm(req: Request): void {
  if (!req.is('application/x-www-form-urlencoded')) {
    throw oauthError('invalid_request', 'Send the request as application/x-www-form-urlencoded.');
  }
}

const params = (req: Request) => (req.body as Record<string, unknown> | undefined) ?? {};

const sessionTokenOf = (req: Request, cookieName: string) =>
  parseCookies(req.get('cookie') ?? '')[cookieName] ?? null;

/**
 * RP-Initiated Logout 1.0: ends the browser's session (and the hinted one), asking first
 * unless the hint names the browser's own session.
 */
async function logOut(
  service: OAuthService,
  options: OAuthRoutesOptions,
  req: Request,
  res: Response,
  all: Record<string, unknown>,
  confirmed: boolean,
) {
  const token = sessionTokenOf(req, options.cookieName);
  const outcome = await service.endSession(all, token);
  // Without an id_token_hint naming the browser's own session the request may be forged
  // (logout CSRF): ask first.
  const csrf = token ? sha256Hex(`logout-confirm:${token}`) : '';
  if (confirmed && (!token || all.csrf !== csrf)) {
    // A page for the person signing out, not an OAuth client: the message is theirs.
    throw new AppError('invalid_request', 'The sign-out confirmation expired; start again.', {
      status: 400,
    });
  }
  if ((!outcome.sessionHint || outcome.mustAsk) && !confirmed && token) {
    const fields: Record<string, string> = { csrf, confirm: 'yes' };
    // The hint goes along, so a confirmed sign-out also ends the session the RP named.
    for (const name of ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id']) {
      if (typeof all[name] === 'string') fields[name] = all[name];
    }
    res.type('html').send(options.renderConfirmLogout(res, ENDPOINTS.endSession, fields));
    return;
  }
  const upstream = await options.endBrowserSession(
    token,
    outcome.sessionHint,
    outcome.redirect ?? null,
    contextOf(req, res.locals),
  );
  options.clearSessionCookie(res);
  const next = upstream ?? outcome.redirect;
  // After the confirmation form (a POST from our own page), a cross-origin 303 would be
  // blocked by CSP form-action 'self': the browser goes on through a page instead.
  if (next && confirmed) res.type('html').send(options.renderForward(res, next));
  else if (next) res.redirect(303, next);
  else res.type('html').send(options.renderSignedOut(res));
}

export function oauthRouter(
  service: OAuthService,
  clients: ClientRegistry,
  options: OAuthRoutesOptions,
): Router {
  const router = Router();
  const sessionToken = (req: Request) => sessionTokenOf(req, options.cookieName);

  // Built again when the signing algorithms change (a key of another algorithm published).
  let discovery = discoveryDocument(options.issuer, options.signingAlgorithms());
  for (const path of [
    '/.well-known/openid-configuration',
    '/.well-known/oauth-authorization-server',
  ]) {
    router.get(path, (_req, res) => {
      const algorithms = options.signingAlgorithms();
      if (algorithms.join() !== discovery.id_token_signing_alg_values_supported.join())
        discovery = discoveryDocument(options.issuer, algorithms);
      res.set('Cache-Control', 'public, max-age=3600').json(discovery);
    });
  }

  const authorize = async (
    req: Request,
    res: Response,
    all: Record<string, unknown>,
    selfUrl: string,
  ) => {
    const outcome = await service.authorize(all, sessionToken(req), selfUrl);
    if (outcome.kind === 'error_page') throw outcome.error;
    if (outcome.kind === 'redirect' && outcome.refusal) {
      // The client gets the code's generic description; what exactly was wrong is logged
      // with the request id (error-renderer.ts does the same for what is thrown).
      const { code, detail } = outcome.refusal;
      options.logger.info(
        { error: code, requestId: res.locals.requestId, detail },
        'request refused',
      );
    }
    if (outcome.kind === 'login') {
      const login = new URL(options.issuer + '/login');
      login.searchParams.set('return_to', outcome.returnTo);
      if (outcome.loginHint) login.searchParams.set('login_hint', outcome.loginHint);
      res.redirect(303, login.pathname + login.search);
      return;
    }
    res.redirect(303, outcome.location);
  };
  router.get(ENDPOINTS.authorization, errorStyle('html'), (req, res) =>
    authorize(req, res, req.query, options.issuer + req.originalUrl),
  );
  router.post(
    ENDPOINTS.authorization,
    errorStyle('html'),
    form(options.bodyLimitBytes),
    async (req, res) => {
      // OIDC Core §3.1.2.1: POST with form parameters is equivalent. The login hand-off
      // comes back to the same request as a GET URL carrying the form's parameters (the
      // POST's own URL has none of them).
      requireForm(req);
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(params(req)))
        for (const one of Array.isArray(value) ? value : [value])
          if (typeof one === 'string') query.append(name, one);
      await authorize(
        req,
        res,
        params(req),
        `${options.issuer}${ENDPOINTS.authorization}?${query.toString()}`,
      );
    },
  );

  const userinfo = async (req: Request, res: Response) => {
    const header = req.get('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;
    res.json(await service.userinfo(bearer));
  };
  router.get(ENDPOINTS.userinfo, errorStyle('oauth'), userinfo);
  router.post(ENDPOINTS.userinfo, errorStyle('oauth'), userinfo);

  const logout = (req: Request, res: Response, all: Record<string, unknown>, confirmed: boolean) =>
    logOut(service, options, req, res, all, confirmed);
  router.get(ENDPOINTS.endSession, errorStyle('html'), (req, res) =>
    logout(req, res, req.query, false),
  );
  router.post(ENDPOINTS.endSession, errorStyle('html'), form(options.bodyLimitBytes), (req, res) =>
    logout(req, res, params(req), params(req).confirm === 'yes'),
  );

  return router;
}

/**
 * The token (RFC 6749 §3.2), introspection (RFC 7662) and revocation (RFC 7009)
 * endpoints: form POSTs answered with JSON, served by http/ ahead of the Express stack.
 * Token and introspection durations are SLIs of config/slo.yaml.
 */
export function oauthFormEndpoints(
  service: OAuthService,
  clients: ClientRegistry,
  metrics?: Pick<Metrics, 'observeTokenRequest' | 'observeIntrospection'>,
  doors?: OAuthDoors,
): FormEndpoint[] {
  /** Client authentication inside the address's and the credential's backoffs. */
  const authenticate = (request: FormRequest, allowPublic: boolean) => {
    const ip = request.context.ip;
    const credentials = doors?.credentials;
    return authenticateClient(clients, request.authorization, request.params, {
      allowPublic,
      ...(credentials && {
        guard: {
          check: (id) => credentials.check('client_secret', id, ip),
          failed: (id) => credentials.failed('client_secret', id, ip),
          succeeded: (id) => credentials.succeeded('client_secret', id, ip),
        },
      }),
    });
  };
  return [
    {
      path: ENDPOINTS.token,
      async handle(request) {
        // Per address before anything is checked; per client once it proved who it is (an
        // unauthenticated request cannot spend another client's budget).
        await doors?.tokenRequest(request.context.ip);
        const caller = await authenticate(request, true);
        await doors?.tokenClient(caller.client.id);
        return {
          body: await service.token(request.params, caller),
          headers: { Pragma: 'no-cache' },
        };
      },
      ...(metrics && {
        observe: (params, status, seconds) =>
          metrics.observeTokenRequest(params.grant_type, status, seconds),
      }),
    },
    {
      path: ENDPOINTS.introspection,
      async handle(request) {
        const caller = await authenticate(request, false);
        await doors?.introspection(caller.client.id);
        return { body: await service.introspect(request.params, caller) };
      },
      ...(metrics && {
        observe: (_params, status, seconds) => metrics.observeIntrospection(status, seconds),
      }),
    },
    {
      path: ENDPOINTS.revocation,
      async handle(request) {
        const caller = await authenticate(request, true);
        await doors?.revocation(caller.client.id);
        await service.revoke(request.params, caller);
        return {};
      },
    },
  ];
}
