import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const ctx = { requestId: null, ip: '198.51.100.4', userAgent: 'Mozilla/5.0 test' };
const policy = { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 7200, maxSessionsPerUser: 10 };

describe('admin API: sessions', () => {
  let f: AdminFixture;
  const connections = new Map<string, string>();
  /** An active connection row for an org (the sessions need one to point at). */
  const addConnection = async (orgId: string) => {
    const id = randomUUID();
    await f.t.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'idp', 'active', '{}', now(), now())`,
      [id, orgId],
    );
    connections.set(orgId, id);
    return id;
  };
  before(async () => {
    f = await startAdminFixture();
    for (const orgId of [f.orgA.id, f.orgB.id]) await addConnection(orgId);
  });
  after(async () => {
    await f.t.close();
  });

  const userIn = async (orgId: string, subject = randomUUID()) =>
    (
      await f.t.app.users.provisionFromIdentity(
        {
          orgId,
          connectionId: connections.get(orgId)!,
          subject,
          email: `${subject}@example.test`,
          emailVerified: true,
        },
        ctx,
      )
    ).user;
  const open = (orgId: string, userId: string) =>
    f.t.app.sessions.open(
      { userId, orgId, connectionId: connections.get(orgId)!, amr: ['pwd'], policy },
      ctx,
    );

  it('when an org admin lists and ends a session, then it is gone everywhere and audited with the admin as actor', async () => {
    const user = await userIn(f.orgA.id);
    const { session, token } = await open(f.orgA.id, user.id);
    const list = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users/${user.id}/sessions`);
    assert.equal(list.status, 200);
    assertMatchesSpec(list, 'get', '/api/v1/orgs/{orgId}/users/{userId}/sessions');
    assert.deepEqual(
      (list.body as { items: Array<{ id: string }> }).items.map((s) => s.id),
      [session.id],
    );
    assert.ok(!list.text.includes(token.split('.')[1]!), 'the secret half is never shown');

    const one = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/sessions/${session.id}`);
    assert.equal(one.status, 200);
    assertMatchesSpec(one, 'get', '/api/v1/orgs/{orgId}/sessions/{sessionId}');

    const end = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/sessions/${session.id}`);
    assert.equal(end.status, 204);
    assertMatchesSpec(end, 'delete', '/api/v1/orgs/{orgId}/sessions/{sessionId}');
    assert.equal(await f.t.app.sessions.validate(token), null);
    assert.equal(await f.t.app.sessions.isRevoked(session.id), true);
    // DELETE is idempotent: ending an ended session again is 204, and is not audited again.
    const again = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/sessions/${session.id}`);
    assert.equal(again.status, 204);
    assert.equal(
      (await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/sessions/${session.id}`)).status,
      404,
    );
    const { rows } = await f.t.app.db.query<{ actor_type: string; reason: string }>(
      `SELECT actor_type, reason FROM audit_events WHERE type = 'session.ended' AND target_id = $1`,
      [session.id],
    );
    assert.deepEqual(rows, [{ actor_type: 'api_key', reason: 'admin' }]);
  });

  it("when all of a user's or an org's sessions are ended, then exactly those end", async () => {
    const alice = await userIn(f.orgA.id);
    const bob = await userIn(f.orgA.id);
    const carol = await userIn(f.orgB.id);
    const a1 = await open(f.orgA.id, alice.id);
    const a2 = await open(f.orgA.id, alice.id);
    const b1 = await open(f.orgA.id, bob.id);
    const c1 = await open(f.orgB.id, carol.id);
    const user = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/users/${alice.id}/sessions`);
    assert.equal(user.status, 200);
    assertMatchesSpec(user, 'delete', '/api/v1/orgs/{orgId}/users/{userId}/sessions');
    assert.deepEqual(user.body, { ended: 2 });
    assert.equal(await f.t.app.sessions.validate(a1.token), null);
    assert.equal(await f.t.app.sessions.validate(a2.token), null);
    assert.ok(await f.t.app.sessions.validate(b1.token));
    const org = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/sessions`);
    assert.equal(org.status, 200);
    assertMatchesSpec(org, 'delete', '/api/v1/orgs/{orgId}/sessions');
    assert.equal(await f.t.app.sessions.validate(b1.token), null);
    assert.ok(await f.t.app.sessions.validate(c1.token), "another org's sessions are untouched");
  });

  it("when an org admin reaches for another org's sessions with any verb, then 404 and nothing ends", async () => {
    const carol = await userIn(f.orgB.id);
    const { session, token } = await open(f.orgB.id, carol.id);
    const responses = [
      await f.orgA.admin.get(`/api/v1/orgs/${f.orgB.id}/sessions`),
      await f.orgA.admin.delete(`/api/v1/orgs/${f.orgB.id}/sessions`),
      await f.orgA.admin.get(`/api/v1/orgs/${f.orgB.id}/users/${carol.id}/sessions`),
      await f.orgA.admin.delete(`/api/v1/orgs/${f.orgB.id}/users/${carol.id}/sessions`),
      await f.orgA.admin.get(`/api/v1/orgs/${f.orgB.id}/sessions/${session.id}`),
      await f.orgA.admin.delete(`/api/v1/orgs/${f.orgB.id}/sessions/${session.id}`),
      // B's session id under A's own path: its id names org B, so not found either.
      await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/sessions/${session.id}`),
      await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/sessions/${session.id}`),
      await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/sessions/not-a-session-id`),
    ];
    for (const res of responses) {
      assert.equal(res.status, 404);
      assert.equal((res.body as { code: string }).code, 'not_found');
    }
    assert.ok(await f.t.app.sessions.validate(token));
  });

  it('when an org has more sessions than a page holds, then cursors walk every one once', async () => {
    const org = await f.makeOrg('paged-sessions');
    await addConnection(org.id);
    const user = await userIn(org.id);
    const opened = [];
    for (let i = 0; i < 5; i++) opened.push((await open(org.id, user.id)).session.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await org.admin.get(
        `/api/v1/orgs/${org.id}/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200);
      assertMatchesSpec(res, 'get', '/api/v1/orgs/{orgId}/sessions');
      const body = res.body as { items: Array<{ id: string }>; next_cursor: string | null };
      seen.push(...body.items.map((s) => s.id));
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(new Set(seen), new Set(opened));
  });

  it('when a user is deactivated or an org deleted through the admin API, then their sessions end', async () => {
    const dave = await userIn(f.orgA.id);
    const d = await open(f.orgA.id, dave.id);
    const deactivate = await f.orgA.admin.post(
      `/api/v1/orgs/${f.orgA.id}/users/${dave.id}/deactivate`,
    );
    assert.equal(deactivate.status, 200);
    assert.equal(await f.t.app.sessions.validate(d.token), null);

    const doomed = await f.makeOrg('doomed-sessions');
    await addConnection(doomed.id);
    const erin = await userIn(doomed.id);
    const e = await open(doomed.id, erin.id);
    assert.equal((await f.platform.delete(`/api/v1/orgs/${doomed.id}`)).status, 204);
    assert.equal(await f.t.app.sessions.validate(e.token), null);
    assert.equal(await f.t.app.sessions.isRevoked(e.session.id), true);
  });

  it('when a user exceeds the org limit of concurrent sessions, then the oldest is evicted and audited', async () => {
    const org = await f.makeOrg('limited');
    const connectionId = await addConnection(org.id);
    const frank = await userIn(org.id);
    const limited = { ...policy, maxSessionsPerUser: 2 };
    const first = await f.t.app.sessions.open(
      { userId: frank.id, orgId: org.id, connectionId, amr: ['pwd'], policy: limited },
      ctx,
    );
    await f.t.app.sessions.open(
      { userId: frank.id, orgId: org.id, connectionId, amr: ['pwd'], policy: limited },
      ctx,
    );
    await f.t.app.sessions.open(
      { userId: frank.id, orgId: org.id, connectionId, amr: ['pwd'], policy: limited },
      ctx,
    );
    assert.equal(await f.t.app.sessions.validate(first.token), null);
    assert.equal((await f.t.app.sessions.listForUser(org.id, frank.id)).length, 2);
    const { rows } = await f.t.app.db.query<{ reason: string }>(
      `SELECT reason FROM audit_events WHERE type = 'session.ended' AND target_id = $1`,
      [first.session.id],
    );
    assert.deepEqual(rows, [{ reason: 'evicted' }]);
  });
});
