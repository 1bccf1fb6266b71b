/**
 * What the setup portal's Directory sync step tells an IT admin for each identity provider:
 * where in that IdP to paste the SCIM base URL and the bearer token, and which attributes to
 * map. The values themselves are shown beside these words (src/http/views/portal-directory-pages.ts).
 * Entra ID's and Okta's text is the README's ("SCIM provisioning from the customer's
 * directory"); the client behaviour each relies on is in docs/scim.md ("Client quirks covered").
 *
 * The sentences are message keys of the page catalogs (src/http/i18n/catalogs/portal-ops),
 * in the page's language; the IdP's own names for its fields (`labels`) stay as that IdP's
 * admin UI shows them, except where the field is in a third party's tool.
 */
export interface DirectoryGuide<Key extends string = string> {
  /** The IdP's own name. */
  idp: string;
  /** Where to go in the IdP's admin UI, in order (message keys). */
  steps: readonly Key[];
  /** What the IdP calls the base URL and the token: its own words, or a message key. */
  labels: { baseUrl: GuideLabel<Key>; token: GuideLabel<Key> };
  /** Which attributes to map (or keep): a message key. */
  attributes: Key;
  /** A caveat the admin must know first (a third party, an assumption): a message key, or null. */
  caveat: Key | null;
}

/** A field's name: as the product shows it (not translated), or our own words (a message key). */
export type GuideLabel<Key extends string = string> = { product: string } | { key: Key };

export const DIRECTORY_GUIDES = [
  {
    idp: 'Microsoft Entra ID',
    steps: ['portal.directory.guide.entra.step1', 'portal.directory.guide.entra.step2'],
    labels: { baseUrl: { product: 'Tenant URL' }, token: { product: 'Secret Token' } },
    attributes: 'portal.directory.guide.entra.attributes',
    caveat: null,
  },
  {
    idp: 'Okta',
    steps: ['portal.directory.guide.okta.step1', 'portal.directory.guide.okta.step2'],
    labels: {
      baseUrl: { product: 'SCIM connector base URL' },
      token: { product: 'Authorization (Bearer)' },
    },
    attributes: 'portal.directory.guide.okta.attributes',
    caveat: null,
  },
  {
    idp: 'Google Workspace',
    steps: ['portal.directory.guide.google.step1', 'portal.directory.guide.google.step2'],
    labels: {
      baseUrl: { key: 'portal.directory.guide.google.baseUrl' },
      token: { key: 'portal.directory.bearerToken' },
    },
    attributes: 'portal.directory.guide.google.attributes',
    caveat: 'portal.directory.guide.google.caveat',
  },
  {
    idp: 'OneLogin',
    steps: ['portal.directory.guide.onelogin.step1', 'portal.directory.guide.onelogin.step2'],
    labels: { baseUrl: { product: 'SCIM Base URL' }, token: { product: 'SCIM Bearer Token' } },
    attributes: 'portal.directory.guide.onelogin.attributes',
    caveat: null,
  },
  {
    idp: 'JumpCloud',
    steps: ['portal.directory.guide.jumpcloud.step1', 'portal.directory.guide.jumpcloud.step2'],
    labels: { baseUrl: { product: 'Base URL' }, token: { product: 'Token Key' } },
    attributes: 'portal.directory.guide.jumpcloud.attributes',
    caveat: null,
  },
] as const satisfies readonly DirectoryGuide[];
