import {
  DEFAULT_CONNECTION_ASSURANCE,
  DEFAULT_OIDC_CLAIM_MAPPING,
  type ConnectionAssurance,
  DEFAULT_OIDC_SCOPES,
  DEFAULT_SAML_ATTRIBUTE_MAPPING,
  NAME_ID_FORMATS,
  type OidcClaimMapping,
  type OidcSettings,
  type SamlSettings,
} from './connection.js';
import type {
  CreateOidcInput,
  CreateSamlInput,
  UpdateOidcInput,
  UpdateSamlInput,
} from './connection-input.js';
import type { IdpSettings, IdpSourceInput } from './saml-idp-source.js';

/**
 * Stored settings from validated input: defaults on create, the current values under a
 * partial update. Unset fields never erase anything; `null` clears the nullable ones.
 */

const claimMappingOf = (
  input: Partial<Record<'subject' | 'email' | 'email_verified' | 'name' | 'groups', string>>,
  base: OidcClaimMapping,
): OidcClaimMapping => ({
  subject: input.subject ?? base.subject,
  email: input.email ?? base.email,
  emailVerified: input.email_verified ?? base.emailVerified,
  name: input.name ?? base.name,
  groups: input.groups ?? base.groups,
});

/** Assurance settings from input over a base: each of mapping and request replaced whole. */
const assuranceOf = (
  input:
    | { mapping?: ConnectionAssurance['mapping']; request?: ConnectionAssurance['request'] }
    | undefined,
  base: ConnectionAssurance | undefined,
): ConnectionAssurance => ({
  mapping: input?.mapping ?? base?.mapping ?? DEFAULT_CONNECTION_ASSURANCE.mapping,
  request: input?.request ?? base?.request ?? DEFAULT_CONNECTION_ASSURANCE.request,
});

export function createSettingsBuilder(idpSource: {
  resolve(input: IdpSourceInput): Promise<Partial<IdpSettings> | null>;
}) {
  return {
    oidcOnCreate: (input: CreateOidcInput): OidcSettings => ({
      issuer: input.issuer,
      clientId: input.client_id,
      scopes: input.scopes ?? [...DEFAULT_OIDC_SCOPES],
      tokenEndpointAuthMethod: input.token_endpoint_auth_method ?? 'client_secret_basic',
      claimMapping: claimMappingOf(input.claim_mapping ?? {}, DEFAULT_OIDC_CLAIM_MAPPING),
      roleMapping: input.role_mapping ?? {},
      allowAnyEmailDomain: input.allow_any_email_domain ?? false,
      assurance: assuranceOf(input.assurance, undefined),
    }),

    /** May fetch the IdP's metadata (a metadata URL is fetched when it is given). */
    async samlOnCreate(input: CreateSamlInput): Promise<SamlSettings> {
      // The create schema demands one complete IdP source, so every field is there.
      const idp = (await idpSource.resolve(input)) as IdpSettings;
      return {
        idpEntityId: idp.idpEntityId,
        idpSsoUrl: idp.idpSsoUrl,
        idpSloUrl: idp.idpSloUrl ?? null,
        idpCertificates: idp.idpCertificates,
        idpMetadataUrl: idp.idpMetadataUrl ?? null,
        attributeMapping: { ...DEFAULT_SAML_ATTRIBUTE_MAPPING, ...input.attribute_mapping },
        nameIdFormat: input.name_id_format ?? NAME_ID_FORMATS.emailAddress,
        identityAttribute: input.identity_attribute ?? null,
        signRequests: input.sign_requests ?? true,
        allowIdpInitiated: input.allow_idp_initiated ?? false,
        wantAssertionsSigned: input.want_assertions_signed ?? true,
        roleMapping: input.role_mapping ?? {},
        allowAnyEmailDomain: input.allow_any_email_domain ?? false,
        assurance: assuranceOf(input.assurance, undefined),
      };
    },

    oidcUpdated: (before: OidcSettings, input: UpdateOidcInput): OidcSettings => ({
      issuer: input.issuer ?? before.issuer,
      clientId: input.client_id ?? before.clientId,
      scopes: input.scopes ?? before.scopes,
      tokenEndpointAuthMethod: input.token_endpoint_auth_method ?? before.tokenEndpointAuthMethod,
      claimMapping: claimMappingOf(input.claim_mapping ?? {}, before.claimMapping),
      roleMapping: input.role_mapping ?? before.roleMapping,
      allowAnyEmailDomain: input.allow_any_email_domain ?? before.allowAnyEmailDomain,
      assurance: assuranceOf(input.assurance, before.assurance),
    }),

    async samlUpdated(before: SamlSettings, input: UpdateSamlInput): Promise<SamlSettings> {
      const idp = (await idpSource.resolve(input)) ?? {};
      return {
        ...before,
        ...idp,
        attributeMapping: { ...before.attributeMapping, ...input.attribute_mapping },
        nameIdFormat: input.name_id_format ?? before.nameIdFormat,
        identityAttribute:
          input.identity_attribute === undefined
            ? before.identityAttribute
            : input.identity_attribute,
        signRequests: input.sign_requests ?? before.signRequests,
        allowIdpInitiated: input.allow_idp_initiated ?? before.allowIdpInitiated,
        wantAssertionsSigned: input.want_assertions_signed ?? before.wantAssertionsSigned,
        roleMapping: input.role_mapping ?? before.roleMapping,
        allowAnyEmailDomain: input.allow_any_email_domain ?? before.allowAnyEmailDomain,
        assurance: assuranceOf(input.assurance, before.assurance),
      };
    },
  };
}
