import { bearerRefusal } from './oauth-errors.js';
import type { ProviderContext } from './provider-context.js';

const invalidToken = (detail: string) => bearerRefusal('invalid_token', detail);

/**
 * A request to one of Latchkey's own resource servers (the Shared Signals transmitter):
 * its bearer token must be a live access token of ours (RFC 9068 §4: our signature,
 * typ, not expired, not revoked by jti nor cut off with its client) naming this resource
 * in `aud`, issued to an active client, and carrying the scope. Answers the client's id
 * and when the token expires (a long-lived response, such as a feed, ends then).
 */
export async function authenticateResourceRequest(
  ctx: ProviderContext,
  authorization: string | undefined,
  required: { audience: string; scope: string },
): Promise<{ clientId: string; expiresInMs: number }> {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization ?? '');
  if (!match) {
    throw bearerRefusal('missing', 'A bearer access token is required.');
  }
  const claims = await ctx.verifyOwnToken(match[1]!, 'at+jwt');
  if (!claims || typeof claims.client_id !== 'string')
    throw invalidToken('Not an access token Latchkey issued, or expired.');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(required.audience))
    throw invalidToken(`The access token is not meant for ${required.audience}.`);
  const [revoked, cutOff, client] = await Promise.all([
    typeof claims.jti === 'string' ? ctx.isJtiRevoked(claims.jti) : true,
    ctx.isClientCutOff(claims),
    ctx.clients.get(claims.client_id),
  ]);
  if (revoked || cutOff) throw invalidToken('The access token was revoked.');
  if (!client?.active) throw invalidToken('The client is unknown or disabled.');
  const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scope.includes(required.scope)) {
    throw bearerRefusal(
      'insufficient_scope',
      `The access token lacks the ${required.scope} scope.`,
      required.scope,
    );
  }
  return { clientId: client.id, expiresInMs: Number(claims.exp) * 1000 - ctx.clock.nowMs() };
}
