// SCIM filters (RFC 7644 §3.4.2.2): parsed by scim2-parse-filter (its one home, with
// scim-schema.ts for scimmy), checked against the User or Group schema, evaluated here with the
// schema's case-exactness and types. scimmy's own Filter is not used for parsing: it
// turns `not (a or b)` into `not a or not b` (docs/scim.md).
import { parse, type Filter } from 'scim2-parse-filter';
import { scimError } from './scim-error.js';
import { attributeOf, SCHEMA_URNS, type ScimAttribute, type ScimKind } from './scim-schema.js';

const COMPARISONS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ORDERINGS = new Set(['gt', 'ge', 'lt', 'le']);

export interface ParsedFilter {
  readonly kind: ScimKind;
  readonly ast: Filter;
  /**
   * An equality every match must satisfy, on the name (a user's userName, a group's
   * displayName, both case-insensitive) or externalId: a store can narrow by it.
   */
  readonly narrowing: { name?: string; externalId?: string };
}

/** The attribute that names a resource of the kind (the one narrowing.name is about). */
const NAME_ATTRIBUTE: Record<ScimKind, string> = { User: 'username', Group: 'displayname' };

type Node = {
  op: string;
  attrPath?: string;
  compValue?: unknown;
  filters?: Node[];
  filter?: Node;
  valFilter?: Node;
};

const invalid = (message: string) => scimError(400, 'invalidFilter', message);
const join = (prefix: string, path: string) => (prefix ? `${prefix}.${path}` : path);

/** Checks every attribute and operator of the filter against the kind's schema. */
function check(kind: ScimKind, node: Node, prefix: string): void {
  const op = node.op.toLowerCase();
  if (op === 'and' || op === 'or') return node.filters!.forEach((f) => check(kind, f, prefix));
  if (op === 'not') return check(kind, node.filter!, prefix);
  const path = join(prefix, node.attrPath!);
  const attribute = attributeOf(kind, path, 'invalidFilter');
  if (op === '[]') return check(kind, node.valFilter!, path);
  if (op === 'pr') return;
  if (!COMPARISONS.has(op)) throw invalid(`Unknown operator '${node.op}'.`);
  if (ORDERINGS.has(op) && (attribute.type === 'boolean' || attribute.type === 'binary')) {
    throw invalid(`'${node.op}' cannot compare the ${attribute.type} attribute '${path}'.`);
  }
}

function narrowingOf(kind: ScimKind, ast: Node): ParsedFilter['narrowing'] {
  const terms = ast.op.toLowerCase() === 'and' ? ast.filters! : [ast];
  const narrowing: ParsedFilter['narrowing'] = {};
  for (const term of terms) {
    if (term.op.toLowerCase() !== 'eq' || typeof term.compValue !== 'string') continue;
    const name = term.attrPath!.toLowerCase();
    if (name === NAME_ATTRIBUTE[kind]) narrowing.name = term.compValue;
    if (name === 'externalid') narrowing.externalId = term.compValue;
  }
  return narrowing;
}

/** The `filter` query parameter, parsed and checked; 400 invalidFilter when it is not one. */
export function parseFilter(kind: ScimKind, expression: unknown): ParsedFilter {
  if (typeof expression !== 'string' || !expression.trim()) {
    throw invalid('The filter must be a non-empty string.');
  }
  let ast: Node;
  try {
    ast = parse(expression);
  } catch (error) {
    throw invalid(`The filter could not be parsed: ${(error as Error).message}`);
  }
  check(kind, ast, '');
  return { kind, ast: ast as Filter, narrowing: narrowingOf(kind, ast) };
}

/** The values at an attribute path of a resource (or, with a prefix, of one element of a multi-valued one). */
export function valuesAt(kind: ScimKind, target: unknown, path: string, prefix: string): unknown[] {
  let rest = path;
  let roots: unknown[] = [target];
  const lower = path.toLowerCase();
  const { core, extensions } = SCHEMA_URNS[kind];
  const extension = extensions.find((urn) => lower.startsWith(`${urn.toLowerCase()}:`));
  if (!prefix && extension) {
    roots = [(target as Record<string, unknown>)[extension]];
    rest = path.slice(extension.length + 1);
  } else if (!prefix && lower.startsWith(`${core.toLowerCase()}:`)) {
    rest = path.slice(core.length + 1);
  }
  for (const segment of rest.split('.')) {
    roots = roots.flatMap((value) => {
      if (value === null || typeof value !== 'object') return [];
      const key = Object.keys(value).find((k) => k.toLowerCase() === segment.toLowerCase());
      const found = key === undefined ? undefined : (value as Record<string, unknown>)[key];
      if (Array.isArray(found)) return found as unknown[];
      return found === undefined ? [] : [found];
    });
  }
  return roots.filter((value) => value !== null && value !== undefined);
}

/** A value as the attribute's type compares it: instants, booleans, case-folded strings. */
export const comparable = (value: unknown, attribute: ScimAttribute): unknown => {
  if (attribute.type === 'dateTime') return typeof value === 'string' ? Date.parse(value) : NaN;
  if (attribute.type === 'boolean' && typeof value === 'string') {
    // Entra ID filters on booleans as the strings "True" / "False".
    if (value.toLowerCase() === 'true') return true;
    if (value.toLowerCase() === 'false') return false;
  }
  if (typeof value === 'string' && !attribute.caseExact) return value.toLowerCase();
  return value;
};

function compare(op: string, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'co':
      return String(actual).includes(String(expected));
    case 'sw':
      return String(actual).startsWith(String(expected));
    case 'ew':
      return String(actual).endsWith(String(expected));
    case 'gt':
      return typeof actual === typeof expected && (actual as number) > (expected as number);
    case 'ge':
      return typeof actual === typeof expected && (actual as number) >= (expected as number);
    case 'lt':
      return typeof actual === typeof expected && (actual as number) < (expected as number);
    case 'le':
      return typeof actual === typeof expected && (actual as number) <= (expected as number);
    default:
      return false;
  }
}

function evaluate(kind: ScimKind, node: Node, target: unknown, prefix: string): boolean {
  const op = node.op.toLowerCase();
  if (op === 'and') return node.filters!.every((f) => evaluate(kind, f, target, prefix));
  if (op === 'or') return node.filters!.some((f) => evaluate(kind, f, target, prefix));
  if (op === 'not') return !evaluate(kind, node.filter!, target, prefix);
  const path = join(prefix, node.attrPath!);
  const values = valuesAt(kind, target, node.attrPath!, prefix);
  if (op === '[]') return values.some((element) => evaluate(kind, node.valFilter!, element, path));
  if (op === 'pr') return values.some((v) => v !== '' && !(Array.isArray(v) && !v.length));
  // RFC 7644 §3.4.2.2: `ne` matches what `eq` does not (an absent value included).
  if (op === 'ne') return !evaluate(kind, { ...node, op: 'eq' }, target, prefix);
  const attribute = attributeOf(kind, path, 'invalidFilter');
  const expected = comparable(node.compValue, attribute);
  return values.some((value) => compare(op, comparable(value, attribute), expected));
}

/** Whether a resource of the filter's kind (SCIM JSON with id and meta) matches the filter. */
export const matchesFilter = (filter: ParsedFilter, resource: Record<string, unknown>): boolean =>
  evaluate(filter.kind, filter.ast, resource, '');
