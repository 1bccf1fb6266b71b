import { oauthError } from './oauth-errors.js';
import { SCOPE_TOKEN } from './params.js';
import type { OAuthClient } from './ports.js';

/** RFC 6749 §3.3: requested scope must be within what the client may have. */
export function grantedScope(requested: string | undefined, client: OAuthClient): string[] {
  const scope = requested === undefined ? ['openid'] : requested.split(' ').filter(Boolean);
  if (requested !== undefined && (scope.length === 0 || !scope.every((s) => SCOPE_TOKEN.test(s))))
    throw oauthError('invalid_scope', 'The scope parameter is malformed.');
  const outside = scope.filter((s) => !client.allowedScopes.includes(s));
  if (outside.length)
    throw oauthError('invalid_scope', `Scope not allowed for this client: ${outside.join(' ')}.`);
  return [...new Set(scope)];
}

/** RFC 9068 §3 aud / RFC 8707 resource: one or more of the client's audiences. */
export function grantedAudience(requested: string | undefined, client: OAuthClient): string[] {
  if (requested === undefined)
    return client.allowedAudiences.length ? client.allowedAudiences : [client.id];
  if (!client.allowedAudiences.includes(requested))
    throw oauthError('invalid_target', `Audience not allowed for this client: ${requested}.`);
  return [requested];
}
