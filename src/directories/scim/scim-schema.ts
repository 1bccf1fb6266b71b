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

/**
 * A user or group body from a SCIM client, coerced to its schema (RFC 7643 §4.1, §4.2,
 * §4.3): types checked, `userName` / `displayName` required, read-only and unknown
 * attributes dropped.
 */
export function coerceIn(kind: ScimKind, body: unknown): ScimData {
  try {
    const coerced = new SCHEMA[kind](body, 'in');
    return storable(JSON.parse(JSON.stringify(coerced)) as ScimUserData);
  } catch (error) {
    return rethrow(error);
  }
}

/**
 * The resource as a client sees it: `attributes` / `excludedAttributes` (RFC 7644 §3.9)
 * applied by scimmy, `basepath` the resource type's endpoint for meta.location.
 */
export function coerceOut(
  kind: ScimKind,
  data: ScimData,
  basepath: string,
  projection: { attributes?: string; excludedAttributes?: string },
): Record<string, unknown> {
  try {
    const filter = projectionFilter(kind, projection);
    const out = filter
      ? new SCHEMA[kind](data, 'out', basepath, filter)
      : new SCHEMA[kind](data, 'out', basepath);
    return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
  } catch (error) {
    return rethrow(error);
  }
}

/** As scimmy's Resource does: `attributes` → "a pr and b pr", `excludedAttributes` → "np". */
function projectionFilter(
  kind: ScimKind,
  projection: { attributes?: string; excludedAttributes?: string },
) {
  const [list, op] = projection.attributes
    ? [projection.attributes, 'pr']
    : projection.excludedAttributes
      ? [projection.excludedAttributes, 'np']
      : [null, null];
  if (!list) return null;
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) attributeOf(kind, name, 'invalidValue');
  return new SCIMMY.Types.Filter(names.map((name) => `${name} ${op}`).join(' and '));
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
      message as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0],
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
