export {
  createConnectionService,
  type ConnectionService,
  type CreateOptions as ConnectionCreateOptions,
  type OutboundPolicy,
} from './connection-service.js';
export { connectionsRouter, CONNECTION_LARGE_BODY } from './connections.routes.js';
export {
  connectionChecker,
  type ConnectionCheck,
  type ConnectionChecker,
  type OidcConnectionCheck,
} from './connection-checks.js';
export { DEFAULT_OIDC_CLAIM_MAPPING, DEFAULT_OIDC_SCOPES, NAME_ID_FORMATS } from './connection.js';
export { MAX_METADATA_BYTES } from './saml-metadata.js';
export { ASSURANCE_LEVELS, DEFAULT_CONNECTION_ASSURANCE } from './connection.js';
export type {
  AssuranceLevel,
  Connection,
  ConnectionAssurance,
  ConnectionForLogin,
  ConnectionStatus,
  NameIdFormat,
  OidcClaimMapping,
  OidcConnection,
  OidcSettings,
  SamlAttributeMapping,
  SamlConnection,
  SamlSettings,
} from './connection.js';
export { oidcRedirectUri, spEndpoints } from './connection-view.js';
export { roleMapping } from './connection-input.js';
export {
  createSamlMetadataRefresh,
  CERTIFICATE_EXPIRY_WARNING_MS,
  type SamlMetadataRefresh,
} from './saml-metadata-refresh.js';
