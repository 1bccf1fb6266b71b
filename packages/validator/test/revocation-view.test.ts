import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRevocationView } from '../src/revocation-view.js';
import type { AccessTokenClaims } from '../src/index.js';

const claims = (over: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
  iss: 'https://sso.example',
  sub: 'u',
  client_id: 'c',
  jti: 'j',
  iat: 1000,
  exp: 1300,
  org_id: 'o',
  sid: 's',
  ...over,
});

/** The in-memory revocations: what they cut off, and that they are forgotten in time. */
describe('revocation view', () => {
  it('when two revocations of one user come, then the later cutoff holds', () => {
    const view = createRevocationView({ maxTokenLifetimeSeconds: 3600, clockToleranceSeconds: 5 });
    view.apply({ kind: 'user', sub: 'u', orgId: 'o', eventTimestamp: 2000 });
    view.apply({ kind: 'user', sub: 'u', orgId: 'o', eventTimestamp: 1500 });
    assert.equal(view.revokes(claims({ iat: 1999.999 })), true);
    assert.equal(view.revokes(claims({ iat: 2000.001 })), false);
    assert.equal(view.size, 1);
  });

  it('when every token a revocation cuts off has expired, then it is forgotten', () => {
    const view = createRevocationView({ maxTokenLifetimeSeconds: 3600, clockToleranceSeconds: 5 });
    view.apply({ kind: 'session', sid: 's', eventTimestamp: 1000 });
    view.apply({ kind: 'token', jti: 'j', eventTimestamp: 1000 });
    view.apply({ kind: 'org', orgId: 'o', eventTimestamp: 1000 });
    view.apply({ kind: 'client', clientId: 'c', eventTimestamp: 1000 });
    assert.equal(view.size, 4);
    const keptUntilMs = (1000 + 3600 + 2 * 5) * 1000;
    view.prune(keptUntilMs);
    assert.equal(view.size, 4);
    view.prune(keptUntilMs + 1);
    assert.equal(view.size, 0);
  });

  it('when nothing is revoked for a token, then it is not cut off', () => {
    const view = createRevocationView({ maxTokenLifetimeSeconds: 3600, clockToleranceSeconds: 5 });
    view.apply({ kind: 'session', sid: 'other', eventTimestamp: 1000 });
    view.apply({ kind: 'client', clientId: 'other', eventTimestamp: 5000 });
    assert.equal(view.revokes(claims()), false);
  });
});
