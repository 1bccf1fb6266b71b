import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditLog } from '../../src/audit/index.js';
import {
  createLoginAttempts,
  foundTransaction,
  LoginFailure,
} from '../../src/federation/login-attempt.js';
import type { Metrics } from '../../src/metrics/index.js';

/** A login attempt's failure, counted, audited and thrown with what the flow learned so far. */
describe('a login attempt', () => {
  const harness = () => {
    const counted: unknown[] = [];
    const timed: Array<[unknown, number]> = [];
    const audited: Array<Record<string, unknown>> = [];
    const metrics = {
      loginAttempts: { inc: (labels: unknown) => counted.push(labels) },
      loginDuration: { observe: (labels: unknown, s: number) => timed.push([labels, s]) },
    } as unknown as Metrics;
    const audit = {
      append: async (event: Record<string, unknown>) => {
        audited.push(event);
        return Promise.resolve();
      },
    } as unknown as AuditLog;
    const attempts = createLoginAttempts({
      audit,
      metrics,
      clock: { nowMs: () => 5_000 } as never,
    });
    return { attempts, counted, timed, audited };
  };
  const context = { requestId: 'req-1', ip: '203.0.113.9', userAgent: 'test' };

  it('when it fails before anything is known, then the failure is counted and audited without org or duration, and thrown', async () => {
    const h = harness();
    const attempt = h.attempts('oidc', context);
    await assert.rejects(attempt.fail('state_missing', 'Start again.'), (error: unknown) => {
      assert.ok(error instanceof LoginFailure);
      assert.equal(error.reason, 'state_missing');
      assert.equal(error.orgId, null);
      assert.equal(error.message, 'Start again.');
      return true;
    });
    assert.deepEqual(h.counted, [
      { protocol: 'oidc', outcome: 'failure', reason: 'state_missing' },
    ]);
    assert.deepEqual(h.timed, []);
    assert.equal(h.audited.length, 1);
    assert.equal(h.audited[0]!.type, 'auth.login.failed');
    assert.equal(h.audited[0]!.orgId, null);
    assert.equal(h.audited[0]!.reason, 'state_missing');
    assert.equal(h.audited[0]!.context, context);
    assert.deepEqual(h.audited[0]!.data, { protocol: 'oidc' });
  });

  it('when the flow has learned the protocol, org and start, then the failure carries them and its duration is observed', async () => {
    const h = harness();
    const attempt = h.attempts('oidc', context);
    attempt.learn({ protocol: 'saml', orgId: 'org-1' }).learn({ startedAtMs: 3_000 });
    const cause = new Error('upstream detail');
    await assert.rejects(attempt.fail('saml_audience_mismatch', 'Not verified.', cause), {
      reason: 'saml_audience_mismatch',
      orgId: 'org-1',
      cause,
    });
    assert.deepEqual(h.counted, [
      { protocol: 'saml', outcome: 'failure', reason: 'saml_audience_mismatch' },
    ]);
    assert.deepEqual(h.timed, [[{ protocol: 'saml', outcome: 'failure' }, 2]]);
    assert.equal(h.audited[0]!.orgId, 'org-1');
    assert.deepEqual(h.audited[0]!.data, { protocol: 'saml' });
  });

  it('when the flow found the transaction its browser began, then the failure is audited right after that begin’s auth.login.started, once', async () => {
    const h = harness();
    const attempt = h.attempts('saml', context);
    attempt.learn({ orgId: 'org-1' }).learn(
      foundTransaction({
        connectionId: 'conn-1',
        orgId: 'org-1',
        protocol: 'saml',
        startedAtMs: 3_000,
      }),
    );
    await assert.rejects(attempt.fail('saml_relay_state_mismatch', 'Not verified.'));
    assert.deepEqual(
      h.audited.map((e) => [e.type, e.orgId, e.target, e.data]),
      [
        [
          'auth.login.started',
          'org-1',
          { type: 'connection', id: 'conn-1' },
          { protocol: 'saml', started_at: new Date(3_000).toISOString() },
        ],
        ['auth.login.failed', 'org-1', undefined, { protocol: 'saml' }],
      ],
    );
    assert.deepEqual(h.timed, [[{ protocol: 'saml', outcome: 'failure' }, 2]]);
  });

  it('when the flow says a failure is not audited, then it is counted and thrown only', async () => {
    const h = harness();
    const attempt = h
      .attempts('oidc', context)
      .learn({ auditsFailure: () => Promise.resolve(false) });
    await assert.rejects(attempt.fail('connection_unavailable', 'Not available.'), LoginFailure);
    assert.deepEqual(h.counted, [
      { protocol: 'oidc', outcome: 'failure', reason: 'connection_unavailable' },
    ]);
    assert.deepEqual(h.audited, []);
  });
});
