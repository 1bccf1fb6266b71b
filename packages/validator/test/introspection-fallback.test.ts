import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTokenValidator, type TokenValidator } from '../src/index.js';
import {
  AUDIENCE,
  RECEIVER,
  recordingLogger,
  startFakeTransmitter,
  waitUntil,
  type FakeTransmitter,
} from './support/fake-transmitter.js';
import { assertRejectsWith } from './support/assertions.js';

/** `introspection`: while the view is stale, RFC 7662 decides instead of failing. */
describe('introspection fallback', () => {
  let t: FakeTransmitter;
  let v: TokenValidator;

  before(async () => {
    t = await startFakeTransmitter({ heartbeatMs: 50 });
    v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, stalenessBoundMs: 1000 },
      introspection: RECEIVER,
      logger: recordingLogger(),
      onError: () => undefined,
    });
    await v.start();
  });
  after(async () => {
    await v.close();
    await t.close();
  });

  it('when the view is current, then introspection is not asked', async () => {
    await v.verify(await t.accessToken());
    assert.equal(t.seen.introspected.length, 0);
  });

  it('when the view is stale, then active:true accepts, active:false is token_revoked', async () => {
    const known = await t.accessToken({ sid: 'sid-known' });
    const position = await t.sessionRevoked('sid-known');
    await waitUntil(() => v.status().position === position);
    t.control.heartbeats = false;
    await waitUntil(() => !v.status().current, 4000, 'stale');

    const token = await t.accessToken();
    t.control.introspection = { active: true };
    assert.equal((await v.verify(token)).sub, 'user-1');
    assert.deepEqual(t.seen.introspected, [token]);

    t.control.introspection = { active: false };
    await assertRejectsWith(v.verify(token), 'token_revoked');

    t.control.introspection = 'error';
    await assertRejectsWith(v.verify(token), 'validator_unavailable');

    // A revocation the view already holds needs no question.
    const asked = t.seen.introspected.length;
    await assertRejectsWith(v.verify(known), 'token_revoked');
    assert.equal(t.seen.introspected.length, asked);

    t.control.heartbeats = true;
    await waitUntil(() => v.status().current, 6000, 'current');
    await v.verify(token);
    assert.equal(t.seen.introspected.length, asked);
  });
});
