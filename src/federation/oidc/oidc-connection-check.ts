import * as client from 'openid-client';
import type { ConnectionCheck, OidcConnectionCheck } from '../../connections/index.js';
import { AppError } from '../../platform/errors.js';
import { guardedFetch, type OutboundPolicy } from '../../platform/net/index.js';
import { upstreamConnectionOf } from './callback-checks.js';
import { discoverIssuer, reasonOf, upstreamFetch } from './oidc-upstream.js';

/** A code no IdP issued: the token endpoint must refuse it, and says why. */
const PROBE_CODE = 'latchkey-connection-check';
const SIGNING_KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);

const passed = (check: string, message: string): ConnectionCheck => ({ check, ok: true, message });
const failed = (check: string, reason: string, message: string): ConnectionCheck => ({
  check,
  ok: false,
  reason,
  message,
});

/** The most telling message of an error's cause chain: Latchkey's own (the guarded fetch's) first. */
function causeMessage(error: unknown): string {
  const messages: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof AppError) return e.message;
    messages.push(e.message);
  }
  return messages.at(-1) ?? 'no answer';
}

/** oauth4webapi's refusal of a discovery document whose `issuer` is not the configured one. */
const isIssuerMismatch = (error: unknown) => {
  const { code, cause } = error as { code?: unknown; cause?: { attribute?: unknown } };
  return code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && cause?.attribute === 'issuer';
};

/** The IdP's JWKS holds at least one key an ID token can be verified with. */
async function jwksCheck(jwksUri: string | undefined, policy: OutboundPolicy) {
  if (!jwksUri) return failed('jwks', 'jwks_unusable', 'The discovery document has no jwks_uri.');
  try {
    const res = await guardedFetch(jwksUri, policy, { headers: { accept: 'application/json' } });
    if (res.status !== 200) {
      return failed('jwks', 'jwks_unusable', `${jwksUri} answered HTTP ${res.status}.`);
    }
    const { keys } = JSON.parse(Buffer.from(res.body).toString('utf8')) as { keys?: unknown };
    const signing = (Array.isArray(keys) ? keys : []).filter(
      (key: { kty?: unknown; use?: unknown }) =>
        typeof key?.kty === 'string' && SIGNING_KEY_TYPES.has(key.kty) && key.use !== 'enc',
    );
    return signing.length
      ? passed('jwks', `${signing.length} signing key(s) at ${jwksUri}.`)
      : failed('jwks', 'jwks_unusable', `${jwksUri} holds no signing key.`);
  } catch (error) {
    const why = error instanceof AppError ? error.message : 'not a JSON Web Key Set';
    return failed('jwks', 'jwks_unusable', `${jwksUri}: ${why}.`);
  }
}

/** The `error` of a WWW-Authenticate challenge openid-client threw (its first challenge). */
const challengeError = (error: unknown): unknown =>
  (error as { cause?: Array<{ parameters?: { error?: unknown } }> }).cause?.[0]?.parameters?.error;

/**
 * The client id and secret, tried at the token endpoint with a code no IdP issued: an IdP
 * authenticates the client before it looks at the code, so `invalid_client` means the
 * credentials are wrong and `invalid_grant` means they are right.
 */
async function clientCheck(config: client.Configuration, redirectUri: string) {
  try {
    await client.genericGrantRequest(config, 'authorization_code', {
      code: PROBE_CODE,
      redirect_uri: redirectUri,
    });
    return failed(
      'client_authentication',
      'idp_error',
      'The token endpoint accepted a code it never issued.',
    );
  } catch (error) {
    const { code, error: answer } = error as { code?: unknown; error?: unknown };
    if (code === 'OAUTH_RESPONSE_BODY_ERROR' && answer === 'invalid_grant') {
      return passed('client_authentication', 'The IdP accepted the client id and secret.');
    }
    // RFC 6749 §5.2: a client that authenticated with HTTP Basic is refused with 401 and a
    // WWW-Authenticate challenge, which openid-client throws apart from a body error.
    const challenged =
      code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' && challengeError(error) === 'invalid_client';
    if (challenged || (code === 'OAUTH_RESPONSE_BODY_ERROR' && answer === 'invalid_client')) {
      return failed(
        'client_authentication',
        'client_rejected',
        'The IdP refused the client id or secret (invalid_client).',
      );
    }
    if (code === 'OAUTH_RESPONSE_BODY_ERROR' && answer === 'unauthorized_client') {
      return failed(
        'client_authentication',
        'client_rejected',
        'The IdP does not allow this client the authorization code flow (unauthorized_client).',
      );
    }
    // Any other answer says nothing certain about the credentials: not a refusal.
    const what = typeof answer === 'string' ? answer : reasonOf(error);
    return passed('client_authentication', `Not confirmed: the token endpoint answered ${what}.`);
  }
}

/**
 * The live checks of an OIDC connection: discovery (reachable, `issuer` exactly the
 * configured one), the JWKS, and the client's credentials at the token endpoint.
 */
export function createOidcConnectionCheck(deps: {
  policy: OutboundPolicy;
  redirectUri: (connectionId: string) => string;
}): OidcConnectionCheck {
  const fetch = upstreamFetch(deps.policy);
  return async (connection) => {
    if (!connection.clientSecret) {
      return [failed('client_authentication', 'client_secret_missing', 'No client secret is set.')];
    }
    const redirectUri = deps.redirectUri(connection.id);
    const upstream = upstreamConnectionOf({ ...connection, clientSecret: connection.clientSecret });
    let config: client.Configuration;
    try {
      config = await discoverIssuer(upstream, { policy: deps.policy, redirectUri, fetch });
    } catch (error) {
      const reason = isIssuerMismatch(error) ? 'issuer_mismatch' : 'idp_unreachable';
      const detail = causeMessage(error);
      return [
        failed(
          'discovery',
          reason,
          `${connection.settings.issuer}/.well-known/openid-configuration: ${detail}`,
        ),
      ];
    }
    const metadata = config.serverMetadata();
    return [
      passed('discovery', `${metadata.issuer} publishes its configuration.`),
      await jwksCheck(metadata.jwks_uri, deps.policy),
      await clientCheck(config, redirectUri),
    ];
  };
}
