import { scimError } from './scim/index.js';
import { withMeta } from './scim-resource.js';
import { groupsJson } from './scim-user-groups.js';
import type { ScimUser } from './scim-user-store.js';

/** What a SCIM user sets on the linked Latchkey user; the directory is its source of truth. */
export interface ScimProfile {
  email: string;
  name: string | null;
  active: boolean;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type Email = { value?: unknown; type?: unknown; primary?: unknown };

/**
 * The user's email address: the primary of `emails`, else the work one, else the first,
 * else an email-shaped `userName` (Entra ID's UPN, Okta's login). 400 when there is none.
 * A blank address counts as none: OneLogin's JSON template sends "" for an empty field.
 */
function emailOf(data: Record<string, unknown>): string {
  const emails = ((Array.isArray(data.emails) ? data.emails : []) as Email[]).filter(
    (e) => typeof e?.value === 'string' && e.value.trim() !== '',
  );
  const chosen =
    emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0];
  const candidate = typeof chosen?.value === 'string' ? chosen.value : data.userName;
  if (typeof candidate !== 'string' || !EMAIL.test(candidate)) {
    throw scimError(
      400,
      'invalidValue',
      'The user needs an email address: in emails, or as an email-shaped userName.',
    );
  }
  return candidate.trim();
}

function nameOf(data: Record<string, unknown>): string | null {
  if (typeof data.displayName === 'string' && data.displayName.trim())
    return data.displayName.trim();
  const name = (data.name ?? {}) as Record<string, unknown>;
  if (typeof name.formatted === 'string' && name.formatted.trim()) return name.formatted.trim();
  const parts = [name.givenName, name.familyName].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  return parts.length ? parts.join(' ') : null;
}

/** RFC 7643 §4.1.1: `active` absent means active. */
export const profileOf = (data: Record<string, unknown>): ScimProfile => ({
  email: emailOf(data),
  name: nameOf(data),
  active: data.active !== false,
});

export const emailDomainOf = (email: string) =>
  email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Entra ID sends booleans as the strings "True" / "False" (documented quirk). */
const asBoolean = (value: unknown) =>
  typeof value === 'string' && /^(true|false)$/i.test(value)
    ? value.toLowerCase() === 'true'
    : value;

const withBooleanActive = (value: unknown) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === 'active');
  return key === undefined ? value : { ...record, [key]: asBoolean(record[key]) };
};

/** The multi-valued complex attributes of the core User (RFC 7643 §4.1.2). */
const MULTI_VALUED = new Set([
  'emails',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
  'entitlements',
  'roles',
  'x509certificates',
]);

/**
 * A multi-valued attribute given as one object becomes a list of that one: OneLogin's
 * documented JSON template sends `"emails": {"value": …, "primary": true}` (django-scim2
 * reads it the same way: "OneLogin sends a dict despite the spec").
 */
const withListsOfOne = (value: unknown) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (MULTI_VALUED.has(key.toLowerCase()) && item !== null && typeof item === 'object') {
      record[key] = Array.isArray(item) ? item : [item];
    }
  }
  return record;
};

/** A POST or PUT body with Entra ID's string booleans and OneLogin's lone objects undone. */
export const normaliseUserBody = (body: unknown): unknown =>
  withListsOfOne(withBooleanActive(body));

/** The key of a PatchOp's operations: RFC 7644 §3.10 has attribute names case-insensitive. */
const operationsKeyOf = (message: object) =>
  Object.keys(message).find((k) => k.toLowerCase() === 'operations') ?? 'Operations';

/**
 * A PatchOp message with Entra ID's quirks undone: `"value": "False"` for the path
 * `active`, or `{"active": "False"}` as a value without a path (and OneLogin's lone objects
 * in such a value). Anything else is left to the PATCH implementation to accept or refuse.
 */
export function normalisePatch(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return message;
  const { [operationsKeyOf(message)]: list, ...record } = message as Record<string, unknown>;
  if (!Array.isArray(list)) return message;
  const operations = (list as unknown[]).map((operation) => {
    if (operation === null || typeof operation !== 'object') return operation;
    const op = operation as Record<string, unknown>;
    if (typeof op.path === 'string' && op.path.toLowerCase() === 'active') {
      return { ...op, value: asBoolean(op.value) };
    }
    return op.path === undefined
      ? { ...op, value: withListsOfOne(withBooleanActive(op.value)) }
      : op;
  });
  return { ...record, Operations: operations };
}

/**
 * The user as SCIM JSON with its id and meta (RFC 7643 §3.1), and its groups when they
 * were loaded, before any projection.
 */
export const scimJsonOf = (user: ScimUser, location: string): Record<string, unknown> => {
  const groups = groupsJson(user, location);
  return withMeta('User', user, groups ? { ...user.resource, groups } : user.resource, location);
};
