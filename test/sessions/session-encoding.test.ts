import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSession, encodeSession, type StoredSession } from '../../src/sessions/session.js';

const session: StoredSession = {
  id: '9xxh6XZ1QC-VwuMyAEViAHD4eBXed3LemhFghUFpFJM',
  secretHash: '3b7c2c23340e513805cddecb7da7de2a93bd7753b0f82fa064712eb4af2818af',
  userId: 'f734fea5-a35f-449b-9ca3-93369382d9b4',
  orgId: 'f71c61e9-7675-402f-95c2-e33200456200',
  connectionId: 'cf815bb4-2352-4c42-8185-802bce2d7f51',
  amr: ['pwd', 'mfa'],
  acr: 'urn:latchkey:loa:mfa',
  authTime: 1795680308,
  createdAtMs: 1795680308128,
  lastSeenAtMs: 1795680308128,
  idleExpiresAtMs: 1795683908128,
  absoluteExpiresAtMs: 1795723508128,
  ip: '203.0.113.77',
  userAgent: 'Mozilla/5.0',
  upstreamSessionId: '21ad64cb-0103-4bc0-bf4a-e5d6daab3289',
  upstreamSubject: 'alice@acme.test',
};

describe('stored session encoding', () => {
  it('when a session is encoded, then it decodes to the same session, without its org id or a hex digest in the text', () => {
    const text = encodeSession(session);
    assert.deepEqual(decodeSession(text, session.orgId), session);
    assert.ok(!text.includes(session.orgId), 'the org id is in every key already');
    assert.ok(!text.includes(session.secretHash), 'the digest is kept as base64url');
  });

  it('when a value was written in version 1 (before), then it still decodes', () => {
    const v1 = JSON.stringify([
      1,
      session.id,
      session.secretHash,
      session.userId,
      session.orgId,
      session.connectionId,
      session.amr,
      session.authTime,
      session.createdAtMs,
      session.lastSeenAtMs,
      session.idleExpiresAtMs,
      session.absoluteExpiresAtMs,
      session.ip,
      session.userAgent,
      session.upstreamSessionId,
      session.upstreamSubject,
    ]);
    assert.deepEqual(decodeSession(v1, session.orgId), { ...session, acr: null });
  });

  it('when the version is unknown, then decoding refuses it', () => {
    assert.throws(() => decodeSession('[3,"x"]', session.orgId), /unknown session encoding/);
  });
});
