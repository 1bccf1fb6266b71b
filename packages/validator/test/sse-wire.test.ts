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

/** The stream as a proxy may deliver it: CRLF line ends, comments, frames cut anywhere. */
describe('SSE on the wire', () => {
  let t: FakeTransmitter;
  let v: TokenValidator;
  const logger = recordingLogger();

  before(async () => {
    t = await startFakeTransmitter({ heartbeatMs: 50, crlf: true, pieceChars: 7 });
    await t.sessionRevoked('sid-wire-1');
    v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, stalenessBoundMs: 1000 },
      logger,
    });
    await v.start();
  });
  after(async () => {
    await v.close();
    await t.close();
  });

  it('when lines end in CRLF and frames come in 7-character pieces, then every SET applies', async () => {
    assert.equal(v.status().current, true);
    const position = await t.sessionRevoked('sid-wire-2');
    await waitUntil(() => v.status().position === position);
    for (const sid of ['sid-wire-1', 'sid-wire-2'])
      await assertRejectsWith(v.verify(await t.accessToken({ sid })), 'token_revoked');
    assert.deepEqual(logger.entries, []);
  });
});
