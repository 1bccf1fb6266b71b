/**
 * An org's SSO connection to its upstream identity provider, OIDC or SAML. Settings are
 * the non-secret configuration (stored as JSON); the OIDC client secret is sealed
 * (AES-256-GCM, the connection id as additional data) in its own column.
 */
export type ConnectionStatus = 'draft' | 'active' | 'disabled';

export interface OidcClaimMapping {
  subject: string;
  email: string;
  emailVerified: string;
  name: string;
  groups: string;
}

/** Latchkey's levels of assurance, weakest first (federation/assurance.ts, docs/assurance.md). */
export const ASSURANCE_LEVELS = [
  'urn:latchkey:loa:pwd',
  'urn:latchkey:loa:mfa',
  'urn:latchkey:loa:phr',
] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];

/**
 * How a connection's IdP proves assurance (docs/assurance.md): its own values mapped to
 * Latchkey's levels (read before the defaults), and what to ask it for when a level is
 * required (OIDC acr_values; SAML RequestedAuthnContext with its Comparison).
 */
export interface ConnectionAssurance {
  mapping: Record<string, AssuranceLevel>;
  request: { mfa?: string[]; phr?: string[]; comparison?: 'exact' | 'minimum' };
}

export const DEFAULT_CONNECTION_ASSURANCE: ConnectionAssurance = { mapping: {}, request: {} };

export interface OidcSettings {
  issuer: string;
  clientId: string;
  scopes: string[];
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  claimMapping: OidcClaimMapping;
  /** Upstream group → Latchkey role. */
  roleMapping: Record<string, string>;
  /** Off: the asserted email's domain must be one of the org's verified domains. */
  allowAnyEmailDomain: boolean;
  /** Absent on rows stored before it existed: DEFAULT_CONNECTION_ASSURANCE. */
  assurance?: ConnectionAssurance;
}

export const NAME_ID_FORMATS = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
} as const;
export type NameIdFormat = Exclude<
  (typeof NAME_ID_FORMATS)[keyof typeof NAME_ID_FORMATS],
  typeof NAME_ID_FORMATS.transient
>;

export interface SamlAttributeMapping {
  email: string;
  name: string;
  groups: string;
}

export interface SamlSettings {
  idpEntityId: string;
  /** The IdP's SingleSignOnService for the HTTP-Redirect binding. */
  idpSsoUrl: string;
  idpSloUrl: string | null;
  /** PEM; the IdP's signing certificates (several during a rotation). */
  idpCertificates: string[];
  /** Where the metadata came from, when it came from a URL. */
  idpMetadataUrl: string | null;
  attributeMapping: SamlAttributeMapping;
  nameIdFormat: NameIdFormat;
  /** An attribute that identifies the user instead of the NameID. */
  identityAttribute: string | null;
  signRequests: boolean;
  allowIdpInitiated: boolean;
  /**
   * The assertion itself must carry a valid signature (a signed response around an
   * unsigned assertion is then refused). Rows stored before this setting existed read as true.
   */
  wantAssertionsSigned: boolean;
  roleMapping: Record<string, string>;
  allowAnyEmailDomain: boolean;
  /** Absent on rows stored before it existed: DEFAULT_CONNECTION_ASSURANCE. */
  assurance?: ConnectionAssurance;
}

interface ConnectionBase {
  id: string;
  orgId: string;
  name: string;
  status: ConnectionStatus;
  /** Whether a client secret is sealed in the row; the secret itself never leaves it. */
  clientSecretSet: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type OidcConnection = ConnectionBase & { type: 'oidc'; settings: OidcSettings };
export type SamlConnection = ConnectionBase & { type: 'saml'; settings: SamlSettings };
export type Connection = OidcConnection | SamlConnection;

/** What a login needs: the settings and, for OIDC, the opened client secret. Never sent over HTTP. */
export type ConnectionForLogin =
  (OidcConnection & { clientSecret: string | null }) | (SamlConnection & { clientSecret: null });

export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];

export const DEFAULT_OIDC_CLAIM_MAPPING: OidcClaimMapping = {
  subject: 'sub',
  email: 'email',
  emailVerified: 'email_verified',
  name: 'name',
  groups: 'groups',
};

export const DEFAULT_SAML_ATTRIBUTE_MAPPING: SamlAttributeMapping = {
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
};

/** draft → active → disabled ⇄ active; a draft may also be shelved as disabled. */
export const STATUS_TRANSITIONS: Record<ConnectionStatus, readonly ConnectionStatus[]> = {
  draft: ['active', 'disabled'],
  active: ['disabled'],
  disabled: ['active'],
};
