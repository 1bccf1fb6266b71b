import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, verifyWebhookSignature } from '../../src/audit/index.js';

const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const BODY = '{"id":"0190","type":"admin.org.updated"}';
const NOW = 1_800_000_000;

describe('webhook signatures', () => {
  const header = signWebhook(SECRET, BODY, NOW);
  const verify = (h: string | undefined, body = BODY, secret = SECRET, now = NOW) =>
    verifyWebhookSignature(secret, h, body, { toleranceSeconds: 300, nowSeconds: now });

  it('when the body is signed with the secret, then the signature verifies (string or Buffer body)', () => {
    assert.match(header, /^t=1800000000,v1=[0-9a-f]{64}$/);
    assert.equal(verify(header), true);
    assert.equal(
      verifyWebhookSignature(SECRET, header, Buffer.from(BODY), {
        toleranceSeconds: 300,
        nowSeconds: NOW,
      }),
      true,
    );
  });

  it('when another secret is used, then verification fails', () => {
    assert.equal(verify(header, BODY, 'whsec_wrong'), false);
  });

  it('when a byte of the body changes, then verification fails', () => {
    assert.equal(verify(header, BODY.replace('updated', 'Updated')), false);
  });

  it('when the timestamp is outside the tolerance, then verification fails (replay window)', () => {
    assert.equal(verify(header, BODY, SECRET, NOW + 301), false);
    assert.equal(verify(header, BODY, SECRET, NOW - 301), false);
    assert.equal(verify(header, BODY, SECRET, NOW + 300), true);
  });

  it('when the timestamp is changed to a fresh one, then the old signature no longer matches', () => {
    const v1 = header.split(',v1=')[1];
    assert.equal(verify(`t=${NOW + 10},v1=${v1}`, BODY, SECRET, NOW + 10), false);
  });

  it('when the header is missing or malformed, then verification fails', () => {
    for (const bad of [
      undefined,
      '',
      't=abc,v1=00',
      `v1=${'0'.repeat(64)}`,
      `t=${NOW}`,
      'garbage',
    ]) {
      assert.equal(verify(bad), false, String(bad));
    }
  });

  it('when the header carries several v1 values, then one matching is enough (rotation)', () => {
    const other = signWebhook('whsec_other', BODY, NOW).split(',v1=')[1];
    assert.equal(verify(`${header},v1=${other}`), true);
  });
});
