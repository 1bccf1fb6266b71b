import { basicAuthorization } from './receiver-token.js';
import { TokenValidationError } from './validator-types.js';

const INTROSPECTION_TIMEOUT_MS = 3_000;

/**
 * RFC 7662 token introspection at `<issuer>/oauth/introspect`, asked only when the
 * revocation view is stale: whether Latchkey still counts the token active. Any failure to
 * get an answer is `validator_unavailable` (fail closed).
 */
export function createIntrospection(options: {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof globalThis.fetch;
}) {
  const unavailable = () =>
    new TokenValidationError(
      'validator_unavailable',
      'Revocations cannot be checked; try again shortly.',
    );
  return async (token: string): Promise<boolean> => {
    let body: { active?: unknown };
    try {
      const response = await options.fetch(`${options.baseUrl}/oauth/introspect`, {
        method: 'POST',
        headers: {
          authorization: basicAuthorization(options.clientId, options.clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(INTROSPECTION_TIMEOUT_MS),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw unavailable();
      }
      body = (await response.json()) as { active?: unknown };
    } catch {
      throw unavailable();
    }
    if (typeof body.active !== 'boolean') throw unavailable();
    return body.active;
  };
}
