import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  canonicalJson,
  eventHash,
  piiDigest,
  type ChainedFields,
  type PersonalFields,
} from '../../src/audit/chain.js';

/**
 * The chain's bytes never change: every hash already written must verify with the code of
 * every later release. The writer builds the canonical JSON of its two fixed objects key by
 * key (chain.ts); these tests hold it to the generic form (sorted keys, undefined members
 * left out) and to digests written by the first release of the chain.
 */
const CASES: Array<{ personal: PersonalFields; fields: Omit<ChainedFields, 'piiDigest'> }> = [
  {
    personal: {
      actorId: 'cl_1',
      targetId: 'cl_1',
      ip: null,
      userAgent: null,
      data: {
        grant_type: 'client_credentials',
        client_id: 'cl_1',
        jti: 'j1',
        scope: 'a b',
        audience: ['https://x'],
      },
    },
    fields: {
      id: '0193a3f0-0000-7000-8000-000000000001',
      chainId: '00000000-0000-0000-0000-000000000000',
      seq: 1,
      occurredAtMs: 1765000000123,
      type: 'token.issued',
      schemaVersion: 1,
      orgId: null,
      actorType: 'client',
      targetType: 'client',
      outcome: 'success',
      reason: null,
      requestId: null,
    },
  },
  {
    personal: {
      actorId: 'u-1',
      targetId: null,
      ip: '2001:db8::1',
      userAgent: 'Mozilla/5.0 "ü" \\ \u2028',
      data: { z: 1, a: [3, { y: null, b: 'é', a: true }], m: undefined, n: 1.5e21, e: {} },
    },
    fields: {
      id: '0193a3f0-0000-7000-8000-000000000002',
      chainId: '11111111-1111-4111-8111-111111111111',
      seq: 42,
      occurredAtMs: 1765000000999,
      type: 'user.signed_in',
      schemaVersion: 1,
      orgId: '11111111-1111-4111-8111-111111111111',
      actorType: 'user',
      targetType: null,
      outcome: 'failure',
      reason: 'mfa_required',
      requestId: 'req-"1"',
    },
  },
];
const SALT = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');

/** The chain's definition (chain.ts header), written the plain way. */
const sha256 = (prefix: Buffer, text: string) =>
  createHash('sha256').update(prefix).update(Buffer.from(text)).digest();
const referencePii = (p: PersonalFields) =>
  sha256(
    SALT,
    canonicalJson({
      actor_id: p.actorId,
      target_id: p.targetId,
      ip: p.ip,
      user_agent: p.userAgent,
      data: p.data,
    }),
  );
const referenceHash = (prev: Buffer, e: ChainedFields) =>
  sha256(
    prev,
    canonicalJson({
      v: 1,
      id: e.id,
      chain_id: e.chainId,
      seq: e.seq,
      occurred_at: e.occurredAtMs,
      type: e.type,
      schema_version: e.schemaVersion,
      org_id: e.orgId,
      actor_type: e.actorType,
      target_type: e.targetType,
      outcome: e.outcome,
      reason: e.reason,
      request_id: e.requestId,
      pii_digest: e.piiDigest.toString('hex'),
    }),
  );

describe('the audit chain’s byte format', () => {
  it('when events are hashed, then the digests are those the first release of the chain wrote', () => {
    const written = [
      [
        '999343f63244b93c2f89b4b0739623e0432dea2c67f22a268ac2a1c407143825',
        '9130eea0e1ce2235e16c57bfb5177265964978f6f004ae848d45aa171489e9ca',
      ],
      [
        '4a0790b07102cf30a2f0800d0c8adf8925570d00bf0bd9561bc845a1c8046382',
        '7c415519bde8c42cd005684e315dec35515caadcd4f66228dfd3f7a015dacab5',
      ],
    ];
    let prev: Buffer = Buffer.alloc(32);
    CASES.forEach(({ personal, fields }, i) => {
      const digest = piiDigest(SALT, personal);
      const hash = eventHash(prev, { ...fields, piiDigest: digest });
      assert.deepEqual([digest.toString('hex'), hash.toString('hex')], written[i], `case ${i}`);
      prev = hash;
    });
  });

  it('when fields vary (nulls, unicode, escapes, nesting, undefined members), then the fast form equals the generic canonical JSON', () => {
    const values = [null, '', 'a', 'é"\\\n\u2028', '😀', 0, -1, 1.5, 1e21, true];
    let prev: Buffer = Buffer.alloc(32, 9);
    for (let i = 0; i < 300; i += 1) {
      const pick = (k: number) => values[(i * 7 + k * 13) % values.length];
      const personal = {
        actorId: pick(1) as string | null,
        targetId: pick(2) as string | null,
        ip: pick(3) as string | null,
        userAgent: pick(4) as string | null,
        data: { [`k${i % 5}`]: pick(5), b: [pick(6), { z: pick(7), a: pick(8) }], u: undefined },
      };
      const fields: ChainedFields = {
        ...CASES[i % 2]!.fields,
        reason: pick(9) as string | null,
        requestId: pick(10) as string | null,
        targetType: pick(11) as string | null,
        seq: i,
        piiDigest: Buffer.alloc(0),
      };
      const digest = piiDigest(SALT, personal);
      assert.ok(digest.equals(referencePii(personal)), `pii digest, case ${i}`);
      const withDigest = { ...fields, piiDigest: digest };
      const hash = eventHash(prev, withDigest);
      assert.ok(hash.equals(referenceHash(prev, withDigest)), `event hash, case ${i}`);
      prev = hash;
    }
  });

  it('when an object is canonicalised, then its keys are sorted at every level and undefined members left out', () => {
    assert.equal(
      canonicalJson({ b: [1, { d: undefined, c: 'x' }], a: null, e: undefined }),
      '{"a":null,"b":[1,{"c":"x"}]}',
    );
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson([undefined]), '[null]');
  });
});
