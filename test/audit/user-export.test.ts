import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { uuidv7 } from '../../src/platform/ids.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const EXPORT = '/api/v1/orgs/{orgId}/users/{userId}/export';
const ctx = { requestId: 'req-export-1', ip: '198.51.100.7', userAgent: 'Mozilla/5.0 export' };
const policy = { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 7200, maxSessionsPerUser: 10 };

interface ExportBody {
  generated_at: string;
  profile: { id: string; email: string; name: string | null };
  identities: Array<{
    connection: { id: string; type: string; name: string };
    subject: string;
    created_at: string;
  }>;
  sessions: Array<{ id: string; user_id: string }>;
  audit_events: Array<{
    id: string;
    type: string;
    org_id: string;
    actor: { type: string; id: string | null };
    target: { type: string; id: string | null } | null;
    data: Record<string, unknown>;
  }>;
}

describe('admin API: user data export', () => {
  let f: AdminFixture;
  const connections = new Map<string, string>();
  let orgAKeyId: string;

  before(async () => {
    f = await startAdminFixture();
    for (const orgId of [f.orgA.id, f.orgB.id]) {
      const id = randomUUID();
      await f.t.app.db.query(
        `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
         VALUES ($1, $2, 'oidc', 'Corporate IdP', 'active', '{}', now(), now())`,
        [id, orgId],
      );
      connections.set(orgId, id);
    }
    const keys = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/api-keys`);
    orgAKeyId = (keys.body as { items: Array<{ id: string }> }).items[0]!.id;
  });
  after(async () => {
    await f.t.close();
  });

  const userIn = async (orgId: string, subject: string = randomUUID()) =>
    (
      await f.t.app.users.provisionFromIdentity(
        {
          orgId,
          connectionId: connections.get(orgId)!,
          subject,
          email: `${subject}@example.test`,
          emailVerified: true,
          name: 'Dana Subject',
        },
        ctx,
      )
    ).user;
  const open = (orgId: string, userId: string) =>
    f.t.app.sessions.open(
      { userId, orgId, connectionId: connections.get(orgId)!, amr: ['pwd'], policy },
      ctx,
    );
  const exportPath = (orgId: string, userId: string) =>
    `/api/v1/orgs/${orgId}/users/${userId}/export`;

  it('when a user is exported, then profile, identities, live sessions and every event about them, and no secret', async () => {
    const dana = await userIn(f.orgA.id, 'dana-subject');
    const other = await userIn(f.orgA.id);
    const kept = await open(f.orgA.id, dana.id);
    const ended = await open(f.orgA.id, dana.id);
    await open(f.orgA.id, other.id);
    const renamed = await f.orgA.admin.patch(`/api/v1/orgs/${f.orgA.id}/users/${dana.id}`, {
      name: 'Dana Renamed',
    });
    assert.equal(renamed.status, 200);
    const end = await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}/sessions/${ended.session.id}`);
    assert.equal(end.status, 204);

    const res = await f.orgA.admin.get(exportPath(f.orgA.id, dana.id));
    assert.equal(res.status, 200, res.text);
    assertMatchesSpec(res, 'get', EXPORT);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="user-/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.body as ExportBody;

    const profile = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users/${dana.id}`);
    assert.deepEqual(body.profile, profile.body, 'the profile as the users API renders it');
    assert.deepEqual(
      body.identities.map((identity) => [identity.connection, identity.subject]),
      [[{ id: connections.get(f.orgA.id), type: 'oidc', name: 'Corporate IdP' }, 'dana-subject']],
    );
    assert.deepEqual(
      body.sessions.map((session) => session.id),
      [kept.session.id],
      'live sessions only, and only theirs',
    );
    const listed = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users/${dana.id}/sessions`);
    assert.deepEqual(body.sessions, (listed.body as { items: unknown[] }).items);

    const types = body.audit_events.map((event) => event.type);
    for (const type of ['admin.user.provisioned', 'session.created', 'admin.user.updated']) {
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    }
    assert.ok(
      body.audit_events.some(
        (event) => event.type === 'session.ended' && event.target?.id === ended.session.id,
      ),
      'session.ended names the user in data.user_id only, and is theirs too',
    );
    for (const event of body.audit_events) {
      assert.equal(event.org_id, f.orgA.id);
      assert.ok(
        event.actor.id === dana.id ||
          event.target?.id === dana.id ||
          event.data.user_id === dana.id,
        `${event.type} is about the user`,
      );
    }
    const ids = body.audit_events.map((event) => event.id);
    assert.deepEqual(ids, [...ids].sort(), 'oldest first');
    assert.ok(!types.includes('privacy.export'), 'the export does not contain its own record');

    for (const token of [kept.token, ended.token]) {
      assert.ok(!res.text.includes(token.split('.')[1]!), 'no session secret');
    }
    assert.ok(!res.text.includes(f.orgA.keySecret), 'no API key secret');
    assert.ok(!res.text.includes(other.id), "nothing of another user's");
  });

  it('when a user is exported, then privacy.export records the key, the user and what was sent', async () => {
    const erin = await userIn(f.orgA.id);
    await open(f.orgA.id, erin.id);
    const res = await f.orgA.admin.get(exportPath(f.orgA.id, erin.id));
    assert.equal(res.status, 200);
    const body = res.body as ExportBody;
    const events = await f.orgA.admin.get(
      `/api/v1/orgs/${f.orgA.id}/audit-events?type=privacy.export&target_id=${erin.id}`,
    );
    assert.equal(events.status, 200);
    const [recorded, ...rest] = (events.body as { items: ExportBody['audit_events'] }).items;
    assert.equal(rest.length, 0);
    assert.deepEqual(recorded!.actor, { type: 'api_key', id: orgAKeyId });
    assert.deepEqual(recorded!.target, { type: 'user', id: erin.id });
    assert.deepEqual(recorded!.data, {
      identities: 1,
      sessions: 1,
      audit_events: body.audit_events.length,
    });
    const again = await f.orgA.admin.get(exportPath(f.orgA.id, erin.id));
    assert.ok(
      (again.body as ExportBody).audit_events.some((event) => event.id === recorded!.id),
      'a later export shows the earlier one',
    );
  });

  it("when an export reaches for another org's user or an unknown one, then 404 and nothing is recorded", async () => {
    const bo = await userIn(f.orgB.id);
    const dana = await userIn(f.orgA.id);
    for (const [client, path] of [
      [f.orgA.admin, exportPath(f.orgB.id, bo.id)],
      [f.orgB.admin, exportPath(f.orgA.id, dana.id)],
      [f.platform, exportPath(f.orgA.id, bo.id)],
      [f.platform, exportPath(f.orgA.id, uuidv7())],
      [f.orgA.admin, exportPath(f.orgA.id, 'not-a-uuid')],
    ] as const) {
      const res = await client.get(path);
      assert.equal(res.status, 404, path);
      assertMatchesSpec(res, 'get', EXPORT);
    }
    const { rows } = await f.t.app.db.query(
      `SELECT 1 FROM audit_events WHERE type = 'privacy.export' AND target_id = ANY($1)`,
      [[bo.id, dana.id]],
    );
    assert.equal(rows.length, 0);
    const platform = await f.platform.get(exportPath(f.orgB.id, bo.id));
    assert.equal(platform.status, 200, 'a platform admin exports any org');
  });
});
