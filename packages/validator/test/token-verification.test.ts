import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { createTokenValidator, type TokenValidator } from '../src/index.js';
import {
  AUDIENCE,
  startFakeTransmitter,
  type FakeTransmitter,
} from './support/fake-transmitter.js';
import { assertRejectsWith } from './support/assertions.js';

/** RFC 9068 checks, as the server-side validator made them (no revocation feed here). */
describe('token verification', () => {
  let t: FakeTransmitter;
  let v: TokenValidator;
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    t = await startFakeTransmitter();
    v = createTokenValidator({ issuer: t.issuer, audience: AUDIENCE });
  });
  after(async () => {
    await v.close();
    await t.close();
  });

  it('when no revocations are configured, then status is current and start resolves', async () => {
    await v.start();
    assert.deepEqual(v.status(), { current: true, position: null, lastHeardMs: null });
  });

  it('when a token is good, then its claims come back, from the cache the second time', async () => {
    const token = await t.accessToken({ sub: 'frank' });
    assert.equal((await v.verify(token)).sub, 'frank');
    assert.equal((await v.verify(token)).sub, 'frank');
  });

  it('when no token or a non-JWT comes, then token_missing / token_malformed', async () => {
    await assertRejectsWith(v.verify(undefined), 'token_missing');
    await assertRejectsWith(v.verify(''), 'token_missing');
    await assertRejectsWith(v.verify('abc.def'), 'token_malformed');
  });

  it('when aud, iss or typ is wrong, or a claim is missing, then token_invalid', async () => {
    await assertRejectsWith(
      v.verify(await t.accessToken({ aud: 'https://other.example' })),
      'token_invalid',
    );
    await assertRejectsWith(
      v.verify(await t.accessToken({ iss: 'https://evil.example' })),
      'token_invalid',
    );
    await assertRejectsWith(
      v.verify(await t.accessToken({ client_id: undefined })),
      'token_invalid',
    );
    await assertRejectsWith(v.verify(await t.accessToken({ jti: undefined })), 'token_invalid');
  });

  it('when the signature is not by the JWKS, or alg is none, then token_invalid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      iss: t.issuer,
      aud: AUDIENCE,
      sub: 'x',
      client_id: 'c',
      jti: 'j',
      iat: now(),
      exp: now() + 60,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'transmitter-key-1', typ: 'at+jwt' })
      .sign(privateKey);
    await assertRejectsWith(v.verify(forged), 'token_invalid');
    const genuine = (await t.accessToken()).split('.');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${genuine[1]}.`;
    await assertRejectsWith(v.verify(none), 'token_invalid');
  });

  it('when the token has expired, then token_expired', async () => {
    await assertRejectsWith(
      v.verify(await t.accessToken({ iat: now() - 600, exp: now() - 60 })),
      'token_expired',
    );
  });

  it('when the JWKS cannot be fetched, then validator_unavailable, not token_invalid', async () => {
    const fresh = createTokenValidator({ issuer: t.issuer, audience: AUDIENCE });
    t.control.jwksDown = true;
    try {
      await assertRejectsWith(fresh.verify(await t.accessToken()), 'validator_unavailable');
    } finally {
      t.control.jwksDown = false;
    }
    await fresh.verify(await t.accessToken());
  });

  it('when the token lives longer than maxTokenLifetimeSeconds, then token_invalid', async () => {
    await assertRejectsWith(v.verify(await t.accessToken({ exp: now() + 7200 })), 'token_invalid');
  });
});
