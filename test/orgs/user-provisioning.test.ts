import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  createUserService,
  type AdminPrincipal,
  type ProvisionInput,
  type SessionTerminator,
  type UserService,
} from '../../src/orgs/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { isAppError } from '../../src/platform/errors.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';

/** Remembers every call, so a test can tell which sessions were ended and why. */
function recordingTerminator() {
  const calls: Array<{ userId: string; reason: string }> = [];
  const terminator: SessionTerminator = {
    endAllForOrg: () => Promise.resolve(0),
    endAllForUser: (_orgId, userId, reason) => {
      calls.push({ userId, reason });
      return Promise.resolve(1);
    },
  };
  return { terminator, calls };
}

/** Asserts that a promise rejects with an AppError of this code (and status). */
async function rejectsWithCode(promise: Promise<unknown>, code: string, status?: number) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, code);
    if (status !== undefined) assert.equal(error.status, status);
    return true;
  });
}

describe('users: just-in-time provisioning at login', () => {
  const clock = createFakeClock(Date.UTC(2026, 3, 1));
  let f: AdminFixture;
  let users: UserService;
  let sessions: ReturnType<typeof recordingTerminator>;
  let connA: string;
  let connA2: string;
  let connB: string;
  let adminA: AdminPrincipal;
  const context = { requestId: 'req-login', ip: '203.0.113.7', userAgent: 'test' };

  const insertConnection = async (orgId: string) => {
    const id = uuidv7();
    await f.t.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'test', 'active', '{}', now(), now())`,
      [id, orgId],
    );
    return id;
  };

  const login = (input: Partial<ProvisionInput> & { subject: string }) =>
    users.provisionFromIdentity(
      {
        orgId: f.orgA.id,
        connectionId: connA,
        email: `${input.subject}@a.example`,
        emailVerified: true,
        ...input,
      },
      context,
    );

  const count = async (sql: string, params: unknown[]) =>
    (await f.t.app.db.query<{ n: number }>(sql, params)).rows[0]!.n;

  const auditTypes = async (userId: string) =>
    (
      await f.t.app.db.query<{ type: string }>(
        'SELECT type FROM audit_events WHERE target_id = $1 ORDER BY occurred_at, id',
        [userId],
      )
    ).rows.map((r) => r.type);

  before(async () => {
    f = await startAdminFixture({ clock });
    connA = await insertConnection(f.orgA.id);
    connA2 = await insertConnection(f.orgA.id);
    connB = await insertConnection(f.orgB.id);
    const key = await f.t.app.apiKeys.create(
      { orgId: f.orgA.id, body: { name: 'service test' } },
      'cli',
      null,
    );
    adminA = { scope: 'org:admin', keyId: key.key.id, orgId: f.orgA.id };
  });
  beforeEach(() => {
    sessions = recordingTerminator();
    users = createUserService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock: f.t.app.clock,
      sessions: sessions.terminator,
    });
    clock.advance(1000);
  });
  after(async () => {
    await f.t.close();
  });

  it('when an identity logs in for the first time, then a user and its identity are created and audited', async () => {
    const { user, created } = await login({
      subject: 'first-login',
      name: 'First Login',
      roles: ['ads.viewer'],
    });
    assert.equal(created, true);
    assert.equal(user.orgId, f.orgA.id);
    assert.equal(user.email, 'first-login@a.example');
    assert.equal(user.status, 'active');
    assert.deepEqual(user.roles, ['ads.viewer']);
    assert.equal(user.lastLoginAt?.getTime(), clock.nowMs());
    assert.deepEqual(
      user.identities.map((i) => [i.connectionId, i.subject]),
      [[connA, 'first-login']],
    );
    assert.deepEqual(await users.getUser(user.id), user);
    assert.equal(await users.getUser(uuidv7()), null);

    const { rows } = await f.t.app.db.query<{
      actor_type: string;
      org_id: string;
      request_id: string;
      data: { connectionId: string; before: null; after: Record<string, unknown> };
    }>(`SELECT * FROM audit_events WHERE target_id = $1 AND type = 'admin.user.provisioned'`, [
      user.id,
    ]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_type, 'system');
    assert.equal(rows[0]!.org_id, f.orgA.id);
    assert.equal(rows[0]!.request_id, 'req-login');
    assert.equal(rows[0]!.data.connectionId, connA);
    assert.deepEqual(rows[0]!.data.after, {
      email: '[secret]',
      emailDomain: 'a.example',
      emailVerified: true,
      name: '[secret]',
      roles: ['ads.viewer'],
      status: 'active',
    });
  });

  it('when the identity logs in again, then the same user is refreshed from the IdP', async () => {
    const first = (await login({ subject: 'returning', name: 'Old', roles: ['ads.viewer'] })).user;
    clock.advance(60_000);
    const again = await login({
      subject: 'returning',
      email: 'renamed@a.example',
      emailVerified: false,
      name: 'New',
      roles: ['ads.editor', 'ads.editor', 'Not A Role'],
    });
    assert.equal(again.created, false);
    assert.equal(again.user.id, first.id);
    assert.equal(again.user.email, 'renamed@a.example');
    assert.equal(again.user.emailVerified, false);
    assert.equal(again.user.name, 'New');
    // An IdP group that is not a valid role name is dropped, duplicates are merged.
    assert.deepEqual(again.user.roles, ['ads.editor']);
    assert.equal(again.user.lastLoginAt?.getTime(), clock.nowMs());
    assert.equal(again.user.version, 2);
    assert.deepEqual(await auditTypes(first.id), ['admin.user.provisioned', 'admin.user.updated']);
    assert.equal(await count('SELECT count(*)::int AS n FROM users WHERE id = $1', [first.id]), 1);
  });

  it('when a login changes nothing but the time, then the ETag version stays and nothing is audited', async () => {
    const first = (await login({ subject: 'steady', name: 'Steady' })).user;
    clock.advance(5_000);
    const again = (await login({ subject: 'steady', name: 'Steady' })).user;
    assert.equal(again.version, first.version);
    assert.equal(again.lastLoginAt?.getTime(), clock.nowMs());
    assert.deepEqual(await auditTypes(first.id), ['admin.user.provisioned']);
  });

  it('when the IdP maps no roles, then roles set by an admin survive the next login', async () => {
    const { user } = await login({ subject: 'admin-roles' });
    await users.update(f.orgA.id, user.id, { roles: ['ads.admin'] }, null, adminA, context);
    const again = (await login({ subject: 'admin-roles' })).user;
    assert.deepEqual(again.roles, ['ads.admin']);
  });

  it('when two identities assert the same email, then they are two users, never merged by email', async () => {
    const email = 'shared@a.example';
    const one = (await login({ subject: 'same-email-1', email })).user;
    const two = (await login({ subject: 'same-email-2', email })).user;
    const three = (await login({ connectionId: connA2, subject: 'same-email-1', email })).user;
    const other = (
      await users.provisionFromIdentity(
        {
          orgId: f.orgB.id,
          connectionId: connB,
          subject: 'same-email-1',
          email,
          emailVerified: true,
        },
        context,
      )
    ).user;
    assert.equal(new Set([one.id, two.id, three.id, other.id]).size, 4);
    assert.equal(other.orgId, f.orgB.id);
    assert.equal(
      await count('SELECT count(*)::int AS n FROM users WHERE lower(email) = $1', [email]),
      4,
    );
  });

  it('when the first logins of one identity race, then exactly one user is created', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => login({ subject: 'racer', email: 'racer@a.example' })),
    );
    const ids = new Set(attempts.map((a) => a.user.id));
    assert.equal(ids.size, 1);
    assert.equal(attempts.filter((a) => a.created).length, 1);
    const [id] = [...ids];
    assert.equal(
      await count(
        'SELECT count(*)::int AS n FROM user_identities WHERE connection_id = $1 AND subject = $2',
        [connA, 'racer'],
      ),
      1,
    );
    assert.equal(
      await count('SELECT count(*)::int AS n FROM users WHERE email = $1', ['racer@a.example']),
      1,
    );
    assert.deepEqual(await auditTypes(id!), ['admin.user.provisioned']);
  });

  it('when a user is deactivated, then its sessions end and its logins are refused until reactivated', async () => {
    const { user } = await login({ subject: 'leaver' });
    const deactivated = await users.deactivate(f.orgA.id, user.id, adminA, context);
    assert.equal(deactivated.status, 'deactivated');
    assert.deepEqual(sessions.calls, [{ userId: user.id, reason: 'user_deactivated' }]);

    clock.advance(60_000);
    await rejectsWithCode(login({ subject: 'leaver', name: 'Sneaky' }), 'user_deactivated', 403);
    const after = await users.getUser(user.id);
    assert.equal(after?.status, 'deactivated');
    assert.equal(after?.name, null, 'a refused login changes nothing');
    assert.equal(after?.lastLoginAt?.getTime(), user.lastLoginAt?.getTime());

    // Repeating the deactivation sweeps sessions again (finishing a failed sweep).
    await users.deactivate(f.orgA.id, user.id, adminA, context);
    assert.equal(sessions.calls.length, 2);

    await users.reactivate(f.orgA.id, user.id, adminA, context);
    assert.equal((await login({ subject: 'leaver' })).user.id, user.id);
    assert.equal(sessions.calls.length, 2, 'reactivation ends nothing');
  });

  it('when the connection belongs to another org or does not exist, then provisioning is refused', async () => {
    await rejectsWithCode(
      login({ subject: 'cross-tenant', connectionId: connB }),
      'connection_org_mismatch',
      403,
    );
    await rejectsWithCode(
      login({ subject: 'cross-tenant', connectionId: uuidv7() }),
      'connection_org_mismatch',
      403,
    );
    // An existing user of org A cannot be reached through org B's connection either.
    await login({ subject: 'stay-home' });
    await rejectsWithCode(
      users.provisionFromIdentity(
        {
          orgId: f.orgB.id,
          connectionId: connA,
          subject: 'stay-home',
          email: 'stay-home@a.example',
          emailVerified: true,
        },
        context,
      ),
      'connection_org_mismatch',
    );
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM user_identities WHERE subject = 'cross-tenant'`,
        [],
      ),
      0,
    );
  });

  it('when the IdP asserts an unusable identity, then invalid_identity and nothing is created', async () => {
    for (const bad of [
      { subject: '' },
      { subject: 'no-email', email: 'not-an-email' },
      { subject: 'blank-email', email: '   ' },
    ]) {
      await rejectsWithCode(login(bad), 'invalid_identity', 400);
    }
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM user_identities WHERE subject IN ('', 'no-email', 'blank-email')`,
        [],
      ),
      0,
    );
  });

  it('when a user is deleted, then its sessions end first, its identities are deleted, and the next login is a new user', async () => {
    const { user } = await login({ subject: 'deleted' });
    await users.remove(f.orgA.id, user.id, adminA, context);
    assert.deepEqual(sessions.calls, [{ userId: user.id, reason: 'user_deleted' }]);
    assert.equal(await users.getUser(user.id), null);
    assert.equal(
      await count('SELECT count(*)::int AS n FROM user_identities WHERE user_id = $1', [user.id]),
      0,
    );
    assert.equal(
      await count('SELECT count(*)::int AS n FROM connections WHERE id = $1', [connA]),
      1,
      'the connection stays',
    );
    const again = await login({ subject: 'deleted' });
    assert.equal(again.created, true);
    assert.notEqual(again.user.id, user.id);
  });

  it('when a delete cannot end the sessions, then the user stays (deactivated, so no new session opens) for a retry', async () => {
    const { user } = await login({ subject: 'sticky' });
    const failing = createUserService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock: f.t.app.clock,
      sessions: {
        endAllForOrg: () => Promise.resolve(0),
        endAllForUser: () => Promise.reject(new Error('redis down')),
      },
    });
    await assert.rejects(failing.remove(f.orgA.id, user.id, adminA, context), /redis down/);
    const kept = await users.getUser(user.id);
    assert.equal(kept?.identities.length, 1);
    assert.equal(kept?.status, 'deactivated');
    assert.deepEqual(await auditTypes(user.id), [
      'admin.user.provisioned',
      'admin.user.deactivated',
    ]);
  });
});
