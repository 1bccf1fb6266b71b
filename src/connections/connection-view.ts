import { rfc3339 } from '../platform/admin/index.js';
import type { Connection } from './connection.js';

/**
 * The JSON shape of a connection (snake_case, flat like the create body). It never holds
 * the client secret nor its ciphertext: only `client_secret_set`.
 */

/** The type-specific, non-secret settings, as the API names them. */
export function settingsView(connection: Connection): Record<string, unknown> {
  if (connection.type === 'oidc') {
    const s = connection.settings;
    return {
      issuer: s.issuer,
      client_id: s.clientId,
      scopes: s.scopes,
      token_endpoint_auth_method: s.tokenEndpointAuthMethod,
      claim_mapping: {
        subject: s.claimMapping.subject,
        email: s.claimMapping.email,
        email_verified: s.claimMapping.emailVerified,
        name: s.claimMapping.name,
        groups: s.claimMapping.groups,
      },
      role_mapping: s.roleMapping,
      allow_any_email_domain: s.allowAnyEmailDomain,
    };
  }
  const s = connection.settings;
  return {
    idp_entity_id: s.idpEntityId,
    idp_sso_url: s.idpSsoUrl,
    idp_slo_url: s.idpSloUrl,
    idp_certificates: s.idpCertificates,
    idp_metadata_url: s.idpMetadataUrl,
    attribute_mapping: s.attributeMapping,
    name_id_format: s.nameIdFormat,
    identity_attribute: s.identityAttribute,
    sign_requests: s.signRequests,
    allow_idp_initiated: s.allowIdpInitiated,
    want_assertions_signed: s.wantAssertionsSigned,
    role_mapping: s.roleMapping,
    allow_any_email_domain: s.allowAnyEmailDomain,
  };
}

/** Latchkey's own SAML SP endpoints for a connection (served by the SAML login). */
export const spEndpoints = (issuer: string, connectionId: string) => {
  const base = `${issuer}/saml/${connectionId}`;
  return {
    entity_id: base,
    acs_url: `${base}/acs`,
    slo_url: `${base}/slo`,
    metadata_url: `${base}/metadata`,
  };
};

/**
 * Where an upstream OIDC provider sends the browser back: one redirect URI per connection,
 * so that an authorization response is known to come from that connection's provider even
 * when the provider does not send RFC 9207's `iss` (mix-up defence, RFC 9700 §4.4.2).
 */
export const oidcRedirectUri = (issuer: string, connectionId: string) =>
  `${issuer}/login/oidc/callback/${connectionId}`;

export function presentConnection(connection: Connection, issuer: string) {
  return {
    id: connection.id,
    org_id: connection.orgId,
    type: connection.type,
    name: connection.name,
    status: connection.status,
    client_secret_set: connection.clientSecretSet,
    ...settingsView(connection),
    ...(connection.type === 'oidc'
      ? { redirect_uri: oidcRedirectUri(issuer, connection.id) }
      : { sp: spEndpoints(issuer, connection.id) }),
    created_at: rfc3339(connection.createdAt),
    updated_at: rfc3339(connection.updatedAt),
  };
}
