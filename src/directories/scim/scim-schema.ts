// The one home of scimmy (rule 4): SCIM 2.0 schema definitions, coercion of resources in
// and out (RFC 7643), PATCH (RFC 7644 §3.5.2) and the discovery documents' schema part.
import SCIMMY from 'scimmy';
import { asScimError } from './scim-error.js';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// scimmy keeps schema extensions on its (process-global) schema classes: declared once,
// here, before anything coerces a user. (Its typings want a Schema instance; at run time
// it takes the class, as its own documentation shows.)
SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser as never, false);

/** A user as SCIM JSON (without id and meta, as it is stored). */
export type ScimUserData = Record<string, unknown>;

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
 * A user body from a SCIM client, coerced to the schema (RFC 7643 §4.1, §4.3): types
 * checked, `userName` required, read-only and unknown attributes dropped.
 */
export function coerceUserIn(body: unknown): ScimUserData {
  try {
    const coerced = new SCIMMY.Schemas.User(body, 'in');
    return storable(JSON.parse(JSON.stringify(coerced)) as ScimUserData);
  } catch (error) {
    return rethrow(error);
  }
}

/**
 * The user as a client sees it: `attributes` / `excludedAttributes` (RFC 7644 §3.9) applied
 * by scimmy, `basepath` the Users endpoint for meta.location.
 */
export function coerceUserOut(
  data: ScimUserData,
  basepath: string,
  projection: { attributes?: string; excludedAttributes?: string },
): Record<string, unknown> {
  try {
    const filter = projectionFilter(projection);
    const out = filter
      ? new SCIMMY.Schemas.User(data, 'out', basepath, filter)
      : new SCIMMY.Schemas.User(data, 'out', basepath);
    return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
  } catch (error) {
    return rethrow(error);
  }
}

/** As scimmy's Resource does: `attributes` → "a pr and b pr", `excludedAttributes` → "np". */
function projectionFilter(projection: { attributes?: string; excludedAttributes?: string }) {
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
  for (const name of names) attributeOf(name, 'invalidValue');
  return new SCIMMY.Types.Filter(names.map((name) => `${name} ${op}`).join(' and '));
}

/**
 * Applies a PatchOp message to the user (RFC 7644 §3.5.2): add, replace, remove, with
 * paths, value filters and extension URNs. The operation names are case-insensitive
 * (Entra ID sends "Replace"). Null when the message changes nothing.
 */
export async function applyUserPatch(
  current: Record<string, unknown>,
  message: unknown,
): Promise<ScimUserData | null> {
  try {
    const instance = new SCIMMY.Schemas.User(current, 'in');
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
  path: string,
  scimType: 'invalidFilter' | 'invalidPath' | 'invalidValue',
): ScimAttribute {
  // An extension's URN alone names the extension (a schema definition, without a config).
  let found: { type?: string; config?: { caseExact?: boolean; multiValued?: boolean } } | undefined;
  try {
    found = SCIMMY.Schemas.User.definition.attribute(path) as typeof found;
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

/** The Schemas endpoint's documents (RFC 7643 §7): the core User and the enterprise extension. */
export function userSchemas(schemasBase: string): Array<Record<string, unknown>> {
  return [SCIMMY.Schemas.User.definition, SCIMMY.Schemas.EnterpriseUser.definition].map(
    (definition) =>
      JSON.parse(JSON.stringify(definition.describe(schemasBase))) as Record<string, unknown>,
  );
}
