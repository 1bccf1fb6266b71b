import * as client from 'openid-client';
import { AppError } from '../../platform/errors.js';
import { guardedFetch, type OutboundPolicy } from '../../platform/net/index.js';

/**
 * The only importer of openid-client: Latchkey as a relying party of a merchant's
 * OpenID Provider. Every upstream request (discovery, token, JWKS) goes through the
 * SSRF-guarded fetch with the outbound time and size limits; discovery and the JWKS are
 * cached per connection, and an ID token with an unknown `kid` makes openid-client
 * fetch the JWKS once more (it rate-limits that refetch itself).
 */
export interface UpstreamOidcConnection {
  id: string;
  version: number;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
}

export interface UpstreamIdentity {
  claims: Record<string, unknown>;
  /** The IdP's session id (`sid`), for OIDC logout. */
  sid: string | null;
}

/** Why an upstream login failed, as a stable reason code for the error page and audit. */
export class UpstreamError extends AppError {
  constructor(reason: string, message: string, cause?: unknown) {
    super(reason, message, { status: reason === 'idp_unreachable' ? 502 : 400, cause });
  }
}

const DISCOVERY_TTL_MS = 60 * 60_000;
/** The clock skew tolerated between Latchkey and an IdP when none is configured. */
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

interface OidcUpstreamDeps {
  policy: OutboundPolicy;
  /** The connection's own redirect URI (one per connection: the mix-up defence). */
  redirectUri: (connectionId: string) => string;
  clockToleranceSeconds?: number;
  /** Told of every request to an IdP (discovery, token, JWKS), for upstream latency metrics. */
  onRequest?: (request: { connectionId: string; ok: boolean }, seconds: number) => void;
}

/** fetch for openid-client: the guarded fetch, returning a standard Response. */
export function upstreamFetch(policy: OutboundPolicy): client.CustomFetch {
  return async (url, options) => {
    const res = await guardedFetch(url, policy, {
      method: (options.method as 'GET' | 'POST' | undefined) ?? 'GET',
      headers: headerRecord(options.headers),
      ...(typeof options.body === 'string'
        ? { body: options.body }
        : options.body instanceof URLSearchParams
          ? { body: options.body.toString() }
          : {}),
    });
    return new Response(
      res.status === 204 || res.status === 304 ? null : new Uint8Array(res.body),
      {
        status: res.status,
        headers: res.headers,
      },
    );
  };
}

/** The guarded fetch, timed per connection (ok: the IdP answered, with a status below 500). */
function timedFetch(
  guarded: client.CustomFetch,
  onRequest: OidcUpstreamDeps['onRequest'],
  connectionId: string,
): client.CustomFetch {
  return async (url, options) => {
    if (!onRequest) return guarded(url, options);
    const startNs = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - startNs) / 1e9;
    try {
      const res = await guarded(url, options);
      onRequest({ connectionId, ok: res.status < 500 }, seconds());
      return res;
    } catch (error) {
      onRequest({ connectionId, ok: false }, seconds());
      throw error;
    }
  };
}

/** The callback's checks and code exchange (see complete). */
async function exchangeCode(
  config: client.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
  clockToleranceSeconds: number,
): Promise<UpstreamIdentity> {
  const upstreamError = callbackUrl.searchParams.get('error');
  if (upstreamError) {
    const reason = /^[a-z_]{1,64}$/.test(upstreamError) ? upstreamError : 'idp_error';
    throw new UpstreamError(
      `idp_${reason}`.replace(/^idp_idp_/, 'idp_'),
      'The company sign-in service refused the sign-in.',
    );
  }
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
  } catch (error) {
    throw new UpstreamError(reasonOf(error), 'The company sign-in could not be verified.', error);
  }
  const claims = tokens.claims();
  if (!claims)
    throw new UpstreamError('id_token_missing', 'The company sign-in returned no identity.');
  // OIDC Core §3.1.3.7 step 10 leaves "too far away from the current time" to the client;
  // openid-client refuses an old iat, not one from the future (a clock set ahead, or a
  // token minted to outlive its exp window): beyond the clock tolerance it is refused.
  if (claims.iat > Math.floor(Date.now() / 1000) + clockToleranceSeconds) {
    throw new UpstreamError(
      'id_token_issued_in_future',
      'The company sign-in could not be verified.',
    );
  }
  return { claims: { ...claims }, sid: typeof claims.sid === 'string' ? claims.sid : null };
}

/**
 * openid-client's discovery of the connection's issuer (the document's `issuer` must be
 * the configured one), with the client's authentication and Latchkey's checks on.
 */
export function discoverIssuer(
  connection: UpstreamOidcConnection,
  options: {
    policy: OutboundPolicy;
    redirectUri: string;
    clockToleranceSeconds?: number;
    fetch: client.CustomFetch;
  },
): Promise<client.Configuration> {
  const auth =
    connection.tokenEndpointAuthMethod === 'client_secret_post'
      ? client.ClientSecretPost(connection.clientSecret)
      : client.ClientSecretBasic(connection.clientSecret);
  return client.discovery(
    new URL(connection.issuer),
    connection.clientId,
    {
      redirect_uris: [options.redirectUri],
      [client.clockTolerance]: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    },
    auth,
    {
      [client.customFetch]: options.fetch,
      timeout: Math.ceil(options.policy.timeoutMs / 1000),
      execute: [
        // OIDC Core §3.1.3.7 lets a client skip the ID token's signature when it came
        // straight from the token endpoint over TLS; Latchkey never does: signature,
        // algorithm and kid are checked against the IdP's JWKS every time.
        client.enableNonRepudiationChecks,
        // http is only ever let through by the guarded fetch, to loopback, in development.
        ...(options.policy.allowHttpLoopback ? [client.allowInsecureRequests] : []),
      ],
    },
  );
}

export function createOidcUpstream(deps: OidcUpstreamDeps) {
  const guarded = upstreamFetch(deps.policy);
  const configs = new Map<
    string,
    { version: number; at: number; config: Promise<client.Configuration> }
  >();

  const configFor = (connection: UpstreamOidcConnection): Promise<client.Configuration> => {
    const cached = configs.get(connection.id);
    if (
      cached &&
      cached.version === connection.version &&
      Date.now() - cached.at < DISCOVERY_TTL_MS
    ) {
      return cached.config;
    }
    const config = discoverIssuer(connection, {
      policy: deps.policy,
      redirectUri: deps.redirectUri(connection.id),
      clockToleranceSeconds: deps.clockToleranceSeconds,
      fetch: timedFetch(guarded, deps.onRequest, connection.id),
    }).catch((error: unknown) => {
      configs.delete(connection.id);
      throw new UpstreamError(
        'idp_unreachable',
        'The company sign-in service could not be reached.',
        error,
      );
    });
    configs.set(connection.id, { version: connection.version, at: Date.now(), config });
    return config;
  };

  const clockToleranceSeconds = deps.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;

  return {
    /** The clock skew tolerated with the IdP (exp, iat, auth_time). */
    clockToleranceSeconds,

    /** The URL that sends the browser to the IdP, with PKCE S256, state and nonce. */
    async authorizationUrl(
      connection: UpstreamOidcConnection,
      checks: {
        state: string;
        nonce: string;
        codeVerifier: string;
        loginHint?: string | null;
        /** OIDC Core §3.1.2.1 acr_values, in order of preference (none: not sent). */
        acrValues?: string[];
        /** OIDC Core §3.1.2.1 max_age (seconds), when a fresh authentication is needed. */
        maxAgeSeconds?: number | null;
      },
    ): Promise<string> {
      const config = await configFor(connection);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: deps.redirectUri(connection.id),
        scope: connection.scopes.join(' '),
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        ...(checks.loginHint ? { login_hint: checks.loginHint } : {}),
        ...(checks.acrValues?.length ? { acr_values: checks.acrValues.join(' ') } : {}),
        ...(typeof checks.maxAgeSeconds === 'number'
          ? { max_age: String(checks.maxAgeSeconds) }
          : {}),
      });
      return url.toString();
    },

    /**
     * The callback: openid-client checks state, issuer (RFC 9207 `iss` when the IdP
     * advertises it), the code exchange with PKCE, and the ID token (signature against
     * the IdP's JWKS, alg, iss, aud, exp, iat, nonce). Returns the ID token claims.
     */
    async complete(
      connection: UpstreamOidcConnection,
      callbackUrl: URL,
      checks: { state: string; nonce: string; codeVerifier: string },
    ): Promise<UpstreamIdentity> {
      const config = await configFor(connection);
      return exchangeCode(config, callbackUrl, checks, clockToleranceSeconds);
    },

    /** Forget cached discovery (connection changed or removed). */
    forget(connectionId: string): void {
      configs.delete(connectionId);
    },
  };
}

function headerRecord(init: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init as ConstructorParameters<typeof Headers>[0]).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * openid-client's error, as a reason code that says what failed without details.
 * openid-client wraps oauth4webapi's error (whose message and `cause.claim` carry the
 * detail) as its `cause`, and keeps oauth4webapi's `code`.
 */
export function reasonOf(error: unknown): string {
  if (error instanceof AppError)
    return error.code === 'outbound_timeout' ? 'idp_timeout' : 'idp_unreachable';
  const outer = error as { code?: unknown; error?: unknown; cause?: unknown };
  const inner = (outer.cause instanceof Error ? outer.cause : error) as {
    message?: unknown;
    cause?: { claim?: unknown };
  };
  const message = typeof inner.message === 'string' ? inner.message : '';
  const claim = inner.cause?.claim ?? /"(\w+)"/.exec(message)?.[1];
  switch (outer.code) {
    case 'OAUTH_RESPONSE_BODY_ERROR':
      return outer.error === 'invalid_grant' ? 'code_rejected' : 'idp_error';
    case 'OAUTH_AUTHORIZATION_RESPONSE_ERROR':
      return 'idp_error';
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return 'id_token_expired';
    case 'OAUTH_KEY_SELECTION_FAILED':
      return 'id_token_unknown_key';
    case 'OAUTH_UNSUPPORTED_OPERATION':
      return 'id_token_algorithm_invalid';
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
    case 'OAUTH_INVALID_RESPONSE':
    default:
      if (claim === 'iss') return 'issuer_mismatch';
      if (claim === 'aud' || claim === 'azp') return 'audience_mismatch';
      if (claim === 'nonce') return 'nonce_mismatch';
      if (claim === 'state') return 'state_mismatch';
      if (claim === 'alg') return 'id_token_algorithm_invalid';
      if (claim === 'exp' || claim === 'iat' || claim === 'nbf') return 'id_token_expired';
      if (/signature/i.test(message)) return 'id_token_signature_invalid';
      return 'id_token_invalid';
  }
}
