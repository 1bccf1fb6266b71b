import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_TYPES, revocationEvent } from '../../src/signals/security-events.js';

/** What receivers are told of a session's end: who caused it (CAEP §2 initiating_entity). */
describe('the revocation event of an ended session', () => {
  const ended = (reason: string) =>
    revocationEvent({
      kind: 'session',
      subject: 'sess-1',
      orgId: 'org-1',
      userId: 'user-1',
      clientId: null,
      reason,
      revokedAtMs: 1_700_000_000_000,
      expiresAtMs: 1_700_000_600_000,
      position: 7,
    });

  it('when a session is replaced by the same person signing in again (reauthenticated), then receivers hear a session-revoked event initiated by the user, with the reason', () => {
    const event = ended('reauthenticated')!;
    assert.equal(event.type, EVENT_TYPES.sessionRevoked);
    assert.deepEqual(event.subId, {
      format: 'complex',
      session: { format: 'opaque', id: 'sess-1' },
      user: { format: 'opaque', id: 'user-1' },
      tenant: { format: 'opaque', id: 'org-1' },
    });
    assert.equal(event.payload.initiating_entity, 'user');
    assert.deepEqual(event.payload.reason_admin, { en: 'reauthenticated' });
  });

  it('when sessions end for other reasons, then the initiating entity follows who caused it', () => {
    const who = (reason: string) => ended(reason)!.payload.initiating_entity;
    assert.equal(who('logout'), 'user');
    assert.equal(who('upstream_logout'), 'user');
    assert.equal(who('evicted'), 'policy');
    assert.equal(who('refresh_token_reuse'), 'policy');
    assert.equal(who('admin'), 'admin');
  });
});
