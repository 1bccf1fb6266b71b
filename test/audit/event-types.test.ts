import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AUDIT_EVENT_TYPES,
  isAuditEventType,
  isAuditEventTypePrefix,
} from '../../src/audit/index.js';
import { spec } from '../support/openapi.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REGISTRY_FILE = join('src', 'audit', 'event-types.ts');
const TYPE_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * The types docs/audit-events.md documents: every backticked name with a dot in the
 * first column of the tables under "## Types" (a row may list several, each in full).
 */
function documentedTypes(): string[] {
  const text = readFileSync(join(ROOT, 'docs', 'audit-events.md'), 'utf8');
  const start = text.indexOf('\n## Types\n');
  assert.ok(start >= 0, 'docs/audit-events.md has a "## Types" section');
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const names: string[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const [, name] of firstCell.matchAll(/`([^`]+)`/g)) {
      if (name!.includes('.')) names.push(name!);
    }
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const sorted = (names: readonly string[]) => [...names].sort();

describe('audit event type registry', () => {
  it('when the registry is read, then every name is a well-formed taxonomy name, listed once', () => {
    for (const type of AUDIT_EVENT_TYPES) assert.match(type, TYPE_NAME);
    assert.equal(new Set(AUDIT_EVENT_TYPES).size, AUDIT_EVENT_TYPES.length);
  });

  it('when docs/audit-events.md is read, then every registered type is documented and every documented type is registered', () => {
    const documented = documentedTypes();
    const undocumented = AUDIT_EVENT_TYPES.filter((type) => !documented.includes(type));
    assert.deepEqual(undocumented, [], 'registered but not in docs/audit-events.md');
    const unregistered = documented.filter((type) => !isAuditEventType(type));
    assert.deepEqual(unregistered, [], 'in docs/audit-events.md but not registered');
    assert.equal(new Set(documented).size, documented.length, 'each type documented once');
  });

  it('when openapi.yaml is read, then its AuditEventType enum is the registry, and webhook requests use it', () => {
    const schemas = (spec as unknown as { components: { schemas: Record<string, unknown> } })
      .components.schemas;
    const enumOf = schemas.AuditEventType as { enum: string[] };
    assert.deepEqual(sorted(enumOf.enum), sorted(AUDIT_EVENT_TYPES));
    const input = schemas.WebhookEventTypesInput as { items: { $ref: string } };
    assert.equal(input.items.$ref, '#/components/schemas/AuditEventType');
    for (const body of ['WebhookCreate', 'WebhookUpdate']) {
      const properties = (schemas[body] as { properties: Record<string, { $ref: string }> })
        .properties;
      assert.equal(
        properties.event_types!.$ref,
        '#/components/schemas/WebhookEventTypesInput',
        body,
      );
    }
  });

  it('when src/ is searched, then every registered type is written by some emitter (no dead entry)', () => {
    const sources = sourceFiles('src')
      .filter((path) => path !== REGISTRY_FILE)
      .map((path) => readFileSync(join(ROOT, path), 'utf8'))
      .join('\n');
    const neverWritten = AUDIT_EVENT_TYPES.filter((type) => !sources.includes(`'${type}'`));
    assert.deepEqual(neverWritten, []);
  });

  it('when a name or a prefix is checked, then only registered names and prefixes of whole segments that select one pass', () => {
    assert.equal(isAuditEventType('admin.user.deleted'), true);
    assert.equal(isAuditEventType('admin.user.delete'), false);
    assert.equal(isAuditEventType('admin.user'), false);
    assert.equal(isAuditEventType('Admin.user.deleted'), false);
    assert.equal(isAuditEventTypePrefix('admin.user.'), true);
    assert.equal(isAuditEventTypePrefix('admin.'), true);
    assert.equal(isAuditEventTypePrefix('admin.usr.'), false);
    assert.equal(isAuditEventTypePrefix('admin.us'), false);
    assert.equal(isAuditEventTypePrefix('admin.user.deleted.'), false);
  });
});
