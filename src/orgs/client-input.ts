import { z } from 'zod';
import { AppError, type FieldIssue } from '../platform/errors.js';
import type { Client, ClientGrantType, ClientUpdate } from './client-store.js';

/**
 * What an admin may send to create or change an OAuth client, and the rules its fields
 * must keep together. The grant types are not listed here: they are the token
 * endpoint's grant registry's keys (tokens/ GRANT_TYPES), given by the composition root.
 */

export const DEFAULT_ALLOWED_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
export const DEFAULT_SECRET_OVERLAP_SECONDS = 86_400;

/** `lkc_` + 16 random bytes (128 bits) in base64url: not a UUID, reveals no count or time. */
export const CLIENT_ID_PATTERN = /^lkc_[A-Za-z0-9_-]{22}$/;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const HTTP_AUTHORITY = /^(https?):\/\/([^/?#]*)/i;
const hasWhitespaceOrControl = (value: string) =>
  /\s/.test(value) ||
  [...value].some((char) => char.codePointAt(0)! < 0x20 || char.codePointAt(0) === 0x7f);

/**
 * Why a URI cannot be registered as a redirect, post-logout redirect or back-channel
 * logout URI, or null. They are compared by exact string match later (RFC 9700 §4.1.3),
 * so they are stored as given and must be unambiguous as given.
 */
function uriProblem(raw: string, allowHttp: (hostname: string) => boolean): string | null {
  if (hasWhitespaceOrControl(raw)) return 'must not contain whitespace or control characters';
  if (!SCHEME.test(raw) || !URL.canParse(raw)) return 'must be an absolute URI';
  // RFC 6749 §3.1.2: the redirection endpoint URI MUST NOT include a fragment component.
  if (raw.includes('#')) return 'must not contain a fragment';
  // RFC 9700 §4.1.3: exact matching only; a pattern is never a redirect URI.
  if (raw.includes('*')) return 'must not contain a wildcard';
  const match = HTTP_AUTHORITY.exec(raw);
  if (!match) return 'must use https';
  const url = new URL(raw);
  // Userinfo makes a URI read as another host (`https://ads.example.com@evil.example/`).
  if (match[2]!.includes('@') || url.username || url.password) {
    return 'must not contain user information';
  }
  if (!url.hostname) return 'must be an absolute URI';
  if (match[1]!.toLowerCase() === 'http' && !allowHttp(url.hostname)) {
    return 'must use https (http only for a loopback host)';
  }
  return null;
}

/** RFC 8252 §7.3, §8.3: native apps receive redirects on a loopback http listener. */
const redirectUriProblem = (raw: string) => uriProblem(raw, (host) => LOOPBACK_HOSTS.has(host));

const checked = (problem: (value: string) => string | null) =>
  z
    .string()
    .max(2000)
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: 'custom', message });
    });

const distinct = <T>(items: T[]) => new Set(items).size === items.length;
const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max).refine(distinct, 'must not repeat an entry');

const redirectUris = uniqueList(checked(redirectUriProblem), 20);

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
/** An acr value (OIDC Core §3.1.2.1): a string with no space, e.g. urn:latchkey:loa:mfa. */
const acrValue = z.string().regex(/^[\x21-\x7E]{1,512}$/, 'must be 1-512 visible ASCII characters');

const scopeToken = z
  .string()
  .max(128)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be an RFC 6749 scope token');

/** An audience is an absolute URI (`https://ads-api.example`, `urn:ads:reports`) or a simple name. */
const audience = checked((value) => {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(value)) return null;
  if (SCHEME.test(value) && URL.canParse(value) && !hasWhitespaceOrControl(value)) return null;
  return 'must be an absolute URI or a simple name (letters, digits, ".", "_", "-")';
});

const name = z.string().trim().min(1).max(200);
const accessTokenTtlSeconds = z.number().int().min(60).max(3600);

export const RotateSecretBody = z.strictObject({
  overlap_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .optional(),
});

/** The combinations of grant types, type and redirect URIs a client may have. */
export function combinationProblems(client: {
  type: Client['type'];
  grantTypes: ClientGrantType[];
  redirectUris: string[];
}): FieldIssue[] {
  const problems: FieldIssue[] = [];
  const has = (grant: ClientGrantType) => client.grantTypes.includes(grant);
  if (has('authorization_code') && client.redirectUris.length === 0) {
    problems.push({
      field: 'redirect_uris',
      message: 'authorization_code needs at least one redirect URI',
    });
  }
  // A refresh token is only ever issued with an authorization code grant here.
  if (has('refresh_token') && !has('authorization_code')) {
    problems.push({ field: 'grant_types', message: 'refresh_token needs authorization_code' });
  }
  // RFC 6749 §4.4: client_credentials MUST only be used by confidential clients.
  if (client.type === 'public' && has('client_credentials')) {
    problems.push({
      field: 'grant_types',
      message: 'a public client cannot use client_credentials',
    });
  }
  return problems;
}

export const invalid = (fields: FieldIssue[]) =>
  new AppError('validation_failed', 'The request body is invalid.', { status: 400, fields });

/** The create and update bodies, for the allowed loopback hosts and grant types. */
export function clientBodies(options: {
  allowHttpLoopback: boolean;
  grantTypes: readonly [string, ...string[]];
}) {
  // OIDC Back-Channel Logout 1.0 §2.2: Latchkey POSTs logout tokens here, so https; plain
  // http to a loopback listener only where config allows it (dev, tests).
  const backchannelLogoutUri = checked((raw) =>
    uriProblem(raw, (host) => options.allowHttpLoopback && LOOPBACK_HOSTS.has(host)),
  );
  const fields = {
    name,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris,
    grant_types: uniqueList(z.enum(options.grantTypes), options.grantTypes.length).min(1),
    backchannel_logout_uri: backchannelLogoutUri.nullable(),
    allowed_scopes: uniqueList(scopeToken, 50),
    allowed_audiences: uniqueList(audience, 50),
    access_token_ttl_seconds: accessTokenTtlSeconds,
    // OIDC Registration §2; values Latchkey does not know are ignored at authorize.
    default_acr_values: uniqueList(acrValue, 10),
  };
  const CreateClientBody = z.strictObject({
    ...fields,
    type: z.enum(['confidential', 'public']),
    post_logout_redirect_uris: fields.post_logout_redirect_uris.optional(),
    backchannel_logout_uri: fields.backchannel_logout_uri.optional(),
    allowed_scopes: fields.allowed_scopes.optional(),
    allowed_audiences: fields.allowed_audiences.optional(),
    access_token_ttl_seconds: fields.access_token_ttl_seconds.optional(),
    default_acr_values: fields.default_acr_values.optional(),
  });
  const UpdateClientBody = z
    .strictObject({ ...fields, status: z.enum(['active', 'disabled']) })
    .partial();
  return { CreateClientBody, UpdateClientBody };
}

type ClientBodies = ReturnType<typeof clientBodies>;
export type CreateClientInput = z.infer<ClientBodies['CreateClientBody']>;
export type UpdateClientInput = z.infer<ClientBodies['UpdateClientBody']>;

/** A new active client as a create body asks for it, with the defaults for what it leaves out. */
export const newClient = (id: string, input: CreateClientInput, now: Date): Client => ({
  id,
  name: input.name,
  type: input.type,
  status: 'active',
  redirectUris: input.redirect_uris,
  postLogoutRedirectUris: input.post_logout_redirect_uris ?? [],
  grantTypes: input.grant_types,
  backchannelLogoutUri: input.backchannel_logout_uri ?? null,
  allowedScopes: input.allowed_scopes ?? DEFAULT_ALLOWED_SCOPES,
  allowedAudiences: input.allowed_audiences ?? [],
  accessTokenTtlSeconds: input.access_token_ttl_seconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  defaultAcrValues: input.default_acr_values ?? [],
  secrets: [],
  createdAt: now,
  updatedAt: now,
  version: 1,
});

/** What an update body changes (undefined: left as it is). */
export const clientChanges = (input: UpdateClientInput): ClientUpdate => ({
  name: input.name,
  status: input.status,
  redirectUris: input.redirect_uris,
  postLogoutRedirectUris: input.post_logout_redirect_uris,
  grantTypes: input.grant_types,
  backchannelLogoutUri: input.backchannel_logout_uri,
  allowedScopes: input.allowed_scopes,
  allowedAudiences: input.allowed_audiences,
  accessTokenTtlSeconds: input.access_token_ttl_seconds,
  defaultAcrValues: input.default_acr_values,
});
