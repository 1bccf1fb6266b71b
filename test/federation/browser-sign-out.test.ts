import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBrowserSignOut } from '../../src/federation/index.js';
import type { StoredSession } from '../../src/sessions/index.js';

const context = { requestId: 'req-1', ip: null, userAgent: null };

const aSession = (id: string, orgId = 'org-1'): StoredSession => ({
  id,
  secretHash: 'x',
  userId: 'user-1',
  orgId,
  connectionId: 'conn-1',
  amr: ['saml'],
  acr: null,
  authTime: 0,
  createdAtMs: 0,
  lastSeenAtMs: 0,
  idleExpiresAtMs: 1,
  absoluteExpiresAtMs: 1,
  ip: null,
  userAgent: null,
  upstreamSessionId: 'idx-1',
  upstreamSubject: 'someone@idp',
});

/** Fakes that write down, in order, what the sign-out did. */
function fakes(sessionsByToken: Record<string, StoredSession>, upstreamUrl: string | null) {
  const calls: string[] = [];
  const signOut = createBrowserSignOut({
    sessions: {
      validate: (token) => Promise.resolve(sessionsByToken[token] ?? null),
      get: (_orgId, id) =>
        Promise.resolve(Object.values(sessionsByToken).find((s) => s.id === id) ?? null),
      end: (orgId, id, reason) => {
        calls.push(`end ${orgId}/${id} ${reason}`);
        return Promise.resolve(null as never);
      },
    },
    login: {
      beginSamlLogout: (session, then) => {
        calls.push(`saml logout ${session.id} then ${then}`);
        return Promise.resolve(upstreamUrl);
      },
    },
  });
  return { signOut, calls };
}

describe('browser sign-out', () => {
  it('when the browser has a SAML session, then its IdP logout is begun before the session ends', async () => {
    const { signOut, calls } = fakes({ t1: aSession('s1') }, 'https://idp.example/slo?x');
    const next = await signOut.endBrowserSession('t1', null, 'https://app.example/bye', context);
    assert.equal(next, 'https://idp.example/slo?x');
    assert.deepEqual(calls, ['saml logout s1 then https://app.example/bye', 'end org-1/s1 logout']);
  });

  it('when the hint names another session, then that one ends too', async () => {
    const { signOut, calls } = fakes({ t1: aSession('s1') }, null);
    const next = await signOut.endBrowserSession(
      't1',
      { orgId: 'org-2', sessionId: 's2' },
      null,
      context,
    );
    assert.equal(next, null);
    assert.deepEqual(calls, [
      'saml logout s1 then null',
      'end org-1/s1 logout',
      'end org-2/s2 logout',
    ]);
  });

  it('when the hint names the browser session itself, then it is ended once', async () => {
    const { signOut, calls } = fakes({ t1: aSession('s1') }, null);
    await signOut.endBrowserSession('t1', { orgId: 'org-1', sessionId: 's1' }, null, context);
    assert.deepEqual(calls, ['saml logout s1 then null', 'end org-1/s1 logout']);
  });

  it('when there is no cookie or its session is gone, then only the hinted session ends and no IdP is told', async () => {
    const { signOut, calls } = fakes({}, 'https://idp.example/slo');
    assert.equal(
      await signOut.endBrowserSession('stale', { orgId: 'org-1', sessionId: 's9' }, null, context),
      null,
    );
    assert.equal(await signOut.endBrowserSession(null, null, null, context), null);
    assert.deepEqual(calls, ['end org-1/s9 logout']);
  });

  it('when the account page asks for an upstream logout, then it leaves ending the session to it', async () => {
    const { signOut, calls } = fakes({ t1: aSession('s1') }, 'https://idp.example/slo');
    assert.equal(await signOut.upstreamLogout('org-1', 's1', context), 'https://idp.example/slo');
    assert.equal(await signOut.upstreamLogout('org-1', 'unknown', context), null);
    assert.deepEqual(calls, ['saml logout s1 then null']);
  });
});
