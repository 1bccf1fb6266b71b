// RFC 7644 §3.9: `attributes` and `excludedAttributes` over a resource already coerced out.
// Done here rather than by scimmy's filter, which fails on a sub-attribute of a user that
// has the enterprise extension ("name.givenName", "urn:…:enterprise:2.0:User:department").
import {
  SCHEMA_URNS,
  attributeOf,
  coerceOutWhole,
  type ScimData,
  type ScimKind,
} from './scim-schema.js';

type Json = Record<string, unknown>;

/** An attribute path: the extension it is under (null: the core schema) and its names. */
interface AttributePath {
  extension: string | null;
  names: string[];
}

/** Returned whatever `attributes` says (RFC 7643 §3.1 `id` is "always"; `schemas` keeps the answer readable). */
const ALWAYS = ['id', 'schemas'];

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The key of `source` that `name` names: attribute names are case-insensitive (RFC 7643 §2.1). */
const keyOf = (source: Json, name: string) =>
  Object.keys(source).find((key) => key.toLowerCase() === name.toLowerCase());

function pathOf(kind: ScimKind, raw: string): AttributePath {
  const lower = raw.toLowerCase();
  const { core, extensions } = SCHEMA_URNS[kind];
  for (const urn of [core, ...extensions]) {
    const extension = urn === core ? null : urn;
    if (lower === urn.toLowerCase()) return { extension, names: [] };
    if (lower.startsWith(`${urn.toLowerCase()}:`)) {
      return { extension, names: raw.slice(urn.length + 1).split('.') };
    }
  }
  return { extension: null, names: raw.split('.') };
}

/** The part of `value` that the names select, or undefined when it has none. */
function selected(value: unknown, names: string[]): unknown {
  if (!names.length) return value;
  if (Array.isArray(value)) {
    const parts = value.map((item) => selected(item, names)).filter((v) => v !== undefined);
    return parts.length ? parts : undefined;
  }
  if (!isObject(value)) return undefined;
  const key = keyOf(value, names[0]!);
  if (key === undefined) return undefined;
  const inner = selected(value[key], names.slice(1));
  return inner === undefined ? undefined : { [key]: inner };
}

/** Deep merge of two selections of one resource (multi-valued: element by element). */
function merged(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (Array.isArray(a) && Array.isArray(b)) return a.map((item, i) => merged(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const out: Json = { ...a };
    for (const [key, value] of Object.entries(b)) out[key] = merged(out[key], value);
    return out;
  }
  return b;
}

/** `value` without what the names select. */
function without(value: unknown, names: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, names));
  if (!isObject(value) || !names.length) return value;
  const key = keyOf(value, names[0]!);
  if (key === undefined) return value;
  const out: Json = { ...value };
  if (names.length === 1) delete out[key];
  else out[key] = without(value[key], names.slice(1));
  return out;
}

/** The part of the resource a path lives in: the core attributes or one extension's. */
const scopeOf = (resource: Json, path: AttributePath): [unknown, (v: unknown) => Json] =>
  path.extension === null
    ? [resource, (v) => (isObject(v) ? v : {})]
    : [resource[path.extension], (v) => (v === undefined ? {} : { [path.extension!]: v })];

/**
 * The resource as the projection asks (attribute names checked against the schema first:
 * an unknown one is 400 invalidValue). Without `attributes` or `excludedAttributes`, as it is.
 */
export function project(
  kind: ScimKind,
  resource: Json,
  projection: { attributes?: string; excludedAttributes?: string },
): Json {
  const list = projection.attributes ?? projection.excludedAttributes;
  if (!list) return resource;
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) attributeOf(kind, name, 'invalidValue');
  const paths = names.map((name) => pathOf(kind, name));
  if (projection.attributes) {
    let out: unknown = Object.fromEntries(
      ALWAYS.filter((key) => key in resource).map((key) => [key, resource[key]]),
    );
    for (const path of paths) {
      const [scope, wrap] = scopeOf(resource, path);
      const picked = selected(scope, path.names);
      if (picked !== undefined) out = merged(out, wrap(picked));
    }
    return out as Json;
  }
  let out: Json = resource;
  for (const path of paths) {
    if (path.extension === null && path.names.length === 1 && ALWAYS.includes(path.names[0]!)) {
      continue; // RFC 7643 §2.4: "always" attributes are returned whatever is excluded.
    }
    if (path.extension === null) out = without(out, path.names) as Json;
    else if (!path.names.length) out = without(out, [path.extension]) as Json;
    else out = { ...out, [path.extension]: without(out[path.extension], path.names) };
  }
  return out;
}

/**
 * The resource as a client sees it: coerced out (`basepath` the resource type's endpoint
 * for meta.location), then `attributes` / `excludedAttributes` applied.
 */
export const coerceOut = (
  kind: ScimKind,
  data: ScimData,
  basepath: string,
  projection: { attributes?: string; excludedAttributes?: string },
): Json => project(kind, coerceOutWhole(kind, data, basepath), projection);
