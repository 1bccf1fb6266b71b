/**
 * What the setup portal's SSO step tells an IT admin for each identity provider: where in
 * that IdP's admin UI to go, what the IdP calls each value Latchkey gives, the attribute
 * statements (SAML) or claims (OIDC) to send, and where to find what to bring back. The
 * values themselves (ACS URL, entity id, redirect URI) are the connection's own, shown
 * beside these labels (src/http/views/portal-sso-pages.ts).
 *
 * Okta and Microsoft Entra ID offer both protocols; SAML is their default here because
 * both send groups in a SAML assertion without extra authorization-server setup, and the
 * other protocol is one link away. Every other IdP is SAML-first (Google Workspace's OIDC
 * carries no groups; ADFS, PingFederate, OneLogin and JumpCloud are set up for SAML apps).
 */

/** The SAML attribute names a connection reads email, name and groups from. */
export interface GuideAttributes {
  email: string;
  name: string;
  groups: string;
}

/**
 * A guide's words are said in the portal page's language: a field holding a
 * `portal.guide.*` key is that message of the portal's catalog
 * (src/http/i18n/catalogs/portal-setup/); any other text is a name as the IdP's own admin
 * UI shows it (in English), which the page shows as it is.
 */
export type GuideText = string;

interface GuideBase {
  /** The path segment: /portal/sso/new/<slug>. */
  slug: string;
  /** The IdP's own name (a message for the generic guides). */
  idp: GuideText;
  /** What the list of IdPs offers it as. */
  choice: GuideText;
  /** The connection's default name. */
  defaultName: string;
  /** The same IdP over the other protocol, when it offers both. */
  alternative: string | null;
  /** Where to go in the IdP's admin UI, in order, before entering the values. */
  steps: GuideText[];
  /** Where to find the values to bring back to the portal. */
  bringBack: GuideText;
}

export interface SamlGuide extends GuideBase {
  protocol: 'saml';
  /** What the IdP's form calls each of Latchkey's values. */
  labels: {
    acsUrl: GuideText;
    entityId: GuideText;
    nameIdFormat: GuideText;
    attributes: GuideText;
  };
  /** The attribute names to send, exactly as the connection will read them. */
  attributes: GuideAttributes;
  /** The IdP's user field each attribute takes its value from (GuideText each). */
  sources: GuideAttributes;
}

export interface OidcGuide extends GuideBase {
  protocol: 'oidc';
  labels: { redirectUri: GuideText; clientId: GuideText; clientSecret: GuideText };
  /** What the issuer looks like at this IdP. */
  issuerExample: string;
  /** How to have the groups claim sent (the IdP does not by default). */
  groupsClaim: GuideText;
}

export type IdpGuide = SamlGuide | OidcGuide;

/** Short attribute names: what IdPs whose attribute statements are free-form are told to send. */
const SHORT_NAMES: GuideAttributes = { email: 'email', name: 'name', groups: 'groups' };

/** The WS-Federation claim types Entra ID and ADFS send by default. */
const CLAIM_TYPES: GuideAttributes = {
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
};

const okta: SamlGuide = {
  slug: 'okta',
  choice: 'Okta',
  idp: 'Okta',
  defaultName: 'Okta',
  protocol: 'saml',
  alternative: 'okta-oidc',
  steps: ['portal.guide.okta.step1', 'portal.guide.okta.step2', 'portal.guide.okta.step3'],
  labels: {
    acsUrl: 'Single sign-on URL',
    entityId: 'Audience URI (SP Entity ID)',
    nameIdFormat: 'Name ID format (EmailAddress)',
    attributes: 'portal.guide.okta.attributes',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'user.email', name: 'user.displayName', groups: 'portal.guide.okta.groups' },
  bringBack: 'portal.guide.okta.bringBack',
};

const oktaOidc: OidcGuide = {
  slug: 'okta-oidc',
  choice: 'Okta (OpenID Connect)',
  idp: 'Okta',
  defaultName: 'Okta (OIDC)',
  protocol: 'oidc',
  alternative: 'okta',
  steps: ['portal.guide.okta.step1', 'portal.guide.oktaOidc.step2'],
  labels: {
    redirectUri: 'Sign-in redirect URIs',
    clientId: 'Client ID',
    clientSecret: 'Client secret',
  },
  issuerExample: 'https://your-org.okta.com',
  groupsClaim: 'portal.guide.oktaOidc.groupsClaim',
  bringBack: 'portal.guide.oktaOidc.bringBack',
};

const entra: SamlGuide = {
  slug: 'entra-id',
  choice: 'Microsoft Entra ID',
  idp: 'Microsoft Entra ID',
  defaultName: 'Microsoft Entra ID',
  protocol: 'saml',
  alternative: 'entra-id-oidc',
  steps: ['portal.guide.entra.step1', 'portal.guide.entra.step2'],
  labels: {
    acsUrl: 'Reply URL (Assertion Consumer Service URL)',
    entityId: 'Identifier (Entity ID)',
    nameIdFormat: 'Attributes & Claims → Unique User Identifier: format Email address',
    attributes: 'portal.guide.entra.attributes',
  },
  attributes: CLAIM_TYPES,
  sources: {
    email: 'user.mail',
    name: 'user.displayname',
    groups: 'Groups assigned to the application',
  },
  bringBack: 'portal.guide.entra.bringBack',
};

const entraOidc: OidcGuide = {
  slug: 'entra-id-oidc',
  choice: 'Microsoft Entra ID (OpenID Connect)',
  idp: 'Microsoft Entra ID',
  defaultName: 'Microsoft Entra ID (OIDC)',
  protocol: 'oidc',
  alternative: 'entra-id',
  steps: ['portal.guide.entraOidc.step1', 'portal.guide.entraOidc.step2'],
  labels: {
    redirectUri: 'Redirect URI (Web)',
    clientId: 'Application (client) ID',
    clientSecret: 'portal.guide.entraOidc.clientSecret',
  },
  issuerExample: 'https://login.microsoftonline.com/<directory-tenant-id>/v2.0',
  groupsClaim: 'portal.guide.entraOidc.groupsClaim',
  bringBack: 'portal.guide.entraOidc.bringBack',
};

const google: SamlGuide = {
  slug: 'google-workspace',
  choice: 'Google Workspace',
  idp: 'Google Workspace',
  defaultName: 'Google Workspace',
  protocol: 'saml',
  alternative: null,
  steps: ['portal.guide.google.step1', 'portal.guide.google.step2', 'portal.guide.google.step3'],
  labels: {
    acsUrl: 'ACS URL',
    entityId: 'Entity ID',
    nameIdFormat: 'Name ID format (EMAIL)',
    attributes: 'Attribute mapping → App attributes (groups: "Group membership")',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'Primary email', name: 'First name', groups: 'Group membership' },
  bringBack: 'portal.guide.google.bringBack',
};

const adfs: SamlGuide = {
  slug: 'adfs',
  choice: 'ADFS',
  idp: 'ADFS',
  defaultName: 'ADFS',
  protocol: 'saml',
  alternative: null,
  steps: ['portal.guide.adfs.step1', 'portal.guide.adfs.step2', 'portal.guide.adfs.step3'],
  labels: {
    acsUrl: 'Relying party SAML 2.0 SSO service URL',
    entityId: 'Relying party trust identifier',
    nameIdFormat: 'Transform E-Mail Address → Name ID, format Email',
    attributes: 'portal.guide.adfs.attributes',
  },
  attributes: { ...CLAIM_TYPES, groups: 'http://schemas.xmlsoap.org/claims/Group' },
  sources: {
    email: 'E-Mail-Addresses',
    name: 'Display-Name',
    groups: 'Token-Groups - Unqualified Names',
  },
  bringBack: 'portal.guide.adfs.bringBack',
};

const pingFederate: SamlGuide = {
  slug: 'pingfederate',
  choice: 'PingFederate',
  idp: 'PingFederate',
  defaultName: 'PingFederate',
  protocol: 'saml',
  alternative: null,
  steps: ['portal.guide.ping.step1', 'portal.guide.ping.step2', 'portal.guide.ping.step3'],
  labels: {
    acsUrl: 'Assertion Consumer Service URL (binding POST)',
    entityId: "Partner's Entity ID (Connection ID)",
    nameIdFormat: 'SAML_SUBJECT name format (emailAddress)',
    attributes: 'Attribute Contract',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'mail', name: 'displayName', groups: 'memberOf' },
  bringBack: 'portal.guide.ping.bringBack',
};

const oneLogin: SamlGuide = {
  slug: 'onelogin',
  choice: 'OneLogin',
  idp: 'OneLogin',
  defaultName: 'OneLogin',
  protocol: 'saml',
  alternative: null,
  steps: [
    'portal.guide.onelogin.step1',
    'portal.guide.onelogin.step2',
    'portal.guide.onelogin.step3',
  ],
  labels: {
    acsUrl: 'ACS (Consumer) URL',
    entityId: 'Audience (EntityID)',
    nameIdFormat: 'SAML nameID format (Email)',
    attributes: 'Parameters',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'Email', name: 'Name', groups: 'portal.guide.onelogin.groups' },
  bringBack: 'portal.guide.onelogin.bringBack',
};

const jumpCloud: SamlGuide = {
  slug: 'jumpcloud',
  choice: 'JumpCloud',
  idp: 'JumpCloud',
  defaultName: 'JumpCloud',
  protocol: 'saml',
  alternative: null,
  steps: ['portal.guide.jumpcloud.step1', 'portal.guide.jumpcloud.step2'],
  labels: {
    acsUrl: 'ACS URLs (Default URL)',
    entityId: 'SP Entity ID',
    nameIdFormat: 'SAMLSubject NameID: email, format emailAddress',
    attributes: 'portal.guide.jumpcloud.attributes',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'email', name: 'displayname', groups: 'portal.guide.jumpcloud.groups' },
  bringBack: 'portal.guide.jumpcloud.bringBack',
};

const genericSaml: SamlGuide = {
  slug: 'saml',
  choice: 'portal.guide.saml.choice',
  idp: 'portal.guide.saml.idp',
  defaultName: 'SAML',
  protocol: 'saml',
  alternative: null,
  steps: ['portal.guide.saml.step1'],
  labels: {
    acsUrl: 'portal.guide.saml.acsUrl',
    entityId: 'portal.guide.saml.entityId',
    nameIdFormat: 'portal.guide.saml.nameIdFormat',
    attributes: 'portal.guide.saml.attributes',
  },
  attributes: SHORT_NAMES,
  sources: {
    email: 'portal.guide.saml.email',
    name: 'portal.guide.saml.name',
    groups: 'portal.guide.saml.groups',
  },
  bringBack: 'portal.guide.saml.bringBack',
};

const genericOidc: OidcGuide = {
  slug: 'oidc',
  choice: 'portal.guide.oidc.choice',
  idp: 'portal.guide.oidc.idp',
  defaultName: 'OpenID Connect',
  protocol: 'oidc',
  alternative: null,
  steps: ['portal.guide.oidc.step1'],
  labels: {
    redirectUri: 'portal.guide.oidc.redirectUri',
    clientId: 'portal.guide.oidc.clientId',
    clientSecret: 'portal.guide.oidc.clientSecret',
  },
  issuerExample: 'https://idp.example.com',
  groupsClaim: 'portal.guide.oidc.groupsClaim',
  bringBack: 'portal.guide.oidc.bringBack',
};

/** In the order the SSO step offers them. */
export const IDP_GUIDES: readonly IdpGuide[] = [
  okta,
  oktaOidc,
  entra,
  entraOidc,
  google,
  adfs,
  pingFederate,
  oneLogin,
  jumpCloud,
  genericSaml,
  genericOidc,
];

export const guideOf = (slug: string): IdpGuide | null =>
  IDP_GUIDES.find((guide) => guide.slug === slug) ?? null;
