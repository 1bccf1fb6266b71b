import type { TokenResponse } from '../issue-tokens.js';
import { oauthError, type OAuthError, type OAuthErrorCode } from '../oauth-errors.js';
import type { Params } from '../params.js';
import type { OAuthClient } from '../ports.js';
import type { ProviderContext } from '../provider-context.js';

/**
 * One named check of a grant (node-oidc-provider's check_pkce, check_redirect_uri): what
 * it enforces is its comment, `error` the OAuth error code it refuses with, `spec` where
 * the rule comes from. It returns the refusal's detail (logged, never shown), or null.
 */
export interface GrantCheck<Input> {
  name: string;
  error: OAuthErrorCode;
  spec: string;
  check(input: Input, ctx: ProviderContext): string | null | Promise<string | null>;
}

/** The first check in order that refuses, as the OAuthError to throw; null if all pass. */
export async function firstRefusal<Input>(
  checks: readonly GrantCheck<Input>[],
  input: Input,
  ctx: ProviderContext,
): Promise<OAuthError | null> {
  for (const check of checks) {
    const detail = await check.check(input, ctx);
    if (detail !== null) return oauthError(check.error, detail);
  }
  return null;
}

/** Runs the checks in order; the first that refuses throws its OAuthError. */
export async function runGrantChecks<Input>(
  checks: readonly GrantCheck<Input>[],
  input: Input,
  ctx: ProviderContext,
): Promise<void> {
  const refusal = await firstRefusal(checks, input, ctx);
  if (refusal) throw refusal;
}

/**
 * A grant type of the token endpoint (RFC 6749 §4, §6 and their extensions). The token
 * endpoint has already authenticated the client and checked it registered this grant.
 */
export interface Grant {
  /** Where the grant is defined. */
  spec: string;
  /** Exchanges the request's parameters for tokens, or throws an OAuthError. */
  exchange(ctx: ProviderContext, params: Params, client: OAuthClient): Promise<TokenResponse>;
}
