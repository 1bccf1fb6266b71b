// The one home of scimmy (rule 4): SCIM 2.0 schema definitions, coercion of resources in
// and out (RFC 7643), PATCH (RFC 7644 §3.5.2) and the discovery documents' schema part.
import SCIMMY from 'scimmy';
import { asScimError } from './scim-error.js';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The resource types served: one code path for both, their schema picked by this. */
export type ScimKind = 'User' | 'Group';

const SCHEMA = { User: SCIMMY.Schemas.User, Group: SCIMMY.Schemas.Group } as const;
/** The core schema URN of a kind and its extensions' (the prefixes a filter path may carry). */
export const SCHEMA_URNS: Record<ScimKind, { core: string; extensions: string[] }> = {
  User: { core: CORE_USER, extensions: [ENTERPRISE_USER] },
  Group: { core: CORE_GROUP, extensions: [] },
};

// scimmy keeps schema extensions on its (process-global) schema classes: declared once,
// here, before anything coerces a user. (Its typings want a Schema instance; at run time
// it takes the class, as its own documentation shows.)
SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser as never, false);

/** A user or group as SCIM JSON (without id and meta, as it is stored). */
export type ScimUserData = Record<string, unknown>;
export type ScimData = ScimUserData;

/** One attribute's definition, for filter validation and comparison. */
export interface ScimAttribute {
  type: string;
  caseExact: boolean;
  multiValued: boolean;
}

/**
 * What is kept of a user: never `password` (Okta sends one at create; Latchkey has no
 * passwords, and RFC 7643 §4.1.1 makes it write-only), never the server's id and meta.
 */
function storable(data: ScimUserData): ScimUserData {
  const kept = { ...data };
  delete kept.password;
  delete kept.id;
  delete kept.meta;
  return kept;
}

const rethrow = (error: unknown): never => {
  throw asScimError(error);
};

const SERVED_URNS = [CORE_USER, ENTERPRISE_USER, CORE_GROUP];
/** The served schema URN a string names, whatever its case (RFC 7644 §3.10). */
const servedUrn = (urn: unknown) =>
  typeof urn === 'string'
    ? SERVED_URNS.find((served) => served.toLowerCase() === urn.trim().toLowerCase())
    : undefined;

/**
 * A body's schema URNs as this service spells them (RFC 7644 §3.10: they are
 * case-insensitive). `schemas` keeps the URNs served here and drops any other: Google
 * Workspace sends SCIM 1.0's "urn:scim:schemas:core:1.0" beside the 2.0 one, OneLogin and
 * Entra ID custom extensions; their attributes are ignored, as unknown attributes are.
 * With none left, the body is of the endpoint's core schema. An extension keyed by its URN
 * in another case gets the canonical key.
 */
function withServedSchemas(kind: ScimKind, body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    record[servedUrn(key) ?? key] = value;
  }
  if (Array.isArray(record.schemas)) {
    const served = [...new Set(record.schemas.map(servedUrn).filter(Boolean))];
    record.schemas = served.length ? served : [SCHEMA_URNS[kind].core];
  }
  return record;
}

/**
 * A PatchOp message as RFC 7644 §3.5.2 spells it: the PatchOp URN in any case, or absent
 * (a message with `Operations` is a PatchOp whatever it omits), and `Operations` in any
 * case (§3.10).
 */
function asPatchOp(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return message;
  const record = { ...(message as Record<string, unknown>) };
  const key = Object.keys(record).find((k) => k.toLowerCase() === 'operations');
  if (key !== undefined && key !== 'Operations') {
    record.Operations = record[key];
    delete record[key];
  }
  if (record.schemas === undefined && record.Operations !== undefined) record.schemas = [PATCH_OP];
  if (Array.isArray(record.schemas)) {
    record.schemas = record.schemas.map((urn: unknown) =>
      typeof urn === 'string' && urn.trim().toLowerCase() === PATCH_OP.toLowerCase()
        ? PATCH_OP
        : urn,
    );
  }
  return record;
}

/**
 * A user or group body from a SCIM client, coerced to its schema (RFC 7643 §4.1, §4.2,
 * §4.3): types checked, `userName` / `displayName` required, read-only and unknown
 * attributes dropped.
 */
export function coerceIn(kind: ScimKind, body: unknown): ScimData {
  try {
    const coerced = new SCHEMA[kind](withServedSchemas(kind, body), 'in');
    return storable(JSON.parse(JSON.stringify(coerced)) as ScimUserData);
  } catch (error) {
    return rethrow(error);
  }
}

/**
 * The resource as a client reads it (RFC 7643 `returned`: never `password`), before any
 * projection (scim-projection.ts).
 */
export function coerceOutWhole(
  kind: ScimKind,
  data: ScimData,
  basepath: string,
): Record<string, unknown> {
  try {
    const out = new SCHEMA[kind](data, 'out', basepath);
    return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
  } catch (error) {
    return rethrow(error);
  }
}

/**
 * Applies a PatchOp message to the resource (RFC 7644 §3.5.2): add, replace, remove, with
 * paths, value filters (`members[value eq "…"]`) and extension URNs. The operation names
 * are case-insensitive (Entra ID sends "Replace", "Add", "Remove"). Null when the message
 * changes nothing.
 */
export async function applyPatch(
  kind: ScimKind,
  current: Record<string, unknown>,
  message: unknown,
): Promise<ScimData | null> {
  try {
    const instance = new SCHEMA[kind](current, 'in');
    const result: unknown = await new SCIMMY.Messages.PatchOp(
      asPatchOp(message) as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0],
    ).apply(instance, (patched) => Promise.resolve(patched as unknown as Record<string, unknown>));
    if (!result) return null;
    const data = JSON.parse(JSON.stringify(result)) as ScimUserData;
    // `id` stays when an operation set it: the service refuses that (mutability).
    const id = data.id;
    return id === undefined ? storable(data) : { ...storable(data), id };
  } catch (error) {
    return rethrow(error);
  }
}

/**
 * The definition of an attribute path ("userName", "emails.value", "name.givenName",
 * "urn:…:enterprise:2.0:User:manager.value"), or a 400 with `scimType` when the schema has
 * no such attribute.
 */
export function attributeOf(
  kind: ScimKind,
  path: string,
  scimType: 'invalidFilter' | 'invalidPath' | 'invalidValue',
): ScimAttribute {
  // An extension's URN alone names the extension (a schema definition, without a config).
  let found: { type?: string; config?: { caseExact?: boolean; multiValued?: boolean } } | undefined;
  try {
    found = SCHEMA[kind].definition.attribute(path) as typeof found;
  } catch {
    found = undefined;
  }
  if (!found)
    throw asScimError(
      Object.assign(new Error(`Unknown attribute '${path}'.`), { status: 400, scimType }),
    );
  return {
    type: found.type ?? 'complex',
    caseExact: found.config?.caseExact === true,
    multiValued: found.config?.multiValued === true,
  };
}

/** The Schemas endpoint's documents (RFC 7643 §7): core User, the enterprise extension, Group. */
export function resourceSchemas(schemasBase: string): Array<Record<string, unknown>> {
  return [
    SCIMMY.Schemas.User.definition,
    SCIMMY.Schemas.EnterpriseUser.definition,
    SCIMMY.Schemas.Group.definition,
  ].map(
    (definition) =>
      JSON.parse(JSON.stringify(definition.describe(schemasBase))) as Record<string, unknown>,
  );
}
