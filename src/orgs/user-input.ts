import { z } from 'zod';
import { AppError } from '../platform/errors.js';
import { UUID_PATTERN } from '../platform/pagination.js';

/**
 * What may be asked of the users API (strict zod schemas: unknown fields are refused),
 * and what a login asserts about who signed in (parsed as strictly, but an IdP's own
 * values are trimmed or dropped rather than refused).
 */

export const ROLE_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/;
export const MAX_ROLES = 50;

const dedupe = (values: string[]) => [...new Set(values)];
/** Roles are a set: the same roles in another order are no change (and no audit event). */
export const sameRoles = (a: string[], b: string[]) =>
  a.length === b.length && a.every((role) => b.includes(role));

/** Strict: a misspelt filter is refused, never ignored (which would list every user). */
export const ListUsersQuery = z.strictObject({
  email_prefix: z.string().min(1).max(320).optional(),
  scim_directory_id: z.uuid({ error: 'must be a SCIM directory id (a UUID)' }).optional(),
  // Read by pageRequest; listed so they are not unknown fields.
  limit: z.unknown().optional(),
  cursor: z.unknown().optional(),
});

export const UpdateUserBody = z.strictObject({
  roles: z
    .array(z.string().regex(ROLE_PATTERN, 'must match ^[a-z][a-z0-9_.:-]{0,63}$'))
    .max(MAX_ROLES)
    .transform(dedupe)
    .optional(),
  name: z.string().trim().min(1).max(200).nullable().optional(),
});

/** Deactivate and reactivate take no body; anything in one is an unknown field. */
export const NoBody = z.strictObject({}).optional();

/** What a login learned from the upstream IdP about who signed in. */
export interface ProvisionInput {
  orgId: string;
  connectionId: string;
  /** The upstream subject (OIDC `sub`, SAML NameID): with the connection, the user's key. */
  subject: string;
  email: string;
  emailVerified: boolean;
  /** Absent: keep the stored name; null: the IdP asserts none. */
  name?: string | null;
  /** Roles mapped from IdP claims. Absent: keep the stored roles (set by admins). */
  roles?: string[];
}

const ProvisionSchema = z.object({
  orgId: z.string().regex(UUID_PATTERN),
  connectionId: z.string().regex(UUID_PATTERN),
  subject: z.string().min(1).max(1024),
  email: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  emailVerified: z.boolean(),
  name: z
    .string()
    .trim()
    .transform((n) => n.slice(0, 200) || null)
    .nullable()
    .optional(),
  // An IdP's groups are not ours to validate: keep those that are valid role names.
  roles: z
    .array(z.string())
    .transform((roles) => dedupe(roles.filter((r) => ROLE_PATTERN.test(r))).slice(0, MAX_ROLES))
    .optional(),
});

/** The identity a login asserts, normalised; an unusable one is a 400 `invalid_identity`. */
export function parseProvisionInput(raw: unknown): ProvisionInput {
  const parsed = ProvisionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid_identity', 'The identity asserted by the IdP is unusable.', {
      status: 400,
      fields: parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.'),
        message: i.message,
      })),
    });
  }
  return parsed.data;
}
