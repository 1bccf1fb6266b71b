import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createFakeClock } from '../../src/platform/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/**
 * OWASP ASVS v4 V3.3: the idle timeout and the absolute lifetime are enforced by the
 * server, and activity keeps a session alive for as long as the idle timeout says: a
 * session used more often than its idle timeout never lapses before its absolute end.
 */
describe('session idle and absolute timeouts (ASVS V3.3)', () => {
  let t: TestApp;
  const clock = createFakeClock(Date.now());
  let orgId: string;
  let userId: string;
  let connectionId: string;

  before(async () => {
    t = await startTestApp({ clock });
    orgId = (await t.app.orgs.create({ slug: 'acme', name: 'Acme' }, platform, ctx)).id;
    connectionId = randomUUID();
    await t.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'idp', 'active', '{}', now(), now())`,
      [connectionId, orgId],
    );
    userId = (
      await t.app.users.provisionFromIdentity(
        {
          orgId,
          connectionId,
          subject: 'alice',
          email: 'alice@acme.test',
          emailVerified: true,
        },
        ctx,
      )
    ).user.id;
  });
  after(async () => {
    await t.close();
  });

  const open = (idleTimeoutSeconds: number, absoluteLifetimeSeconds = 3600) =>
    t.app.sessions.open(
      {
        userId,
        orgId,
        connectionId,
        amr: ['fed'],
        policy: { idleTimeoutSeconds, absoluteLifetimeSeconds, maxSessionsPerUser: 50 },
      },
      ctx,
    );

  for (const [idle, every] of [
    [60, 30],
    [90, 45],
    [100, 55],
  ] as const) {
    it(`when the idle timeout is ${idle}s and the session is used every ${every}s, then it stays alive`, async () => {
      const { token } = await open(idle);
      for (let i = 1; i <= 8; i++) {
        clock.advance(every * 1000);
        assert.ok(
          await t.app.sessions.validate(token),
          `used after ${every}s of inactivity (${i * every}s in), yet the session lapsed`,
        );
      }
    });
  }

  it('when a session is left idle for its idle timeout, then it is no longer valid', async () => {
    const { token } = await open(60);
    clock.advance(59_000);
    assert.ok(await t.app.sessions.validate(token));
    clock.advance(60_000);
    assert.equal(await t.app.sessions.validate(token), null);
  });

  it('when a session is used constantly, then it still ends at its absolute lifetime', async () => {
    const { token } = await open(60, 300);
    for (let i = 1; i < 10; i++) {
      clock.advance(30_000);
      assert.ok(await t.app.sessions.validate(token), `alive at ${i * 30}s`);
    }
    clock.advance(30_000);
    assert.equal(await t.app.sessions.validate(token), null);
  });
});
