import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import {
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE_USER,
  groupBody,
  scimDirectory,
  scimDomains,
  userBody,
  type ScimClient,
} from '../support/scim.js';
import {
  attributeDifferences,
  rfc7643Schemas,
  schemaById,
  scimSchemaViolations,
  type ScimAttributeDefinition,
  type ScimSchemaDefinition,
} from '../support/scim-schema-validator.js';

const SPC = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type Listed = {
  schemas: string[];
  totalResults: number;
  Resources: Array<Record<string, unknown>>;
};

const attribute = (list: ScimAttributeDefinition[], name: string) => {
  const found = list.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no attribute ${name}`);
  return found;
};

/**
 * RFC 7643 §8.7.2 as printed contradicts the RFC's own prose in a few places; the prose
 * wins, and each correction names the section it comes from. Everything else is the RFC's.
 */
function serviceProviderSchemas(): ScimSchemaDefinition[] {
  const schemas = rfc7643Schemas().serviceProviderSchemas;
  const config = schemaById(schemas, SPC);
  // §5 defines `etag` (REQUIRED) and a scheme's `type` (REQUIRED); §8.7.2 leaves both out.
  // A scheme's `primary` is in §8.5's example.
  const readOnly = { mutability: 'readOnly', returned: 'default' } as const;
  config.attributes.push({
    name: 'etag',
    type: 'complex',
    multiValued: false,
    required: true,
    ...readOnly,
    subAttributes: [{ name: 'supported', type: 'boolean', multiValued: false, required: true }],
  });
  attribute(config.attributes, 'authenticationSchemes').subAttributes!.push(
    {
      name: 'type',
      type: 'string',
      multiValued: false,
      required: true,
      canonicalValues: ['oauth', 'oauth2', 'oauthbearertoken', 'httpbasic', 'httpdigest'],
    },
    { name: 'primary', type: 'boolean', multiValued: false, required: false },
  );
  // §6: schemaExtensions is "a list", OPTIONAL (§8.6's example is an array).
  Object.assign(attribute(schemaById(schemas, RESOURCE_TYPE).attributes, 'schemaExtensions'), {
    multiValued: true,
    required: false,
  });
  // §2.3.6 defines the binary type (which §8.7.1 uses for x509Certificates.value), and §7
  // makes referenceTypes "a multi-valued array" at every level.
  const attributes = attribute(schemaById(schemas, SCHEMA).attributes, 'attributes');
  const subAttributes = attribute(attributes.subAttributes!, 'subAttributes');
  for (const level of [attributes, subAttributes]) {
    attribute(level.subAttributes!, 'type').canonicalValues!.push('binary');
    attribute(level.subAttributes!, 'referenceTypes').multiValued = true;
  }
  return schemas;
}

/**
 * Where our User, EnterpriseUser and Group definitions differ from RFC 7643 §8.7.1 on
 * purpose. x509Certificates: §2.3.6 makes binary values case exact (base64 is), and §7 gives
 * caseExact to strings only, so our definition states none for the complex attribute.
 * Group displayName: §4.2 says REQUIRED, §8.7.1 says not; a group without a name cannot be
 * mapped to roles (docs/scim.md).
 */
const DELIBERATE_DIFFERENCES: Record<string, string[]> = {
  [CORE_USER]: [
    'x509Certificates caseExact: RFC false, ours undefined',
    'x509Certificates.value caseExact: RFC false, ours true',
  ],
  [ENTERPRISE_USER]: [],
  [CORE_GROUP]: ['displayName required: RFC false, ours true'],
};

describe('SCIM discovery documents against the RFC 7643 schemas', () => {
  let f: AdminFixture;
  let scim: ScimClient;
  const schemas = serviceProviderSchemas();
  before(async () => {
    f = await startAdminFixture();
    await scimDomains(f);
    ({ scim } = await scimDirectory(f, f.orgA));
  });
  after(async () => {
    await f.t.close();
  });

  const fetched = async (path: string) => {
    const res = await scim.get(path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    return res.body as Record<string, unknown>;
  };
  const listed = async (path: string) => {
    const list = (await fetched(path)) as Listed;
    assert.deepEqual(list.schemas, [LIST_RESPONSE]);
    assert.equal(list.totalResults, list.Resources.length);
    return list.Resources;
  };

  it('when /ServiceProviderConfig is fetched, then it satisfies the ServiceProviderConfig schema', async () => {
    const config = await fetched('/ServiceProviderConfig');
    assert.deepEqual(scimSchemaViolations(config, schemaById(schemas, SPC)), []);
  });

  it('when /ResourceTypes and /ResourceTypes/User are fetched, then each satisfies the ResourceType schema', async () => {
    const types = await listed('/ResourceTypes');
    assert.deepEqual(
      types.map((type) => type.id),
      ['User', 'Group'],
    );
    for (const type of [...types, await fetched('/ResourceTypes/User')]) {
      assert.deepEqual(
        scimSchemaViolations(type, schemaById(schemas, RESOURCE_TYPE)),
        [],
        String(type.id),
      );
    }
  });

  it('when /Schemas and each /Schemas/<urn> are fetched, then each satisfies the Schema schema', async () => {
    const served = await listed('/Schemas');
    assert.deepEqual(
      served.map((schema) => schema.id),
      [CORE_USER, ENTERPRISE_USER, CORE_GROUP],
    );
    for (const urn of [CORE_USER, ENTERPRISE_USER, CORE_GROUP]) {
      const one = await fetched(`/Schemas/${urn}`);
      assert.deepEqual(
        one,
        served.find((schema) => schema.id === urn),
      );
      assert.deepEqual(scimSchemaViolations(one, schemaById(schemas, SCHEMA)), [], urn);
    }
  });

  it('when our User, EnterpriseUser and Group definitions are compared with RFC 7643 §8.7.1, then they agree on every attribute the RFC lists, but for the deliberate differences', async () => {
    const rfc = rfc7643Schemas().resourceSchemas;
    for (const urn of [CORE_USER, ENTERPRISE_USER, CORE_GROUP]) {
      const ours = (await fetched(`/Schemas/${urn}`)) as unknown as ScimSchemaDefinition;
      assert.deepEqual(
        attributeDifferences(ours.attributes, schemaById(rfc, urn).attributes),
        DELIBERATE_DIFFERENCES[urn],
        urn,
      );
    }
  });

  it('when a user and a group are served, then they satisfy the RFC 7643 §8.7.1 User (with the enterprise extension) and Group schemas', async () => {
    const rfc = rfc7643Schemas().resourceSchemas;
    const created = await scim.post(
      '/Users',
      userBody('schema@a.example', {
        externalId: 'ext-schema',
        displayName: 'Ada L.',
        title: 'Countess',
        phoneNumbers: [{ value: '+44 20 7946 0000', type: 'work' }],
        addresses: [{ type: 'work', locality: 'London', primary: true }],
      }),
    );
    assert.equal(created.status, 201, created.text);
    const userId = (created.body as { id: string }).id;
    const user = await fetched(`/Users/${userId}`);
    const userSchema = schemaById(rfc, CORE_USER);
    // §4.1.2 gives addresses a `primary` that §8.7.1 leaves out.
    attribute(userSchema.attributes, 'addresses').subAttributes!.push({
      name: 'primary',
      type: 'boolean',
      multiValued: false,
    });
    const extensions = [schemaById(rfc, ENTERPRISE_USER)];
    assert.deepEqual(scimSchemaViolations(user, userSchema, { resource: true, extensions }), []);
    const group = await scim.post('/Groups', groupBody('Schema team', [userId]));
    assert.equal(group.status, 201, group.text);
    const served = await fetched(`/Groups/${(group.body as { id: string }).id}`);
    assert.deepEqual(
      scimSchemaViolations(served, schemaById(rfc, CORE_GROUP), { resource: true }),
      [],
    );
  });

  it('when a document breaks the schema, then the validator names every violation (it is not vacuous)', async () => {
    const config = await fetched('/ServiceProviderConfig');
    const broken = {
      ...config,
      schemas: ['urn:nope'],
      patch: { supported: 'yes' },
      filter: undefined,
      sort: [{ supported: false }],
      bulk: { supported: false, maxOperations: 1.5, maxPayloadSize: 0 },
      authenticationSchemes: [{ type: 'kerberos', name: 'K', description: 'K', primary: true }],
      colour: 'blue',
    };
    assert.deepEqual(scimSchemaViolations(broken, schemaById(schemas, SPC)), [
      `schemas does not name ${SPC}`,
      'patch.supported is not a boolean',
      'bulk.maxOperations is not an integer',
      'filter is required',
      'sort is multi-valued',
      'authenticationSchemes[0].type is "kerberos", not one of oauth, oauth2, oauthbearertoken, httpbasic, httpdigest',
      'colour is not in the schema',
    ]);
    const schema = await fetched(`/Schemas/${CORE_GROUP}`);
    const attributes = schema.attributes as Array<Record<string, unknown>>;
    const wrong = {
      ...schema,
      attributes: [{ ...attributes[0], mutability: 'sometimes', multiValued: 'no' }],
    };
    assert.deepEqual(scimSchemaViolations(wrong, schemaById(schemas, SCHEMA)), [
      'attributes[0].multiValued is not a boolean',
      'attributes[0].mutability is "sometimes", not one of readOnly, readWrite, immutable, writeOnly',
    ]);
    const rfc = rfc7643Schemas().resourceSchemas;
    const user = {
      schemas: [CORE_USER],
      userName: 'u',
      active: 'yes',
      emails: { value: 'u@a.example' },
      colour: 'blue',
      [ENTERPRISE_USER]: { manager: 'm-1' },
    };
    const extensions = [schemaById(rfc, ENTERPRISE_USER)];
    assert.deepEqual(
      scimSchemaViolations(user, schemaById(rfc, CORE_USER), { resource: true, extensions }),
      [
        'id is required',
        'active is not a boolean',
        'emails is not multi-valued',
        'colour is not in the schema',
        `${ENTERPRISE_USER}.manager is not a complex value (a JSON object)`,
      ],
    );
  });
});
