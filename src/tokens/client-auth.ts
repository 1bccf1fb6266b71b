import type { ClientRegistry } from './ports.js';
import { invalidClient, oauthError } from './oauth-errors.js';
import type { AuthenticatedClient, Params } from './oauth-service.js';

/**
 * RFC 6749 §2.3: client authentication at the token, introspection and revocation
 * endpoints. Exactly one method per request: HTTP Basic (client_secret_basic), body
 * parameters (client_secret_post), or, for public clients only, client_id alone.
 */
/**
 * The backoff of failed secret checks around one presented client id and secret
 * (platform/rate-limit's CredentialBackoff, bound to the request's address).
 */
export interface SecretCheckGuard {
  check(clientId: string): Promise<void>;
  failed(clientId: string): Promise<void>;
  succeeded(clientId: string): Promise<void>;
}

export async function authenticateClient(
  clients: ClientRegistry,
  authorization: string | undefined,
  params: Params,
  options: { allowPublic: boolean; guard?: SecretCheckGuard },
): Promise<AuthenticatedClient> {
  const { guard } = options;
  /** A secret checked inside its backoff: refused (429) while one runs, each failure counted. */
  const withSecret = async (id: string, secret: string) => {
    await guard?.check(id);
    const client = await clients.authenticate(id, secret);
    if (client) await guard?.succeeded(id);
    else await guard?.failed(id);
    return client;
  };
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  const bodyId = params.client_id;
  const bodySecret = params.client_secret;
  if (authorization !== undefined && !basic) throw invalidClient(true);
  if (typeof bodyId !== 'string' && bodyId !== undefined)
    throw oauthError('invalid_request', 'client_id must appear once.');
  if (typeof bodySecret !== 'string' && bodySecret !== undefined) {
    throw oauthError('invalid_request', 'client_secret must appear once.');
  }

  if (basic) {
    if (bodySecret !== undefined)
      throw oauthError('invalid_request', 'Use one client authentication method, not two.');
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient(true);
    let id: string;
    let secret: string;
    try {
      // Appendix B: both halves are form-urlencoded before base64.
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw invalidClient(true);
    }
    if (bodyId !== undefined && bodyId !== id)
      throw oauthError('invalid_request', 'client_id does not match the credentials.');
    const client = await withSecret(id, secret);
    if (!client) throw invalidClient(true);
    return { client, method: 'client_secret_basic' };
  }

  if (bodyId === undefined) throw invalidClient(false);
  if (bodySecret !== undefined) {
    const client = await withSecret(bodyId, bodySecret);
    if (!client) throw invalidClient(false);
    return { client, method: 'client_secret_post' };
  }
  const client = await clients.get(bodyId);
  // A confidential client must prove itself; a public one may only identify itself.
  if (!client?.active || client.type !== 'public' || !options.allowPublic)
    throw invalidClient(false);
  return { client, method: 'none' };
}
