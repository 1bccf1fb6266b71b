import { authorizationCodeGrant } from './authorization_code.js';
import { clientCredentialsGrant } from './client_credentials.js';
import type { Grant } from './grant.js';
import { refreshTokenGrant } from './refresh_token.js';

/**
 * The token endpoint's grant types, by their `grant_type` value. These keys alone are
 * the list of grant types: discovery's grant_types_supported, the grant types a client
 * may register (orgs/, wired in app.ts), the metrics' grant_type labels and the
 * token endpoint's dispatch all read it, and a test holds openapi.yaml's enums to it.
 * A new grant is one file in this folder and one line here.
 */
export const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
} as const satisfies Record<string, Grant>;

export type GrantType = keyof typeof GRANTS;

export const GRANT_TYPES = Object.keys(GRANTS) as readonly GrantType[] as readonly [
  GrantType,
  ...GrantType[],
];

export const isGrantType = (value: unknown): value is GrantType =>
  typeof value === 'string' && Object.hasOwn(GRANTS, value);

export type { Grant, GrantCheck } from './grant.js';
