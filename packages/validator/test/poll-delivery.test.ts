import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TokenValidationError } from '../src/index.js';
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

/** `delivery: 'poll'`: the JSON feed, `?after=<position>`, looping while moreAvailable. */
describe('poll delivery', () => {
  let t: FakeTransmitter;
  let v: TokenValidator;

  before(async () => {
    t = await startFakeTransmitter({ maxPerAnswer: 2 });
    for (const sid of ['p1', 'p2', 'p3', 'p4', 'p5']) await t.sessionRevoked(sid);
    v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, delivery: 'poll', pollIntervalMs: 50, stalenessBoundMs: 1000 },
      logger: recordingLogger(),
      onError: () => undefined,
    });
    await v.start();
  });
  after(async () => {
    await v.close();
    await t.close();
  });

  it('when started, then it reads page after page until none is left, and is current', async () => {
    assert.deepEqual(t.seen.jsonAfter.slice(0, 3), [null, '2', '4']);
    assert.equal(v.status().position, 5);
    assert.equal(v.status().current, true);
    for (const sid of ['p1', 'p5'])
      await assertRejectsWith(v.verify(await t.accessToken({ sid })), 'token_revoked');
    await v.verify(await t.accessToken({ sid: 'p6' }));
  });

  it('when a revocation is recorded later, then the next poll applies it', async () => {
    const token = await t.accessToken({ sid: 'p6' });
    const position = await t.sessionRevoked('p6');
    await waitUntil(() => v.status().position === position);
    assert.ok(t.seen.jsonAfter.includes('5'));
    await assert.rejects(
      v.verify(token),
      (e: unknown) => (e as TokenValidationError).code === 'token_revoked',
    );
  });

  it('when answers stop, then it fails closed after the bound, and recovers when they return', async () => {
    const token = await t.accessToken();
    t.control.feedDown = true;
    await waitUntil(() => !v.status().current, 4000, 'stale');
    await assert.rejects(
      v.verify(token),
      (e: unknown) => (e as TokenValidationError).code === 'validator_unavailable',
    );
    t.control.feedDown = false;
    await waitUntil(() => v.status().current, 2000, 'current');
    await v.verify(token);
  });

  it('when the receiver token nears its expiry, then a new one is asked for before it lapses', async () => {
    const short = await startFakeTransmitter({ tokenLifetimeSeconds: 1 });
    const errors: unknown[] = [];
    const polling = createTokenValidator({
      issuer: short.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, delivery: 'poll', pollIntervalMs: 50, stalenessBoundMs: 1000 },
      logger: recordingLogger(),
      onError: (error) => errors.push(error),
    });
    try {
      await polling.start();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.ok(short.seen.tokenRequests.length >= 3, `${short.seen.tokenRequests.length} tokens`);
      assert.deepEqual(errors, []);
      assert.equal(polling.status().current, true);
    } finally {
      await polling.close();
      await short.close();
    }
  });
});
