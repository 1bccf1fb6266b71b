/**
 * What the setup portal's Directory sync step tells an IT admin for each identity provider:
 * where in that IdP to paste the SCIM base URL and the bearer token, and which attributes to
 * map. The values themselves are shown beside these words (src/http/views/portal-directory-pages.ts).
 * Entra ID's and Okta's text is the README's ("SCIM provisioning from the customer's
 * directory"); the client behaviour each relies on is in docs/scim.md ("Client quirks covered").
 */
export interface DirectoryGuide {
  /** The IdP's own name. */
  idp: string;
  /** Where to go in the IdP's admin UI, in order. */
  steps: string[];
  /** What the IdP calls the base URL and the token. */
  labels: { baseUrl: string; token: string };
  /** Which attributes to map (or keep). */
  attributes: string;
  /** A caveat the admin must know first (a third party, an assumption), or null. */
  caveat: string | null;
}

export const DIRECTORY_GUIDES: DirectoryGuide[] = [
  {
    idp: 'Microsoft Entra ID',
    steps: [
      'Enterprise application → Provisioning → Automatic.',
      'Enter the values below, then Test Connection (it sends GET /Users?filter=userName eq "<random>" and expects an empty list).',
    ],
    labels: { baseUrl: 'Tenant URL', token: 'Secret Token' },
    attributes:
      'Keep the default attribute mappings (userName ← UPN, externalId ← mailNickname or objectId, active ← Switch([IsSoftDeleted]…)); the string "False" Entra ID sends for active is understood.',
    caveat: null,
  },
  {
    idp: 'Okta',
    steps: [
      'App → Provisioning → Integration: enable API integration with SCIM.',
      'Unique identifier field: userName. Supported actions: Push New Users, Push Profile Updates (Okta updates by PUT and deactivates with active: false), Push Groups. Authentication mode: HTTP Header.',
    ],
    labels: { baseUrl: 'SCIM connector base URL', token: 'Authorization (Bearer)' },
    attributes:
      'Keep the default mappings: userName, givenName, familyName, email (primary work email). Push Groups sends group memberships.',
    caveat: null,
  },
  {
    idp: 'Google Workspace',
    steps: [
      'Google Workspace pushes users by SCIM only to apps of its own catalogue, so it cannot be pointed at this base URL directly.',
      'Use a third-party sync service that reads your Google directory and provisions a SCIM 2.0 endpoint: give it the base URL and token below.',
    ],
    labels: { baseUrl: 'SCIM base URL (in the third-party tool)', token: 'Bearer token' },
    attributes:
      'Map userName and the primary work email to the Google primary email, name.givenName and name.familyName to first and last name, active to the account not being suspended. Google itself sends no groups.',
    caveat: 'Through a third-party service: Latchkey does not test or support that service.',
  },
  {
    idp: 'OneLogin',
    steps: [
      'Applications → Add App → "SCIM Provisioner with SAML (SCIM v2 Enterprise)".',
      'Configuration tab: enter the values below and Enable the API connection; Provisioning tab: enable provisioning.',
    ],
    labels: { baseUrl: 'SCIM Base URL', token: 'SCIM Bearer Token' },
    attributes:
      'Keep the v2 Enterprise SCIM JSON template (userName = email, a primary work email, name). Do not put groups in the template: groups are pushed through /Groups (Parameters → Groups, "Include in User Provisioning").',
    caveat: null,
  },
  {
    idp: 'JumpCloud',
    steps: [
      'SSO Applications → your application → Identity Management.',
      'Choose SCIM 2.0, enter the values below, Test Connection, then Activate; bind the user groups to provision.',
    ],
    labels: { baseUrl: 'Base URL', token: 'Token Key' },
    attributes:
      'JumpCloud sends userName (the email), name, emails and active from its user record; enable Group Management to push the bound groups.',
    caveat: null,
  },
];
