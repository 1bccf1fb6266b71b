import { z } from 'zod';
import { assertOutboundUrl, type OutboundPolicy } from '../platform/net/index.js';
import { AppError } from '../platform/errors.js';
import { ASSURANCE_LEVELS, NAME_ID_FORMATS } from './connection.js';

/**
 * The request bodies of the connections API, as strict zod schemas (unknown fields are
 * refused, so `org_id`, `id` or `status` cannot be slipped into a create). URL rules
 * depend on the outbound policy, so the schemas are built per service.
 */

const ROLE_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/;
// RFC 6749 §3.3 scope-token.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_ROLE_MAPPINGS = 200;

const name = z.string().trim().min(1).max(200);
const attributeName = z.string().trim().min(1).max(256);
/** Upstream group → Latchkey role (at most 200 entries); a SCIM directory's too. */
export const roleMapping = z
  .record(
    z.string().min(1).max(256),
    z.string().regex(ROLE_PATTERN, 'must match ^[a-z][a-z0-9_.:-]{0,63}$'),
  )
  .refine((m) => Object.keys(m).length <= MAX_ROLE_MAPPINGS, {
    message: `must have at most ${MAX_ROLE_MAPPINGS} entries`,
  });

const scopes = z
  .array(z.string().regex(SCOPE_TOKEN, 'must be a scope token (RFC 6749 §3.3)').max(200))
  .min(1)
  .max(30)
  .refine((s) => s.includes('openid'), { message: 'must include openid' })
  .refine((s) => new Set(s).size === s.length, { message: 'must not repeat a scope' });

const claimMapping = z.strictObject({
  subject: attributeName,
  email: attributeName,
  email_verified: attributeName,
  name: attributeName,
  groups: attributeName,
});
const attributeMapping = z.strictObject({
  email: attributeName,
  name: attributeName,
  groups: attributeName,
});

const nameIdFormat = z
  .string()
  .refine((v) => v !== NAME_ID_FORMATS.transient, {
    message: 'must not be transient: a transient NameID changes at every login',
  })
  .pipe(
    z.enum([NAME_ID_FORMATS.emailAddress, NAME_ID_FORMATS.persistent, NAME_ID_FORMATS.unspecified]),
  );

const pem = z.string().min(1).max(16_384);

/** An IdP's acr, amr, AuthnContextClassRef or authority value: visible ASCII, no space. */
const assuranceValue = z
  .string()
  .regex(/^[\x21-\x7E]{1,512}$/, 'must be 1-512 visible ASCII characters');
const MAX_ASSURANCE_MAPPINGS = 100;
const requestedValues = z.array(assuranceValue).min(1).max(10);

/** How the IdP proves assurance (docs/assurance.md); a field left out is left as it is. */
const assurance = z.strictObject({
  mapping: z
    .record(assuranceValue, z.enum(ASSURANCE_LEVELS))
    .refine((m) => Object.keys(m).length <= MAX_ASSURANCE_MAPPINGS, {
      message: `must have at most ${MAX_ASSURANCE_MAPPINGS} entries`,
    })
    .optional(),
  request: z
    .strictObject({
      mfa: requestedValues.optional(),
      phr: requestedValues.optional(),
      comparison: z.enum(['exact', 'minimum']).optional(),
    })
    .optional(),
});

/** Which of the three ways of giving an IdP's settings a body uses. */
const metadataSources = (b: {
  idp_metadata_xml?: unknown;
  idp_metadata_url?: unknown;
  idp_entity_id?: unknown;
  idp_sso_url?: unknown;
  idp_certificates?: unknown;
}) => ({
  xml: b.idp_metadata_xml !== undefined,
  url: b.idp_metadata_url !== undefined,
  manual: [b.idp_entity_id, b.idp_sso_url, b.idp_certificates].some((v) => v !== undefined),
});

/** The URL fields, by who will follow them, under the outbound policy. */
function urlSchemas(policy: OutboundPolicy) {
  const check = (value: string, assert: (url: string) => void) => {
    try {
      assert(value);
      return true;
    } catch {
      return false;
    }
  };
  const httpsRule = policy.allowHttpLoopback
    ? 'must be an https URL (http only for loopback hosts)'
    : 'must be an https URL';

  /** A URL Latchkey itself will fetch: scheme and SSRF rules that can be judged unresolved. */
  const fetchableUrl = z
    .string()
    .max(2048)
    .refine((v) => check(v, (u) => assertOutboundUrl(u, policy)), { message: httpsRule });

  /** A URL only browsers are sent to: scheme rules (the SSRF concern is not ours). */
  const browserUrl = z
    .string()
    .max(2048)
    .refine(
      (v) =>
        check(v, (u) => {
          const url = new URL(u);
          if (url.protocol === 'https:') return;
          assertOutboundUrl(url, { ...policy, allowedPrivateHosts: [] });
        }),
      { message: httpsRule },
    );
  return { fetchableUrl, browserUrl };
}

export function connectionInputs(policy: OutboundPolicy) {
  const { fetchableUrl, browserUrl } = urlSchemas(policy);

  // OpenID Connect Discovery 1.0 §2: the issuer has no query or fragment.
  const issuer = fetchableUrl.refine((v) => !v.includes('?') && !v.includes('#'), {
    message: 'must have no query or fragment',
  });

  const oidcFields = {
    name,
    issuer,
    client_id: z.string().min(1).max(255),
    client_secret: z.string().min(1).max(1024),
    scopes,
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post']),
    claim_mapping: claimMapping.partial(),
    role_mapping: roleMapping,
    allow_any_email_domain: z.boolean(),
    assurance,
  };

  const samlFields = {
    name,
    // Size is checked on the raw text (256 KB); this bound only stops absurd bodies early.
    idp_metadata_xml: z.string().min(1),
    idp_metadata_url: fetchableUrl,
    idp_entity_id: z.string().trim().min(1).max(1024),
    idp_sso_url: browserUrl,
    idp_slo_url: browserUrl.nullable(),
    idp_certificates: z.array(pem).min(1).max(10),
    attribute_mapping: attributeMapping.partial(),
    name_id_format: nameIdFormat,
    identity_attribute: attributeName.nullable(),
    sign_requests: z.boolean(),
    allow_idp_initiated: z.boolean(),
    want_assertions_signed: z.boolean(),
    role_mapping: roleMapping,
    allow_any_email_domain: z.boolean(),
    assurance,
  };

  const CreateOidc = z.strictObject({
    type: z.literal('oidc'),
    ...oidcFields,
    scopes: oidcFields.scopes.optional(),
    token_endpoint_auth_method: oidcFields.token_endpoint_auth_method.optional(),
    claim_mapping: oidcFields.claim_mapping.optional(),
    role_mapping: oidcFields.role_mapping.optional(),
    allow_any_email_domain: oidcFields.allow_any_email_domain.optional(),
    assurance: assurance.optional(),
  });

  const CreateSaml = z
    .strictObject({
      type: z.literal('saml'),
      name,
      idp_metadata_xml: samlFields.idp_metadata_xml.optional(),
      idp_metadata_url: samlFields.idp_metadata_url.optional(),
      idp_entity_id: samlFields.idp_entity_id.optional(),
      idp_sso_url: samlFields.idp_sso_url.optional(),
      idp_slo_url: samlFields.idp_slo_url.optional(),
      idp_certificates: samlFields.idp_certificates.optional(),
      attribute_mapping: samlFields.attribute_mapping.optional(),
      name_id_format: samlFields.name_id_format.optional(),
      identity_attribute: samlFields.identity_attribute.optional(),
      sign_requests: samlFields.sign_requests.optional(),
      allow_idp_initiated: samlFields.allow_idp_initiated.optional(),
      want_assertions_signed: samlFields.want_assertions_signed.optional(),
      role_mapping: samlFields.role_mapping.optional(),
      allow_any_email_domain: samlFields.allow_any_email_domain.optional(),
      assurance: assurance.optional(),
    })
    .superRefine((b, ctx) => {
      const s = metadataSources(b);
      const count = [s.xml, s.url, s.manual].filter(Boolean).length;
      if (count !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'give exactly one of idp_metadata_xml, idp_metadata_url, or idp_entity_id + idp_sso_url + idp_certificates',
        });
        return;
      }
      if (s.manual) {
        for (const key of ['idp_entity_id', 'idp_sso_url', 'idp_certificates'] as const) {
          if (b[key] === undefined)
            ctx.addIssue({ code: 'custom', path: [key], message: 'is required' });
        }
      }
    });

  const status = z.enum(['draft', 'active', 'disabled']);

  const UpdateOidc = z.strictObject({ status, ...oidcFields }).partial();

  const UpdateSaml = z
    .strictObject({ status, ...samlFields })
    .partial()
    .superRefine((b, ctx) => {
      const s = metadataSources(b);
      if ([s.xml, s.url, s.manual].filter(Boolean).length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'give at most one of idp_metadata_xml, idp_metadata_url, or the idp_entity_id / idp_sso_url / idp_certificates fields',
        });
      }
    });

  const ConnectionType = z.looseObject({ type: z.enum(['oidc', 'saml']) });

  return { ConnectionType, CreateOidc, CreateSaml, UpdateOidc, UpdateSaml };
}

export type ConnectionInputs = ReturnType<typeof connectionInputs>;
export type CreateOidcInput = z.infer<ConnectionInputs['CreateOidc']>;
export type CreateSamlInput = z.infer<ConnectionInputs['CreateSaml']>;
export type UpdateOidcInput = z.infer<ConnectionInputs['UpdateOidc']>;
export type UpdateSamlInput = z.infer<ConnectionInputs['UpdateSaml']>;

/**
 * What the setup portal adds to a create (the admin API gives neither): the id reserved
 * when the IdP's values were shown (the ACS URL and redirect URI carry it), and the live
 * checks run before anything is stored, refused with their reasons as an activation is.
 */
export interface CreateOptions {
  id?: string;
  checkFirst?: boolean;
}

export const reservedIdInvalid = () =>
  new AppError('validation_failed', 'The reserved connection id is not a UUID.', { status: 400 });
export const reservedIdTaken = () =>
  new AppError('connection_exists', 'A connection with this id exists already.', { status: 409 });
