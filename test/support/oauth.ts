/**
 * The cast of the OAuth 2 / OpenID Connect end-to-end tests: a live Latchkey (real port,
 * real Postgres and Redis, a fake clock), one org with a user, OAuth clients, browser
 * sessions, and openid-client v6 as the relying party (never mocked: it checks
 * everything a strict RP checks, so a provider bug shows up as its refusal).
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { AdminPrincipal, Client, User } from '../../src/orgs/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { uuidv7 } from '../../src/platform/ids.js';
import type { RequestContext } from '../../src/platform/request-context.js';
import { startLiveApp } from './live.js';
import { startLocalServer } from './local-http.js';

export const PLATFORM: AdminPrincipal = { scope: 'platform:admin', keyId: 'test' };
export const CONTEXT: RequestContext = {
  requestId: null,
  ip: '127.0.0.1',
  userAgent: 'latchkey-oauth-test',
};
export const SESSION_POLICY = {
  idleTimeoutSeconds: 3600,
  absoluteLifetimeSeconds: 43_200,
  maxSessionsPerUser: 50,
};
/** Nothing listens here: the tests read the redirect's Location, they never follow it. */
export const REDIRECT_URI = 'http://127.0.0.1:47615/callback';
export const POST_LOGOUT_URI = 'http://127.0.0.1:47615/signed-out';
export const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

type LiveOptions = NonNullable<Parameters<typeof startLiveApp>[0]>;

/**
 * A live Latchkey with an org "acme" (connection, user alice with roles) and helpers to
 * register clients, open browser sessions and run the code flow through openid-client.
 *
 * The app's clock is fake but starts at real time, because openid-client checks `iat`
 * and `exp` against the real one; `syncClock()` brings it back after a test moved it.
 */
export async function startOAuthFixture(options: Omit<LiveOptions, 'clock'> = {}) {
  const clock = createFakeClock(Date.now());
  const t = await startLiveApp({ ...options, clock });
  const org = await t.app.orgs.create({ slug: 'acme', name: 'Acme Ads' }, PLATFORM, CONTEXT);
  const connectionId = uuidv7();
  await t.app.db.query(
    `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
     VALUES ($1, $2, 'oidc', 'test', 'active', '{}', now(), now())`,
    [connectionId, org.id],
  );

  const makeUser = async (subject: string, roles: string[] = []): Promise<User> =>
    (
      await t.app.users.provisionFromIdentity(
        {
          orgId: org.id,
          connectionId,
          subject,
          email: `${subject}@acme.example`,
          emailVerified: true,
          name: `${subject[0]!.toUpperCase()}${subject.slice(1)}`,
          roles,
        },
        CONTEXT,
      )
    ).user;
  const user = await makeUser('alice', ['ads.editor', 'ads.viewer']);

  /** A confidential client with every grant unless overridden. */
  const registerClient = async (overrides: Record<string, unknown> = {}) => {
    const { client, secret } = await t.app.clients.create(
      {
        name: 'Ads Manager',
        type: 'confidential',
        redirect_uris: [REDIRECT_URI],
        post_logout_redirect_uris: [POST_LOGOUT_URI],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        ...overrides,
      },
      PLATFORM,
      CONTEXT,
    );
    return { client, secret };
  };

  const registerPublicClient = (overrides: Record<string, unknown> = {}) =>
    registerClient({
      name: 'Ads Mobile',
      type: 'public',
      grant_types: ['authorization_code', 'refresh_token'],
      ...overrides,
    });

  /** A browser session; its token is the value of the `latchkey` cookie. */
  const openSession = async (userId = user.id, amr = ['pwd']) =>
    t.app.sessions.open(
      { userId, orgId: org.id, connectionId, amr, policy: SESSION_POLICY },
      CONTEXT,
    );

  /** openid-client configured by discovery, as an RP of that client would be. */
  const relyingParty = (client: Pick<Client, 'id'>, secret: string | null) =>
    oidc.discovery(
      new URL(t.issuer),
      client.id,
      secret ? { client_secret: secret } : undefined,
      secret ? oidc.ClientSecretBasic(secret) : oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );

  /** An authorization request as openid-client builds it: PKCE S256, state and nonce. */
  const authorizationRequest = async (
    config: oidc.Configuration,
    extra: Record<string, string> = {},
  ) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    return { url, verifier, state, nonce };
  };

  /** The browser: one request with the session cookie, redirects not followed. */
  const browse = (url: URL | string, sessionToken: string | null, init: RequestInit = {}) =>
    fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(sessionToken ? { cookie: `latchkey=${sessionToken}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  /** Authorizes in the browser and returns the redirect back to the client. */
  const authorizeRedirect = async (url: URL, sessionToken: string | null) => {
    const res = await browse(url, sessionToken);
    assert.equal(res.status, 303, `authorize answered ${res.status}: ${await res.text()}`);
    return new URL(res.headers.get('location')!, t.issuer);
  };

  /** The whole code flow: authorize with the session, then redeem the code via openid-client. */
  const signIn = async (
    config: oidc.Configuration,
    sessionToken: string,
    extra: Record<string, string> = {},
  ) => {
    const request = await authorizationRequest(config, extra);
    const callback = await authorizeRedirect(request.url, sessionToken);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    return { ...request, callback, tokens };
  };

  /**
   * Introspects as the given client. RFC 7662 §4: a token is active only to the client it
   * was issued to or to a resource server among its audiences, so every call names its caller.
   */
  const introspect = (
    caller: oidc.Configuration,
    token: string,
    hint?: 'access_token' | 'refresh_token',
  ) => oidc.tokenIntrospection(caller, token, hint ? { token_type_hint: hint } : undefined);

  const jwks = createRemoteJWKSet(new URL(`${t.issuer}/.well-known/jwks.json`));

  return {
    t,
    clock,
    org,
    user,
    connectionId,
    makeUser,
    registerClient,
    registerPublicClient,
    openSession,
    relyingParty,
    authorizationRequest,
    browse,
    authorizeRedirect,
    signIn,
    introspect,
    jwks,
    /** Verifies a JWT against the published JWKS with the exact header typ. */
    verify: (token: string, typ: string) =>
      jwtVerify(token, jwks, { issuer: t.issuer, typ, algorithms: ['ES256'] }),
    /** Sets the fake clock back to real time (openid-client's clock). */
    syncClock: () => clock.set(Date.now()),
    /** A form POST to an endpoint, optionally with HTTP Basic client credentials. */
    post: (path: string, form: Record<string, string>, basic?: [string, string]) =>
      fetch(`${t.issuer}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(basic
            ? {
                authorization: `Basic ${Buffer.from(
                  `${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`,
                ).toString('base64')}`,
              }
            : {}),
        },
        body: new URLSearchParams(form).toString(),
      }),
    close: () => t.close(),
  };
}

export type OAuthFixture = Awaited<ReturnType<typeof startOAuthFixture>>;

/** The OAuth error a failed openid-client call saw: `{ status, error }` from the response. */
export async function oauthFailure(
  promise: Promise<unknown>,
): Promise<{ status: number; error: string; wwwAuthenticate: string | null }> {
  try {
    await promise;
  } catch (caught) {
    if (caught instanceof oidc.ResponseBodyError) {
      return {
        status: caught.status,
        error: caught.error,
        wwwAuthenticate: caught.response.headers.get('www-authenticate'),
      };
    }
    if (caught instanceof oidc.WWWAuthenticateChallengeError) {
      const body = (await caught.response.json()) as { error: string };
      return {
        status: caught.status,
        error: body.error,
        wwwAuthenticate: caught.response.headers.get('www-authenticate'),
      };
    }
    // openid-client reads OAuth error bodies of 4xx only; a 503's body is still there.
    const response = (caught as { cause?: unknown }).cause;
    if (response instanceof Response) {
      const body = (await response.json()) as { error: string };
      return {
        status: response.status,
        error: body.error,
        wwwAuthenticate: response.headers.get('www-authenticate'),
      };
    }
    throw caught;
  }
  assert.fail('expected the request to fail with an OAuth error');
}

/** The OAuth error JSON of a raw response. */
export async function oauthErrorOf(res: Response): Promise<{ status: number; error: string }> {
  const body = (await res.json()) as { error?: unknown };
  assert.equal(typeof body.error, 'string', `no OAuth error in ${JSON.stringify(body)}`);
  return { status: res.status, error: body.error as string };
}

export const headerOf = (token: string) => decodeProtectedHeader(token);
export const claimsOf = (token: string) => decodeJwt(token);

/** A back-channel logout receiver on 127.0.0.1: records every logout token POSTed to it. */
export async function startLogoutReceiver() {
  const received: Array<{ contentType: string | undefined; logoutToken: string | null }> = [];
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const server = await startLocalServer((req, res) => {
    void readBody(req).then((body) => {
      received.push({
        contentType: req.headers['content-type'],
        logoutToken: req.method === 'POST' ? new URLSearchParams(body).get('logout_token') : null,
      });
      res.statusCode = 200;
      res.setHeader('cache-control', 'no-store');
      res.end();
    });
  });
  return { url: `${server.url}/backchannel-logout`, received, close: () => server.close() };
}
