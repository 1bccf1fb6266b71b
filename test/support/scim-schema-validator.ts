// A SCIM schema definition (RFC 7643 §7) walked over a document: every way the document
// breaks it, as a list of readable lines. Used to hold the discovery documents to the RFC's
// own schema representations (§8.7, test/fixtures/scim/rfc7643-schemas.json).
import { readFileSync } from 'node:fs';

/** One attribute of a schema definition (RFC 7643 §7), as §8.7 prints them. */
export interface ScimAttributeDefinition {
  name: string;
  type: string;
  multiValued: boolean;
  required?: boolean;
  caseExact?: boolean;
  canonicalValues?: string[];
  mutability?: string;
  returned?: string;
  uniqueness?: string;
  referenceTypes?: string[];
  subAttributes?: ScimAttributeDefinition[];
}

export interface ScimSchemaDefinition {
  id: string;
  name?: string;
  attributes: ScimAttributeDefinition[];
}

interface RfcSchemas {
  resourceSchemas: ScimSchemaDefinition[];
  serviceProviderSchemas: ScimSchemaDefinition[];
}

/** RFC 7643 §8.7.1 and §8.7.2 as the RFC prints them (fresh copies: tests may amend them). */
export function rfc7643Schemas(): RfcSchemas {
  const url = new URL('../fixtures/scim/rfc7643-schemas.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as RfcSchemas;
}

/** The schema of that id, or a thrown error (a typo in a test must not pass silently). */
export function schemaById(list: ScimSchemaDefinition[], id: string): ScimSchemaDefinition {
  const found = list.find((schema) => schema.id === id);
  if (!found) throw new Error(`no schema ${id}`);
  return found;
}

// RFC 3339 / xsd:dateTime, as RFC 7643 §2.3.5 asks.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7643 §2.5: null and an empty array are the same as an attribute that is not there. */
const unassigned = (value: unknown) =>
  value === undefined || value === null || (Array.isArray(value) && value.length === 0);

/** Whether a single value is of the attribute's type; a sentence when not. */
function typeProblem(definition: ScimAttributeDefinition, value: unknown): string | null {
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return typeof value === 'string' ? null : `is not a ${definition.type} (a JSON string)`;
    case 'dateTime':
      return typeof value === 'string' && DATE_TIME.test(value) ? null : 'is not a dateTime';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'is not a boolean';
    case 'integer':
      return Number.isInteger(value) ? null : 'is not an integer';
    case 'decimal':
      return typeof value === 'number' ? null : 'is not a decimal';
    case 'complex':
      return isObject(value) ? null : 'is not a complex value (a JSON object)';
    default:
      return `has the unknown type ${definition.type}`;
  }
}

function valueViolations(
  definition: ScimAttributeDefinition,
  value: unknown,
  path: string,
): string[] {
  const problem = typeProblem(definition, value);
  if (problem) return [`${path} ${problem}`];
  const canonical = definition.canonicalValues ?? [];
  if (canonical.length && typeof value === 'string' && !canonical.includes(value)) {
    return [`${path} is ${JSON.stringify(value)}, not one of ${canonical.join(', ')}`];
  }
  if (definition.type === 'complex') {
    return attributesViolations(definition.subAttributes ?? [], value as object, path);
  }
  return [];
}

function attributesViolations(
  definitions: ScimAttributeDefinition[],
  target: object,
  prefix: string,
  ignored: string[] = [],
): string[] {
  const violations: string[] = [];
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  for (const definition of definitions) {
    const path = at(definition.name);
    const value = (target as Record<string, unknown>)[definition.name];
    if (unassigned(value)) {
      if (definition.required) violations.push(`${path} is required`);
      continue;
    }
    if (definition.multiValued !== Array.isArray(value)) {
      violations.push(`${path} ${definition.multiValued ? 'is not' : 'is'} multi-valued`);
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    values.forEach((element, index) => {
      const where = definition.multiValued ? `${path}[${index}]` : path;
      violations.push(...valueViolations(definition, element, where));
    });
  }
  const known = new Set([...definitions.map((d) => d.name), ...ignored]);
  for (const name of Object.keys(target)) {
    if (!known.has(name)) violations.push(`${at(name)} is not in the schema`);
  }
  return violations;
}

/** RFC 7643 §3.1: what every User and Group carries besides its schema's attributes. */
const COMMON_ATTRIBUTES: ScimAttributeDefinition[] = [
  { name: 'id', type: 'string', multiValued: false, required: true, caseExact: true },
  { name: 'externalId', type: 'string', multiValued: false, caseExact: true },
];

/**
 * Every way `document` breaks the schema: a required attribute unassigned, a single value
 * where a list belongs or the reverse, a value of the wrong type, a string outside the
 * canonical values, an attribute the schema does not define. `schemas` must name the
 * schema; `schemas` and `meta` are common attributes (RFC 7643 §3, §3.1), not the schema's.
 * For a resource (`resource: true`), `id` and `externalId` are common attributes too, and
 * each extension's attributes are under its URN (§3.3).
 */
export function scimSchemaViolations(
  document: unknown,
  schema: ScimSchemaDefinition,
  options: { resource?: boolean; extensions?: ScimSchemaDefinition[] } = {},
): string[] {
  if (!isObject(document)) return ['the document is not a JSON object'];
  const violations: string[] = [];
  const schemas = document.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(schema.id)) {
    violations.push(`schemas does not name ${schema.id}`);
  }
  if (document.meta !== undefined && !isObject(document.meta)) {
    violations.push('meta is not complex');
  }
  const extensions = options.extensions ?? [];
  const attributes = options.resource
    ? [...COMMON_ATTRIBUTES, ...schema.attributes]
    : schema.attributes;
  const ignored = ['schemas', 'meta', ...extensions.map((extension) => extension.id)];
  violations.push(...attributesViolations(attributes, document, '', ignored));
  for (const extension of extensions) {
    const part = document[extension.id];
    if (part === undefined) continue;
    if (!isObject(part)) violations.push(`${extension.id} is not complex`);
    else violations.push(...attributesViolations(extension.attributes, part, extension.id));
  }
  return violations;
}

/** The characteristics RFC 7643 §7 gives every attribute, compared one by one. */
const CHARACTERISTICS = [
  'type',
  'multiValued',
  'required',
  'mutability',
  'returned',
  'uniqueness',
  'caseExact',
] as const;

/**
 * Where the attribute definitions `ours` (a /Schemas document's) differ from the RFC's for
 * every attribute the RFC lists, sub-attributes included; a characteristic the RFC leaves
 * out is not compared. Each line: "path characteristic: RFC x, ours y".
 */
export function attributeDifferences(
  ours: ScimAttributeDefinition[],
  rfc: ScimAttributeDefinition[],
  prefix = '',
): string[] {
  const differences: string[] = [];
  for (const theirs of rfc) {
    const path = prefix ? `${prefix}.${theirs.name}` : theirs.name;
    const mine = ours.find((candidate) => candidate.name === theirs.name);
    if (!mine) {
      differences.push(`${path} is not served`);
      continue;
    }
    for (const key of CHARACTERISTICS) {
      if (theirs[key] === undefined || theirs[key] === mine[key]) continue;
      differences.push(
        `${path} ${key}: RFC ${JSON.stringify(theirs[key])}, ours ${JSON.stringify(mine[key])}`,
      );
    }
    differences.push(
      ...attributeDifferences(mine.subAttributes ?? [], theirs.subAttributes ?? [], path),
    );
  }
  return differences;
}
