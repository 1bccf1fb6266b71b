import { rfc3339 } from '../platform/admin/index.js';
import { DEFAULT_CONNECTION_ASSURANCE, type Connection } from './connection.js';

/**
 * The JSON shape of a connection (snake_case, flat like the create body). It never holds
 * the client secret nor its ciphertext: only `client_secret_set`.
 */

/** A settings field's API name: snake_case ("idpSsoUrl" → "idp_sso_url"). */
const apiName = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The named fields of a settings object under their API names, in that order. */
const apiFields = <S extends object>(settings: S, fields: readonly (keyof S & string)[]) =>
  Object.fromEntries(fields.map((field) => [apiName(field), settings[field]]));

/** The type-specific, non-secret settings, as the API names them. */
export function settingsView(connection: Connection): Record<string, unknown> {
  if (connection.type === 'oidc') {
    const s = connection.settings;
    return {
      ...apiFields(s, ['issuer', 'clientId', 'scopes', 'tokenEndpointAuthMethod']),
      claim_mapping: apiFields(s.claimMapping, [
        'subject',
        'email',
        'emailVerified',
        'name',
        'groups',
      ]),
      ...apiFields(s, ['roleMapping', 'allowAnyEmailDomain']),
      assurance: s.assurance ?? DEFAULT_CONNECTION_ASSURANCE,
    };
  }
  return {
    ...apiFields(connection.settings, [
      'idpEntityId',
      'idpSsoUrl',
      'idpSloUrl',
      'idpCertificates',
      'idpMetadataUrl',
      'attributeMapping',
      'nameIdFormat',
      'identityAttribute',
      'signRequests',
      'allowIdpInitiated',
      'wantAssertionsSigned',
      'roleMapping',
      'allowAnyEmailDomain',
    ]),
    assurance: connection.settings.assurance ?? DEFAULT_CONNECTION_ASSURANCE,
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
