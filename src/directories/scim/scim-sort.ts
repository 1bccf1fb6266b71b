// RFC 7644 §3.4.2.3: sortBy and sortOrder, checked against the User or Group schema and
// applied with the attribute's type and case-exactness.
import { scimError } from './scim-error.js';
import { comparable, valuesAt } from './scim-filter.js';
import { attributeOf, type ScimAttribute, type ScimKind } from './scim-schema.js';

export interface ParsedSort {
  readonly kind: ScimKind;
  readonly path: string;
  readonly attribute: ScimAttribute;
  /** When the path is a sub-attribute of a multi-valued attribute: that attribute, and the rest. */
  readonly element: { path: string; subAttribute: string } | null;
  readonly descending: boolean;
}

const invalid = (message: string) => scimError(400, 'invalidValue', message);

/**
 * The sortBy and sortOrder of a list request; null without sortBy (the order is then the
 * oldest first, and a sortOrder alone changes nothing). An attribute the schema does not
 * have, a complex one, or another sortOrder than "ascending" / "descending" is 400
 * invalidValue.
 */
export function parseSort(
  kind: ScimKind,
  sortBy: string | undefined,
  sortOrder: string | undefined,
): ParsedSort | null {
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw invalid('sortOrder must be "ascending" or "descending".');
  }
  if (sortBy === undefined) return null;
  const path = sortBy.trim();
  const attribute = attributeOf(kind, path, 'invalidValue');
  // §3.4.2.3: "If the attribute is complex, the attribute name must be a path to a
  // sub-attribute" (sortBy=name.givenName).
  if (attribute.type === 'complex') {
    throw invalid(`sortBy '${path}' is complex: name one of its sub-attributes.`);
  }
  // The attribute part follows the schema URN, whose "2.0" has a dot of its own.
  const urnEnd = path.lastIndexOf(':') + 1;
  const dot = path.indexOf('.', urnEnd);
  const parent = dot < 0 ? null : path.slice(0, dot);
  const element =
    parent && attributeOf(kind, parent, 'invalidValue').multiValued
      ? { path: parent, subAttribute: path.slice(dot + 1) }
      : null;
  return { kind, path, attribute, element, descending: sortOrder === 'descending' };
}

const isPrimary = (value: unknown) =>
  typeof value === 'object' && value !== null && (value as { primary?: unknown }).primary === true;

/**
 * §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first; "no data"
 * is undefined.
 */
function sortKey(sort: ParsedSort, resource: Record<string, unknown>): unknown {
  let values: unknown[];
  if (sort.element) {
    const elements = valuesAt(sort.kind, resource, sort.element.path, '');
    const chosen = elements.find(isPrimary) ?? elements[0];
    values =
      chosen === undefined
        ? []
        : valuesAt(sort.kind, chosen, sort.element.subAttribute, sort.element.path);
  } else {
    values = valuesAt(sort.kind, resource, sort.path, '');
  }
  const value = values[0];
  if (value === undefined || value === '') return undefined;
  const key = comparable(value, sort.attribute);
  return typeof key === 'number' && Number.isNaN(key) ? undefined : key;
}

/** Ascending; what has no value comes after everything that has one. */
function compareKeys(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  // Strings by code unit: "Unicode alphabetic sort order with no specific locale implied";
  // a case-insensitive attribute's values are already case-folded (comparable).
  if (a === b) return 0;
  return (a as string | number) < (b as string | number) ? -1 : 1;
}

/**
 * The resources in the sort's order (§3.4.2.3): ascending, or descending; resources without
 * a value are last when ascending and first when descending; equal keys keep their order
 * (the oldest first). `json` is a resource as SCIM JSON.
 */
export function sortResources<R>(
  sort: ParsedSort,
  resources: R[],
  json: (resource: R) => Record<string, unknown>,
): R[] {
  const keyed = resources.map((resource) => ({ resource, key: sortKey(sort, json(resource)) }));
  const direction = sort.descending ? -1 : 1;
  keyed.sort((x, y) => direction * compareKeys(x.key, y.key));
  return keyed.map(({ resource }) => resource);
}
