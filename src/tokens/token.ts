import { GRANTS, isGrantType } from './grants/index.js';
import type { TokenResponse } from './issue-tokens.js';
import { oauthError } from './oauth-errors.js';
import { required, type Params } from './params.js';
import type { OAuthClient } from './ports.js';
import type { ProviderContext } from './provider-context.js';

/**
 * RFC 6749 §3.2: the token endpoint. The client is already authenticated; the grant type
 * must be one of the registry's (grants/index.ts) and one the client registered, and the
 * grant's own checks do the rest.
 */
export async function issueTokens(
  ctx: ProviderContext,
  params: Params,
  client: OAuthClient,
): Promise<TokenResponse> {
  const grantType = required(params, 'grant_type');
  if (!isGrantType(grantType))
    throw oauthError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
  // RFC 6749 §5.2: a grant the client did not register is unauthorized_client.
  if (!client.grantTypes.includes(grantType))
    throw oauthError('unauthorized_client', `This client may not use grant_type ${grantType}.`);
  return GRANTS[grantType].exchange(ctx, params, client);
}
