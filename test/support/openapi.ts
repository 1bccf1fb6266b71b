import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type request from 'supertest';

type Spec = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }
    >
  >;
};

const SPEC_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
export const spec = parseYaml(readFileSync(SPEC_PATH, 'utf8')) as Spec;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, 'openapi');

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** "/api/v1/orgs/:orgId" (Express) → "/api/v1/orgs/{orgId}" (OpenAPI). */
export const toOpenApiPath = (expressPath: string) =>
  expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Asserts that a real response is one the spec documents for this operation: the status
 * is listed, and the body validates against the schema for its content type.
 */
type ResponseObject = { $ref?: string; content?: Record<string, { schema?: unknown }> };

/** Follows a local $ref ("#/components/responses/X") to the object and its JSON pointer. */
function resolve(pointer: string[]): { value: ResponseObject; pointer: string[] } {
  let value: unknown = spec;
  for (const segment of pointer) value = (value as Record<string, unknown>)[segment];
  const ref = (value as ResponseObject).$ref;
  if (ref)
    return resolve(
      ref
        .replace(/^#\//, '')
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')),
    );
  return { value: value as ResponseObject, pointer };
}

/**
 * Asserts that a real response is one the spec documents for this operation: the status
 * is listed, and the body validates against the schema for its content type.
 */
export function assertMatchesSpec(
  res: request.Response,
  method: string,
  pathTemplate: string,
): void {
  const operation = spec.paths[pathTemplate]?.[method.toLowerCase()];
  assert.ok(operation, `openapi.yaml has no ${method.toUpperCase()} ${pathTemplate}`);
  const status = String(res.status);
  const key = [status, `${status[0]}XX`, 'default'].find((k) => k in operation.responses);
  assert.ok(
    key,
    `openapi.yaml does not document ${res.status} for ${method.toUpperCase()} ${pathTemplate}`,
  );
  const { value: response, pointer } = resolve([
    'paths',
    pathTemplate,
    method.toLowerCase(),
    'responses',
    key,
  ]);
  const contentType = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!response.content) {
    assert.equal(res.text ?? '', '', `${method} ${pathTemplate} ${status} should have no body`);
    return;
  }
  const media = response.content[contentType];
  assert.ok(
    media,
    `openapi.yaml documents no ${contentType} body for ${res.status} on ${method.toUpperCase()} ${pathTemplate}`,
  );
  if (!media.schema) return;
  const schemaPointer = [...pointer, 'content', contentType, 'schema'].map(escape).join('/');
  const validate = ajv.getSchema(`openapi#/${schemaPointer}`);
  assert.ok(validate, `cannot compile schema at ${schemaPointer}`);
  const text = typeof res.body === 'string' ? res.body : res.text;
  // NDJSON: the schema is that of each line (OpenAPI 3.1 has no itemSchema yet).
  const bodies: unknown[] =
    contentType === 'application/x-ndjson'
      ? text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as unknown)
      : [contentType.endsWith('json') ? JSON.parse(text) : text];
  for (const body of bodies) {
    assert.ok(
      validate(body),
      `response does not match openapi.yaml (${schemaPointer}): ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
}
