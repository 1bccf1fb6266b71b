import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  createTokenValidator,
  type TokenValidator,
  type TokenValidatorOptions,
} from '../src/index.js';
import {
  AUDIENCE,
  RECEIVER,
  recordingLogger,
  startFakeTransmitter,
  waitUntil,
  type FakeTransmitter,
} from './support/fake-transmitter.js';
import { assertRejectsWith } from './support/assertions.js';

/** Reconnects, resume, restarts, and failing closed while the view is stale. */
describe('revocation feed resilience', () => {
  let t: FakeTransmitter;
  const validators: TokenValidator[] = [];
  const errors: unknown[] = [];

  beforeEach(async () => {
    t = await startFakeTransmitter({ heartbeatMs: 50 });
    errors.length = 0;
  });
  afterEach(async () => {
    for (const v of validators.splice(0)) await v.close();
    await t.close();
  });

  function validator(revocations: Partial<TokenValidatorOptions['revocations']> = {}) {
    const v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, stalenessBoundMs: 1000, ...revocations },
      logger: recordingLogger(),
      onError: (error) => errors.push(error),
    });
    validators.push(v);
    return v;
  }

  it('when the stream drops, then it reconnects with Last-Event-ID and gets what it missed', async () => {
    const v = validator();
    await v.start();
    const first = await t.sessionRevoked('sid-1');
    await waitUntil(() => v.status().position === first);
    t.dropStreams();
    const missed = await t.sessionRevoked('sid-2');
    await waitUntil(() => v.status().position === missed, 3000, 'the missed SET');
    assert.deepEqual(t.seen.lastEventIds, [undefined, String(first)]);
    await assertRejectsWith(v.verify(await t.accessToken({ sid: 'sid-2' })), 'token_revoked');
  });

  it('when a validator process restarts, then it starts from no position and gets the snapshot', async () => {
    await t.sessionRevoked('sid-old');
    const earlier = validator();
    await earlier.start();
    await earlier.close();
    const restarted = validator();
    await restarted.start();
    assert.deepEqual(t.seen.lastEventIds, [undefined, undefined]);
    await assertRejectsWith(
      restarted.verify(await t.accessToken({ sid: 'sid-old' })),
      'token_revoked',
    );
  });

  it('when not yet started, then an otherwise good token is refused as unavailable', async () => {
    const v = validator();
    assert.equal(v.status().current, false);
    await assertRejectsWith(v.verify(await t.accessToken()), 'validator_unavailable');
  });

  it('when heartbeats stop past the bound, then it fails closed, and recovers when they resume', async () => {
    const v = validator();
    await v.start();
    const good = await t.accessToken();
    const revoked = await t.accessToken({ sid: 'sid-stale' });
    const position = await t.sessionRevoked('sid-stale');
    await waitUntil(() => v.status().position === position);
    await v.verify(good);

    t.control.heartbeats = false;
    await waitUntil(() => !v.status().current, 4000, 'the view to go stale');
    await assertRejectsWith(v.verify(good), 'validator_unavailable');
    // A revocation the view holds is still certain.
    await assertRejectsWith(v.verify(revoked), 'token_revoked');

    t.control.heartbeats = true;
    await waitUntil(() => v.status().current, 6000, 'the view to be current again');
    assert.equal((await v.verify(good)).sub, 'user-1');
  });

  it('when the feed is down at start, then start resolves after the bound and it recovers later', async () => {
    t.control.feedDown = true;
    const v = validator();
    await v.start();
    assert.equal(v.status().current, false);
    assert.ok(errors.length > 0);
    t.control.feedDown = false;
    await waitUntil(() => v.status().current, 6000, 'the view to be current');
  });

  it('when the receiver token is refused (401), then it gets a new one and goes on', async () => {
    const v = validator();
    await v.start();
    const requests = t.seen.tokenRequests.length;
    t.forgetReceiverTokens();
    t.dropStreams();
    const position = await t.sessionRevoked('sid-after-401');
    await waitUntil(() => v.status().position === position, 3000, 'the SET after a 401');
    assert.equal(t.seen.tokenRequests.length, requests + 1);
    assert.equal(v.status().current, true);
  });

  it('when the JWKS cannot be fetched, then a SET is not skipped but applied once it can', async () => {
    const token = await t.accessToken({ sid: 'sid-jwks' });
    await t.sessionRevoked('sid-jwks');
    t.control.jwksDown = true;
    const logger = recordingLogger();
    const v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, stalenessBoundMs: 1000 },
      logger,
      onError: (error) => errors.push(error),
    });
    validators.push(v);
    await v.start();
    assert.equal(v.status().current, false);
    assert.equal(v.status().position, null);
    t.control.jwksDown = false;
    await waitUntil(() => v.status().current, 6000, 'current');
    assert.deepEqual(logger.entries, []);
    await assertRejectsWith(v.verify(token), 'token_revoked');
  });

  it('when a fetch is given, then every request (token, JWKS, events) goes through it', async () => {
    const urls: string[] = [];
    const v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, stalenessBoundMs: 1000 },
      logger: recordingLogger(),
      fetch: (input, init) => {
        urls.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
        return fetch(input, init);
      },
    });
    validators.push(v);
    await v.start();
    await v.verify(await t.accessToken());
    assert.deepEqual(
      new Set(urls),
      new Set(['/oauth/token', '/ssf/events', '/.well-known/jwks.json']),
    );
  });

  it('when closed, then it stops reading the stream', async () => {
    const v = validator();
    await v.start();
    await v.close();
    const connects = t.seen.lastEventIds.length;
    await t.sessionRevoked('sid-after-close');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(t.seen.lastEventIds.length, connects);
  });
});
