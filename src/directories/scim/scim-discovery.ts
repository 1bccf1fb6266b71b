// RFC 7644 §4: the discovery endpoints of one directory's SCIM service provider.
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER, resourceSchemas } from './scim-schema.js';

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** RFC 7644 §3.4.2: a list response of `resources` (already the page asked for). */
export const listResponse = (
  resources: unknown[],
  page: { totalResults: number; startIndex: number },
) => ({
  schemas: [LIST_RESPONSE],
  totalResults: page.totalResults,
  startIndex: page.startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});

/** RFC 7643 §5: what this service provider supports. */
export const serviceProviderConfig = (base: string, maxResults: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults },
  changePassword: { supported: false },
  sort: { supported: true },
  etag: { supported: true },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'Bearer token',
      description:
        "The directory's token from Latchkey's admin API, sent as Authorization: Bearer scim_….",
      specUri: 'https://www.rfc-editor.org/info/rfc6750',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
});

/** RFC 7643 §6: the resource types served, User (with the enterprise extension) and Group. */
export const resourceTypes = (base: string) => [
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: CORE_USER,
    schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  },
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: CORE_GROUP,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
  },
];

/** RFC 7643 §7: the schemas of the resources served. */
export const schemas = (base: string) => resourceSchemas(`${base}/Schemas`);
