import type { AuditedResource } from './admin-event.js';
import type { Client } from './client-store.js';
import { rfc3339 } from '../platform/admin/index.js';

/**
 * What a client is registered for (no secret): where it may send browsers back, which
 * grants, scopes and audiences it may use, and how long its access tokens live. The
 * audit view and the OAuth endpoints' view of a client (wiring.ts) both hold these.
 */
export const clientRegistration = (client: Client) => ({
  redirectUris: client.redirectUris,
  postLogoutRedirectUris: client.postLogoutRedirectUris,
  grantTypes: client.grantTypes,
  backchannelLogoutUri: client.backchannelLogoutUri,
  allowedScopes: client.allowedScopes,
  allowedAudiences: client.allowedAudiences,
  accessTokenTtlSeconds: client.accessTokenTtlSeconds,
  defaultAcrValues: client.defaultAcrValues,
});

/** How a client appears in the audit trail: flat, without secrets, so a change set names what changed. */
export const CLIENT_AUDIT: AuditedResource<Client> = {
  targetType: 'oauth_client',
  // Clients are the platform's, not an org's: their events join the platform chain.
  orgIdOf: () => null,
  view: (client) => ({
    name: client.name,
    type: client.type,
    status: client.status,
    ...clientRegistration(client),
  }),
};

/** The admin view of a client: never a secret, only the secrets' metadata. */
export const presentClient = (client: Client) => ({
  id: client.id,
  name: client.name,
  type: client.type,
  status: client.status,
  redirect_uris: client.redirectUris,
  post_logout_redirect_uris: client.postLogoutRedirectUris,
  grant_types: client.grantTypes,
  backchannel_logout_uri: client.backchannelLogoutUri,
  allowed_scopes: client.allowedScopes,
  allowed_audiences: client.allowedAudiences,
  access_token_ttl_seconds: client.accessTokenTtlSeconds,
  default_acr_values: client.defaultAcrValues,
  secrets: client.secrets.map((secret) => ({
    id: secret.id,
    created_at: rfc3339(secret.createdAt),
    expires_at: rfc3339(secret.expiresAt),
  })),
  created_at: rfc3339(client.createdAt),
  updated_at: rfc3339(client.updatedAt),
});
