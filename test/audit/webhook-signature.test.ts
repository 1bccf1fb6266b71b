import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  signStandardWebhook,
  signWebhook,
  standardWebhookHeaders,
  verifyWebhookSignature,
  webhookSigningKey,
} from '../../src/audit/index.js';

const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const BODY = '{"id":"0190","type":"admin.org.updated"}';
const NOW = 1_800_000_000;

describe('webhook signatures: the deprecated Latchkey-Signature header', () => {
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

/**
 * The Standard Webhooks headers, checked by the `standardwebhooks` npm package (an
 * independent implementation, what a receiver would use), not by code of ours. Its
 * verify() reads the real clock, so these messages are signed at the real time.
 */
describe('webhook signatures: Standard Webhooks, verified by the standardwebhooks library', () => {
  const secretA = `whsec_${randomBytes(32).toString('base64')}`;
  const secretB = `whsec_${randomBytes(32).toString('base64')}`;
  const MESSAGE_ID = '0190f7a2-0000-7000-8000-000000000001';
  const realNow = () => Math.floor(Date.now() / 1000);
  const assertRejectedBy = (secret: string, body: string, headers: Record<string, string>) =>
    assert.throws(() => new Webhook(secret).verify(body, headers), WebhookVerificationError);

  it('when a message is signed, then the library verifies it and returns the body', () => {
    const headers = standardWebhookHeaders([secretA], MESSAGE_ID, realNow(), BODY);
    assert.deepEqual(Object.keys(headers).sort(), [
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    assert.equal(headers['webhook-id'], MESSAGE_ID);
    assert.match(headers['webhook-timestamp'], /^\d+$/);
    assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(new Webhook(secretA).verify(BODY, headers), JSON.parse(BODY));
    assert.deepEqual(new Webhook(secretA).verify(Buffer.from(BODY), headers), JSON.parse(BODY));
  });

  it('when signed at a fixed time, then the signature is the one the library computes', () => {
    assert.equal(
      signStandardWebhook(secretA, MESSAGE_ID, NOW, BODY),
      new Webhook(secretA).sign(MESSAGE_ID, new Date(NOW * 1000), BODY),
    );
  });

  it('when a byte of the body, the id or the timestamp changes, then the library refuses it', () => {
    const now = realNow();
    const headers = standardWebhookHeaders([secretA], MESSAGE_ID, now, BODY);
    assertRejectedBy(secretA, BODY.replace('updated', 'Updated'), headers);
    assertRejectedBy(secretA, BODY, { ...headers, 'webhook-id': `${MESSAGE_ID}2` });
    // A fresh timestamp (inside the tolerance) with the old signature does not match.
    assertRejectedBy(secretA, BODY, { ...headers, 'webhook-timestamp': String(now - 10) });
  });

  it('when the timestamp is older than the tolerance, then the library refuses it (replay)', () => {
    const stale = standardWebhookHeaders([secretA], MESSAGE_ID, realNow() - 3600, BODY);
    assertRejectedBy(secretA, BODY, stale);
  });

  it('when another secret verifies, then the library refuses it', () => {
    const headers = standardWebhookHeaders([secretA], MESSAGE_ID, realNow(), BODY);
    assertRejectedBy(secretB, BODY, headers);
  });

  it('when signed with two secrets (rotation overlap), then both signatures are sent and each verifies on its own', () => {
    const now = realNow();
    const headers = standardWebhookHeaders([secretA, secretB], MESSAGE_ID, now, BODY);
    const signatures = headers['webhook-signature'].split(' ');
    assert.equal(signatures.length, 2);
    assert.deepEqual(signatures, [
      new Webhook(secretA).sign(MESSAGE_ID, new Date(now * 1000), BODY),
      new Webhook(secretB).sign(MESSAGE_ID, new Date(now * 1000), BODY),
    ]);
    assert.deepEqual(new Webhook(secretA).verify(BODY, headers), JSON.parse(BODY));
    assert.deepEqual(new Webhook(secretB).verify(BODY, headers), JSON.parse(BODY));
    for (const [secret, signature] of [
      [secretA, signatures[0]!],
      [secretB, signatures[1]!],
    ] as const) {
      new Webhook(secret).verify(BODY, { ...headers, 'webhook-signature': signature });
    }
    assertRejectedBy(`whsec_${randomBytes(32).toString('base64')}`, BODY, headers);
  });

  it('when no secret is given, then nothing is signed', () => {
    assert.throws(() => standardWebhookHeaders([], MESSAGE_ID, NOW, BODY));
  });

  it('when a secret is from before issue 14 (base64url), then its key is the same 32 bytes, verified by the library once the alphabet is standard', () => {
    // 0xfb bytes encode to "-_v7…" in base64url: characters standard base64 refuses.
    const key = Buffer.alloc(32, 0xfb);
    const legacy = `whsec_${key.toString('base64url')}`;
    assert.match(legacy, /[-_]/);
    assert.deepEqual(webhookSigningKey(legacy), key);
    const headers = standardWebhookHeaders([legacy], MESSAGE_ID, realNow(), BODY);
    // Only the part after `whsec_` is converted (the prefix has an underscore of its own).
    const standardised = `whsec_${legacy.slice('whsec_'.length).replace(/-/g, '+').replace(/_/g, '/')}`;
    assert.deepEqual(new Webhook(standardised).verify(BODY, headers), JSON.parse(BODY));
    // An old secret without - or _ is already valid (unpadded) base64 to the library.
    const plain = Buffer.alloc(32, 0x41);
    const plainSecret = `whsec_${plain.toString('base64url')}`;
    assert.deepEqual(webhookSigningKey(plainSecret), plain);
    const plainHeaders = standardWebhookHeaders([plainSecret], MESSAGE_ID, realNow(), BODY);
    assert.deepEqual(new Webhook(plainSecret).verify(BODY, plainHeaders), JSON.parse(BODY));
  });

  it('when the rest of a secret is not canonical base64 of at least 24 bytes, then it still signs, keyed with the whole secret as UTF-8', () => {
    const short = `whsec_${Buffer.alloc(16, 7).toString('base64')}`;
    for (const odd of [
      'whsec_other',
      short,
      'whsec_',
      'no-prefix-secret',
      `whsec_${Buffer.alloc(32, 1).toString('base64')}==`,
    ]) {
      assert.deepEqual(webhookSigningKey(odd), Buffer.from(odd, 'utf8'), odd);
      const headers = standardWebhookHeaders([odd], MESSAGE_ID, realNow(), BODY);
      assert.deepEqual(
        new Webhook(odd, { format: 'raw' }).verify(BODY, headers),
        JSON.parse(BODY),
        odd,
      );
    }
  });

  it('when a secret is new-form base64, padded or not, then its key is the 32 decoded bytes', () => {
    const key = randomBytes(32);
    assert.deepEqual(webhookSigningKey(`whsec_${key.toString('base64')}`), key);
    assert.deepEqual(webhookSigningKey(`whsec_${key.toString('base64').replace(/=+$/, '')}`), key);
  });
});
