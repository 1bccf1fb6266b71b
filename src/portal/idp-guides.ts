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

interface GuideBase {
  /** The path segment: /portal/sso/new/<slug>. */
  slug: string;
  /** The IdP's own name. */
  idp: string;
  /** What the list of IdPs offers it as. */
  choice: string;
  /** The connection's default name. */
  defaultName: string;
  /** The same IdP over the other protocol, when it offers both. */
  alternative: string | null;
  /** Where to go in the IdP's admin UI, in order, before entering the values. */
  steps: string[];
  /** Where to find the values to bring back to the portal. */
  bringBack: string;
}

export interface SamlGuide extends GuideBase {
  protocol: 'saml';
  /** What the IdP's form calls each of Latchkey's values. */
  labels: { acsUrl: string; entityId: string; nameIdFormat: string; attributes: string };
  /** The attribute names to send, exactly as the connection will read them. */
  attributes: GuideAttributes;
  /** The IdP's user field each attribute takes its value from. */
  sources: GuideAttributes;
}

export interface OidcGuide extends GuideBase {
  protocol: 'oidc';
  labels: { redirectUri: string; clientId: string; clientSecret: string };
  /** What the issuer looks like at this IdP. */
  issuerExample: string;
  /** How to have the groups claim sent (the IdP does not by default). */
  groupsClaim: string;
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
  steps: [
    'In the Okta Admin Console, open Applications → Applications → Create App Integration.',
    'Choose SAML 2.0, name the app, then fill in "Configure SAML" with the values below.',
    'Tick "Use this for Recipient URL and Destination URL"; set Application username to Email.',
  ],
  labels: {
    acsUrl: 'Single sign-on URL',
    entityId: 'Audience URI (SP Entity ID)',
    nameIdFormat: 'Name ID format (EmailAddress)',
    attributes:
      'Attribute Statements, and Group Attribute Statements for groups (filter: Matches regex .*)',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'user.email', name: 'user.displayName', groups: 'the group filter' },
  bringBack:
    'On the app\'s Sign On tab, under "SAML 2.0", copy the Metadata URL. Then assign people or groups on the Assignments tab.',
};

const oktaOidc: OidcGuide = {
  slug: 'okta-oidc',
  choice: 'Okta (OpenID Connect)',
  idp: 'Okta',
  defaultName: 'Okta (OIDC)',
  protocol: 'oidc',
  alternative: 'okta',
  steps: [
    'In the Okta Admin Console, open Applications → Applications → Create App Integration.',
    'Choose OIDC - OpenID Connect and Web Application; keep the grant type Authorization Code.',
  ],
  labels: {
    redirectUri: 'Sign-in redirect URIs',
    clientId: 'Client ID',
    clientSecret: 'Client secret',
  },
  issuerExample: 'https://your-org.okta.com',
  groupsClaim:
    'On the app\'s Sign On tab, edit "OpenID Connect ID Token": Groups claim type Filter, name groups, Matches regex .*',
  bringBack:
    'On the app\'s General tab, "Client Credentials" holds the Client ID and Client secret; the issuer is your Okta domain (https://your-org.okta.com).',
};

const entra: SamlGuide = {
  slug: 'entra-id',
  choice: 'Microsoft Entra ID',
  idp: 'Microsoft Entra ID',
  defaultName: 'Microsoft Entra ID',
  protocol: 'saml',
  alternative: 'entra-id-oidc',
  steps: [
    'In the Microsoft Entra admin center, open Enterprise applications → New application → Create your own application ("Integrate any other application you don\'t find in the gallery").',
    'Open Single sign-on → SAML, and edit "Basic SAML Configuration" with the values below.',
  ],
  labels: {
    acsUrl: 'Reply URL (Assertion Consumer Service URL)',
    entityId: 'Identifier (Entity ID)',
    nameIdFormat: 'Attributes & Claims → Unique User Identifier: format Email address',
    attributes:
      'Attributes & Claims (the first two are there by default; "Add a group claim" for groups)',
  },
  attributes: CLAIM_TYPES,
  sources: {
    email: 'user.mail',
    name: 'user.displayname',
    groups: 'Groups assigned to the application',
  },
  bringBack:
    'Under "SAML Certificates", copy the App Federation Metadata Url. Then assign users and groups under "Users and groups".',
};

const entraOidc: OidcGuide = {
  slug: 'entra-id-oidc',
  choice: 'Microsoft Entra ID (OpenID Connect)',
  idp: 'Microsoft Entra ID',
  defaultName: 'Microsoft Entra ID (OIDC)',
  protocol: 'oidc',
  alternative: 'entra-id',
  steps: [
    'In the Microsoft Entra admin center, open App registrations → New registration.',
    'Under Redirect URI choose the Web platform and enter the value below; then, under Certificates & secrets, add a New client secret.',
  ],
  labels: {
    redirectUri: 'Redirect URI (Web)',
    clientId: 'Application (client) ID',
    clientSecret: 'Client secret Value (not its Secret ID)',
  },
  issuerExample: 'https://login.microsoftonline.com/<directory-tenant-id>/v2.0',
  groupsClaim:
    'Under Token configuration, "Add groups claim" (ID token), and add the optional claim email.',
  bringBack:
    "The app's Overview shows the Application (client) ID and the Directory (tenant) ID; the issuer is https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0.",
};

const google: SamlGuide = {
  slug: 'google-workspace',
  choice: 'Google Workspace',
  idp: 'Google Workspace',
  defaultName: 'Google Workspace',
  protocol: 'saml',
  alternative: null,
  steps: [
    'In the Google Admin console, open Apps → Web and mobile apps → Add app → Add custom SAML app.',
    'Name the app; on "Google Identity Provider details" choose Download Metadata (you upload that file below).',
    'On "Service provider details", enter the values below; Name ID: Basic Information > Primary email.',
  ],
  labels: {
    acsUrl: 'ACS URL',
    entityId: 'Entity ID',
    nameIdFormat: 'Name ID format (EMAIL)',
    attributes: 'Attribute mapping → App attributes (groups: "Group membership")',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'Primary email', name: 'First name', groups: 'Group membership' },
  bringBack:
    'The metadata file you downloaded (GoogleIDPMetadata.xml): upload it below. Then turn the app ON for everyone (User access).',
};

const adfs: SamlGuide = {
  slug: 'adfs',
  choice: 'ADFS',
  idp: 'ADFS',
  defaultName: 'ADFS',
  protocol: 'saml',
  alternative: null,
  steps: [
    'In AD FS Management, open Relying Party Trusts → Add Relying Party Trust → Claims aware.',
    'Import the SP metadata URL below ("Import data about the relying party published online"), or enter the values by hand.',
    'Edit Claim Issuance Policy: "Send LDAP Attributes as Claims", then "Transform an Incoming Claim" for the Name ID.',
  ],
  labels: {
    acsUrl: 'Relying party SAML 2.0 SSO service URL',
    entityId: 'Relying party trust identifier',
    nameIdFormat: 'Transform E-Mail Address → Name ID, format Email',
    attributes: 'Send LDAP Attributes as Claims (outgoing claim types)',
  },
  attributes: { ...CLAIM_TYPES, groups: 'http://schemas.xmlsoap.org/claims/Group' },
  sources: {
    email: 'E-Mail-Addresses',
    name: 'Display-Name',
    groups: 'Token-Groups - Unqualified Names',
  },
  bringBack:
    "Your federation service's metadata URL: https://<your-adfs-host>/FederationMetadata/2007-06/FederationMetadata.xml",
};

const pingFederate: SamlGuide = {
  slug: 'pingfederate',
  choice: 'PingFederate',
  idp: 'PingFederate',
  defaultName: 'PingFederate',
  protocol: 'saml',
  alternative: null,
  steps: [
    'In the PingFederate administrative console, open Applications → SP Connections → Create Connection.',
    'Choose Browser SSO, protocol SAML 2.0; you may import the SP metadata URL below, or enter the values by hand.',
    'In Browser SSO → Assertion Creation, extend the Attribute Contract and fulfil it from your data store.',
  ],
  labels: {
    acsUrl: 'Assertion Consumer Service URL (binding POST)',
    entityId: "Partner's Entity ID (Connection ID)",
    nameIdFormat: 'SAML_SUBJECT name format (emailAddress)',
    attributes: 'Attribute Contract',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'mail', name: 'displayName', groups: 'memberOf' },
  bringBack:
    "The connection's metadata URL, https://<your-pingfederate-host>:9031/pf/federation_metadata.ping?PartnerSpId=<the SP entity id above>, or its exported metadata file (Actions → Export Metadata).",
};

const oneLogin: SamlGuide = {
  slug: 'onelogin',
  choice: 'OneLogin',
  idp: 'OneLogin',
  defaultName: 'OneLogin',
  protocol: 'saml',
  alternative: null,
  steps: [
    'In OneLogin Administration, open Applications → Add App, and choose "SAML Custom Connector (Advanced)".',
    'On the Configuration tab enter the values below (ACS URL also as the Recipient and the ACS URL Validator).',
    'On the Parameters tab add each attribute with "Include in SAML assertion" ticked.',
  ],
  labels: {
    acsUrl: 'ACS (Consumer) URL',
    entityId: 'Audience (EntityID)',
    nameIdFormat: 'SAML nameID format (Email)',
    attributes: 'Parameters',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'Email', name: 'Name', groups: 'MemberOf (or User Roles)' },
  bringBack: 'On the SSO tab, copy the Issuer URL: it is the metadata URL.',
};

const jumpCloud: SamlGuide = {
  slug: 'jumpcloud',
  choice: 'JumpCloud',
  idp: 'JumpCloud',
  defaultName: 'JumpCloud',
  protocol: 'saml',
  alternative: null,
  steps: [
    'In the JumpCloud Admin Portal, open SSO Applications → Add New Application → Custom Application, and choose "Manage Single Sign-On (SSO)" with SAML 2.0.',
    'Give the IdP Entity ID a name of your own (e.g. jumpcloud-latchkey), and enter the values below.',
  ],
  labels: {
    acsUrl: 'ACS URLs (Default URL)',
    entityId: 'SP Entity ID',
    nameIdFormat: 'SAMLSubject NameID: email, format emailAddress',
    attributes: 'Attributes (and "Include group attribute" named groups)',
  },
  attributes: SHORT_NAMES,
  sources: { email: 'email', name: 'displayname', groups: 'the group attribute' },
  bringBack:
    'After saving, open the application and choose Export Metadata: upload that file below.',
};

const genericSaml: SamlGuide = {
  slug: 'saml',
  choice: 'Generic SAML 2.0',
  idp: 'your SAML identity provider',
  defaultName: 'SAML',
  protocol: 'saml',
  alternative: null,
  steps: ['In your IdP, create a SAML 2.0 application (service provider) with the values below.'],
  labels: {
    acsUrl: 'Assertion Consumer Service (ACS) URL, HTTP-POST binding',
    entityId: 'SP entity id (audience)',
    nameIdFormat: 'NameID format',
    attributes: 'Attribute statements',
  },
  attributes: SHORT_NAMES,
  sources: {
    email: "the user's email",
    name: "the user's display name",
    groups: "the user's groups",
  },
  bringBack: "Your IdP's SAML metadata: its URL, or the XML file or text.",
};

const genericOidc: OidcGuide = {
  slug: 'oidc',
  choice: 'Generic OpenID Connect',
  idp: 'your OpenID Connect provider',
  defaultName: 'OpenID Connect',
  protocol: 'oidc',
  alternative: null,
  steps: [
    'In your provider, register a confidential web client using the authorization code flow, with the redirect URI below.',
  ],
  labels: { redirectUri: 'Redirect URI', clientId: 'Client ID', clientSecret: 'Client secret' },
  issuerExample: 'https://idp.example.com',
  groupsClaim:
    'Have the ID token or userinfo carry the groups claim (some providers need a scope or a setting for it).',
  bringBack:
    'The issuer (its /.well-known/openid-configuration must be reachable), the client id and the client secret.',
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
