import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import {
  createUserService,
  type SessionTerminator,
  type UserService,
} from '../../src/orgs/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const USERS = '/api/v1/orgs/{orgId}/users';
const USER = '/api/v1/orgs/{orgId}/users/{userId}';
const DEACTIVATE = '/api/v1/orgs/{orgId}/users/{userId}/deactivate';
const REACTIVATE = '/api/v1/orgs/{orgId}/users/{userId}/reactivate';

interface UserBody {
  id: string;
  org_id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  roles: string[];
  status: string;
  identities: Array<{ connection_id: string; subject: string; created_at: string }>;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}
interface Problem {
  code: string;
  status: number;
  title: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}
type PageBody = { items: UserBody[]; next_cursor: string | null };

const noSessions: SessionTerminator = {
  endAllForOrg: () => Promise.resolve(0),
  endAllForUser: () => Promise.resolve(0),
};

describe('admin API: users', () => {
  let f: AdminFixture;
  let users: UserService;
  let connA: string;
  let connB: string;
  let subjects = 0;
  // Ids are UUIDv7 (millisecond order): the clock moves between provisionings so
  // "oldest first" is well defined.
  const clock = createFakeClock(Date.UTC(2026, 2, 1));

  const insertConnection = async (orgId: string) => {
    const id = uuidv7();
    await f.t.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'test', 'active', '{}', now(), now())`,
      [id, orgId],
    );
    return id;
  };

  /** A user as a first login through `connectionId` would create it. */
  const provision = async (
    orgId: string,
    connectionId: string,
    email: string,
    extra: { name?: string; roles?: string[] } = {},
  ) => {
    subjects += 1;
    clock.advance(1);
    const { user } = await users.provisionFromIdentity(
      { orgId, connectionId, subject: `sub-${subjects}`, email, emailVerified: true, ...extra },
      null,
    );
    return user;
  };

  const paths = (orgId: string, userId: string) => ({
    user: `/api/v1/orgs/${orgId}/users/${userId}`,
    deactivate: `/api/v1/orgs/${orgId}/users/${userId}/deactivate`,
    reactivate: `/api/v1/orgs/${orgId}/users/${userId}/reactivate`,
  });

  const auditOf = async (userId: string, type: string) =>
    (
      await f.t.app.db.query<{
        actor_type: string;
        actor_id: string | null;
        org_id: string;
        request_id: string | null;
        data: Record<string, unknown>;
      }>(`SELECT * FROM audit_events WHERE target_id = $1 AND type = $2 ORDER BY id`, [
        userId,
        type,
      ])
    ).rows;

  before(async () => {
    f = await startAdminFixture({ clock });
    users = createUserService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock: f.t.app.clock,
      sessions: noSessions,
    });
    connA = await insertConnection(f.orgA.id);
    connB = await insertConnection(f.orgB.id);
  });
  after(async () => {
    await f.t.close();
  });

  describe('happy paths', () => {
    it('when a user is read, then 200 with ETag, its identities and no other org data', async () => {
      const user = await provision(f.orgA.id, connA, 'reader@a.example', {
        name: 'Rea Der',
        roles: ['ads.viewer'],
      });
      const res = await f.orgA.admin.get(paths(f.orgA.id, user.id).user);
      assert.equal(res.status, 200);
      assertMatchesSpec(res, 'get', USER);
      assert.equal(res.headers.etag, '"1"');
      const body = res.body as UserBody;
      assert.equal(body.id, user.id);
      assert.equal(body.org_id, f.orgA.id);
      assert.equal(body.email, 'reader@a.example');
      assert.equal(body.email_verified, true);
      assert.equal(body.name, 'Rea Der');
      assert.deepEqual(body.roles, ['ads.viewer']);
      assert.equal(body.status, 'active');
      assert.deepEqual(
        body.identities.map((i) => [i.connection_id, i.subject]),
        [[connA, user.identities[0]!.subject]],
      );
      assert.match(body.last_login_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(body.created_at, /Z$/);
      const platform = await f.platform.get(paths(f.orgA.id, user.id).user);
      assert.deepEqual(platform.body, res.body);
    });

    it('when an admin updates roles and name with the current ETag, then roles are deduplicated and the change is audited', async () => {
      const user = await provision(f.orgA.id, connA, 'editor@a.example', { name: 'Old Name' });
      const path = paths(f.orgA.id, user.id).user;
      const read = await f.orgA.admin.get(path);
      const res = await f.orgA.admin.patch(
        path,
        { roles: ['ads.editor', 'billing:read', 'ads.editor'], name: '  New Name ' },
        read.headers.etag,
      );
      assert.equal(res.status, 200);
      assertMatchesSpec(res, 'patch', USER);
      const body = res.body as UserBody;
      assert.deepEqual(body.roles, ['ads.editor', 'billing:read']);
      assert.equal(body.name, 'New Name');
      assert.equal(res.headers.etag, '"2"');
      assert.equal((await f.orgA.admin.get(path)).headers.etag, '"2"');

      const events = await auditOf(user.id, 'admin.user.updated');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.actor_type, 'api_key');
      assert.equal(events[0]!.org_id, f.orgA.id);
      assert.equal(events[0]!.request_id, res.headers['x-request-id']);
      // Personal data: the trail says the name changed, not what it was or became.
      assert.deepEqual(events[0]!.data, {
        before: { roles: [], name: '[secret]' },
        after: { roles: ['ads.editor', 'billing:read'], name: '[secret]' },
      });

      const cleared = await f.orgA.admin.patch(path, { name: null, roles: [] });
      assert.equal(cleared.status, 200);
      assert.equal((cleared.body as UserBody).name, null);
      assert.deepEqual((cleared.body as UserBody).roles, []);
    });

    it('when a PATCH changes nothing, then 200 with the same ETag and no audit event', async () => {
      const user = await provision(f.orgA.id, connA, 'same@a.example', { roles: ['ads.viewer'] });
      const res = await f.orgA.admin.patch(paths(f.orgA.id, user.id).user, {
        roles: ['ads.viewer'],
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.etag, '"1"');
      assert.equal((await auditOf(user.id, 'admin.user.updated')).length, 0);
    });

    it('when a user is deactivated and reactivated, twice each, then each state holds and only changes are audited', async () => {
      const user = await provision(f.orgA.id, connA, 'toggle@a.example');
      const p = paths(f.orgA.id, user.id);
      for (let i = 0; i < 2; i++) {
        const res = await f.orgA.admin.post(p.deactivate);
        assert.equal(res.status, 200);
        assertMatchesSpec(res, 'post', DEACTIVATE);
        assert.equal((res.body as UserBody).status, 'deactivated');
        assert.equal(res.headers.etag, '"2"');
      }
      assert.equal(((await f.orgA.admin.get(p.user)).body as UserBody).status, 'deactivated');
      for (let i = 0; i < 2; i++) {
        const res = await f.orgA.admin.post(p.reactivate, {});
        assert.equal(res.status, 200);
        assertMatchesSpec(res, 'post', REACTIVATE);
        assert.equal((res.body as UserBody).status, 'active');
        assert.equal(res.headers.etag, '"3"');
      }
      const deactivated = await auditOf(user.id, 'admin.user.deactivated');
      assert.equal(deactivated.length, 1);
      assert.deepEqual(deactivated[0]!.data, {
        before: { status: 'active' },
        after: { status: 'deactivated' },
      });
      assert.equal((await auditOf(user.id, 'admin.user.reactivated')).length, 1);
    });

    it('when a user is deleted, then 204, its identities go with it, and the audit keeps only ids and the email domain', async () => {
      const user = await provision(f.orgA.id, connA, 'Gone.Person@Leaving.example', {
        name: 'Gone Person',
      });
      const p = paths(f.orgA.id, user.id);
      const res = await f.orgA.admin.delete(p.user);
      assert.equal(res.status, 204);
      assertMatchesSpec(res, 'delete', USER);
      const gone = await f.orgA.admin.get(p.user);
      assert.equal(gone.status, 404);
      assertMatchesSpec(gone, 'get', USER);
      const { rows } = await f.t.app.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM user_identities WHERE user_id = $1',
        [user.id],
      );
      assert.equal(rows[0]!.n, 0);
      assert.equal((await f.orgA.admin.delete(p.user)).status, 404);

      const events = await auditOf(user.id, 'admin.user.deleted');
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.data, {
        emailDomain: 'leaving.example',
        connectionIds: [connA],
      });
      const everything = JSON.stringify(
        (await f.t.app.db.query('SELECT data FROM audit_events WHERE target_id = $1', [user.id]))
          .rows,
      );
      assert.equal(everything.toLowerCase().includes('gone.person'), false);
      assert.equal(everything.includes('Gone Person'), false);
    });
  });

  describe('listing and search', () => {
    it('when users are searched by email prefix, then the match is case-insensitive and %, _ and \\ are literal', async () => {
      const org = await f.makeOrg('search-org');
      const conn = await insertConnection(org.id);
      const emails = [
        'Alice@search.example',
        'alicia@search.example',
        'bob@search.example',
        'a_b@search.example',
        'axb@search.example',
        'a%c@search.example',
        'abc@search.example',
        'a\\d@search.example',
      ];
      const ids = new Map<string, string>();
      for (const email of emails) ids.set(email, (await provision(org.id, conn, email)).id);
      // Same prefix in another org: never listed here.
      await provision(f.orgB.id, connB, 'alien@b.example');

      const search = async (prefix: string) => {
        const res = await org.admin.get(
          `/api/v1/orgs/${org.id}/users?email_prefix=${encodeURIComponent(prefix)}`,
        );
        assert.equal(res.status, 200, prefix);
        assertMatchesSpec(res, 'get', USERS);
        return (res.body as PageBody).items.map((u) => u.email);
      };
      assert.deepEqual(await search('ALI'), ['Alice@search.example', 'alicia@search.example']);
      assert.deepEqual(await search('a_'), ['a_b@search.example']);
      assert.deepEqual(await search('a%'), ['a%c@search.example']);
      assert.deepEqual(await search('a\\'), ['a\\d@search.example']);
      assert.deepEqual(await search('%'), []);
      assert.deepEqual(await search('_'), []);
      assert.deepEqual(await search('zzz'), []);
      const all = await org.admin.get(`/api/v1/orgs/${org.id}/users`);
      assert.deepEqual(
        (all.body as PageBody).items.map((u) => u.email),
        emails,
        'oldest first, only this org',
      );
    });

    it('when the email prefix is empty, too long or repeated, then 400 naming it', async () => {
      for (const query of [
        'email_prefix=',
        `email_prefix=${'a'.repeat(321)}`,
        'email_prefix=a&email_prefix=b',
      ]) {
        const res = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users?${query}`);
        assert.equal(res.status, 400, query);
        assertMatchesSpec(res, 'get', USERS);
        const body = res.body as Problem;
        assert.equal(body.code, 'validation_failed');
        assert.deepEqual(
          body.errors?.map((e) => e.field),
          ['email_prefix'],
        );
      }
      for (const query of ['limit=0', 'limit=201', 'cursor=nope']) {
        const res = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users?${query}`);
        assert.equal(res.status, 400, query);
        assertMatchesSpec(res, 'get', USERS);
      }
    });

    it('when there are more users than a page holds, then cursors walk every one exactly once, oldest first, also within a search', async () => {
      const org = await f.makeOrg('paged-users');
      const conn = await insertConnection(org.id);
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        created.push((await provision(org.id, conn, `${i % 2 ? 'odd' : 'even'}${i}@p.example`)).id);
      }
      const walk = async (filter: string) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await org.admin.get(
            `/api/v1/orgs/${org.id}/users?limit=2${filter}${cursor ? `&cursor=${cursor}` : ''}`,
          );
          assert.equal(res.status, 200);
          assertMatchesSpec(res, 'get', USERS);
          const body = res.body as PageBody;
          assert.ok(body.items.length <= 2);
          seen.push(...body.items.map((u) => u.id));
          cursor = body.next_cursor;
          pages += 1;
        } while (cursor && pages < 50);
        return { seen, pages };
      };
      const all = await walk('');
      assert.equal(all.pages, 4);
      assert.deepEqual(all.seen, [...created].sort());
      const even = await walk('&email_prefix=EVEN');
      assert.ok(even.pages >= 2);
      assert.deepEqual(
        even.seen,
        created.filter((_, i) => i % 2 === 0),
      );
    });
  });

  describe('validation and mass assignment', () => {
    it('when roles or name are malformed, then 400 validation_failed naming each field', async () => {
      const user = await provision(f.orgA.id, connA, 'valid@a.example');
      const path = paths(f.orgA.id, user.id).user;
      const cases: Array<[unknown, string[]]> = [
        [
          { roles: ['Admin', 'ok', '1st', '', 'x'.repeat(65), 'has space'] },
          ['roles.0', 'roles.2', 'roles.3', 'roles.4', 'roles.5'],
        ],
        [{ roles: Array.from({ length: 51 }, (_, i) => `r${i}`) }, ['roles']],
        [{ roles: 'admin' }, ['roles']],
        [{ roles: [1] }, ['roles.0']],
        [{ name: '' }, ['name']],
        [{ name: '   ' }, ['name']],
        [{ name: 'n'.repeat(201) }, ['name']],
        [{ name: 42 }, ['name']],
      ];
      for (const [body, fields] of cases) {
        const res = await f.orgA.admin.patch(path, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assertMatchesSpec(res, 'patch', USER);
        const problem = res.body as Problem;
        assert.equal(problem.code, 'validation_failed');
        assert.deepEqual(
          problem.errors?.map((e) => e.field),
          fields,
          JSON.stringify(body),
        );
      }
      const fifty = Array.from({ length: 50 }, (_, i) => `r${i}`);
      const ok = await f.orgA.admin.patch(path, { roles: fifty });
      assert.equal(ok.status, 200);
      assert.equal((ok.body as UserBody).roles.length, 50);
    });

    it('when a body smuggles email, status, org_id, id, identities, role or scope, then 400 and nothing changes', async () => {
      const user = await provision(f.orgA.id, connA, 'victim@a.example', { roles: ['ads.viewer'] });
      const p = paths(f.orgA.id, user.id);
      const before = await f.orgA.admin.get(p.user);
      for (const smuggled of [
        { email: 'attacker@evil.example' },
        { email_verified: false },
        { status: 'deactivated' },
        { org_id: f.orgB.id },
        { id: uuidv7() },
        { identities: [{ connection_id: connB, subject: 'x' }] },
        { last_login_at: null },
        { role: 'owner' },
        { scope: 'platform:admin' },
      ]) {
        const res = await f.orgA.admin.patch(p.user, { roles: ['ads.admin'], ...smuggled });
        assert.equal(res.status, 400, JSON.stringify(smuggled));
        assertMatchesSpec(res, 'patch', USER);
        assert.deepEqual((res.body as Problem).errors, [
          { field: Object.keys(smuggled)[0]!, message: 'unknown field' },
        ]);
      }
      for (const [path, template] of [
        [p.deactivate, DEACTIVATE],
        [p.reactivate, REACTIVATE],
      ] as const) {
        const res = await f.orgA.admin.post(path, { status: 'active' });
        assert.equal(res.status, 400);
        assertMatchesSpec(res, 'post', template);
        assert.deepEqual((res.body as Problem).errors, [
          { field: 'status', message: 'unknown field' },
        ]);
      }
      const created = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/users`, {
        email: 'new@a.example',
      });
      assert.equal(created.status, 404, 'there is no create: users come from logins');
      const after = await f.orgA.admin.get(p.user);
      assert.deepEqual(after.body, before.body);
      assert.equal(after.headers.etag, before.headers.etag);
    });

    it('when a PATCH body is not JSON, then 415', async () => {
      const user = await provision(f.orgA.id, connA, 'media@a.example');
      const res = await request(f.t.app.http)
        .patch(paths(f.orgA.id, user.id).user)
        .set('Authorization', `Bearer ${f.orgA.keySecret}`)
        .set('Content-Type', 'text/plain')
        .send('roles=admin');
      assert.equal(res.status, 415);
      assertMatchesSpec(res, 'patch', USER);
    });
  });

  describe('tenant isolation', () => {
    it("when an org admin uses another org's ids or unknown ids with any verb, then an identical 404 and nothing changes", async () => {
      const userA = await provision(f.orgA.id, connA, 'mine@a.example');
      const userB = await provision(f.orgB.id, connB, 'theirs@b.example', {
        roles: ['ads.viewer'],
      });
      const before = await f.platform.get(paths(f.orgB.id, userB.id).user);
      const unknown = '01900000-0000-7000-8000-000000000000';
      const targets: Array<[string, string]> = [
        [f.orgB.id, userB.id], // another org, its user
        [f.orgA.id, userB.id], // own org, another org's user
        [f.orgB.id, userA.id], // another org, own user
        [f.orgA.id, unknown],
        [unknown, unknown],
        [f.orgA.id, 'not-a-uuid'],
        ['not-a-uuid', userB.id],
      ];
      let reference: Omit<Problem, 'errors'> | null = null;
      for (const [orgId, userId] of targets) {
        const p = paths(orgId, userId);
        const responses = [
          ['GET', 'get', USER, await f.orgA.admin.get(p.user)],
          ['PATCH', 'patch', USER, await f.orgA.admin.patch(p.user, { roles: ['pwned'] })],
          ['DEACTIVATE', 'post', DEACTIVATE, await f.orgA.admin.post(p.deactivate)],
          ['REACTIVATE', 'post', REACTIVATE, await f.orgA.admin.post(p.reactivate)],
          ['DELETE', 'delete', USER, await f.orgA.admin.delete(p.user)],
        ] as const;
        for (const [verb, method, template, res] of responses) {
          assert.equal(res.status, 404, `${verb} ${orgId}/${userId}`);
          assertMatchesSpec(res, method, template);
          const { code, status, title, detail } = res.body as Problem;
          reference ??= { code, status, title, detail };
          assert.deepEqual(
            { code, status, title, detail },
            reference,
            `${verb} ${orgId}/${userId}`,
          );
          assert.equal(detail.includes(userB.id) || detail.includes(f.orgB.id), false);
        }
      }
      assert.equal(reference?.code, 'not_found');
      for (const orgId of [f.orgB.id, unknown, 'not-a-uuid']) {
        const list = await f.orgA.admin.get(`/api/v1/orgs/${orgId}/users?email_prefix=the`);
        assert.equal(list.status, 404, orgId);
        assertMatchesSpec(list, 'get', USERS);
        assert.equal((list.body as Problem).code, 'not_found');
      }
      // A platform admin is scoped by the path too: orgA's path never reaches orgB's user.
      assert.equal((await f.platform.get(paths(f.orgA.id, userB.id).user)).status, 404);
      assert.equal((await f.platform.delete(paths(f.orgA.id, userB.id).user)).status, 404);
      assert.equal((await f.platform.get(`/api/v1/orgs/${unknown}/users`)).status, 404);

      const after = await f.platform.get(paths(f.orgB.id, userB.id).user);
      assert.equal(after.status, 200);
      assert.deepEqual(after.body, before.body);
      assert.equal((await auditOf(userB.id, 'admin.user.updated')).length, 0);
      assert.equal((await auditOf(userB.id, 'admin.user.deactivated')).length, 0);
    });

    it('when no API key is sent, then 401', async () => {
      const res = await request(f.t.app.http).get(`/api/v1/orgs/${f.orgA.id}/users`);
      assert.equal(res.status, 401);
      assertMatchesSpec(res, 'get', USERS);
    });
  });

  describe('optimistic concurrency', () => {
    it('when If-Match names an old version, then 412 and the newer write stands', async () => {
      const user = await provision(f.orgA.id, connA, 'race@a.example');
      const path = paths(f.orgA.id, user.id).user;
      const read = await f.orgA.admin.get(path);
      const first = await f.orgA.admin.patch(path, { roles: ['first'] }, read.headers.etag);
      assert.equal(first.status, 200);
      const second = await f.orgA.admin.patch(path, { roles: ['second'] }, read.headers.etag);
      assert.equal(second.status, 412);
      assert.equal((second.body as Problem).code, 'precondition_failed');
      assertMatchesSpec(second, 'patch', USER);
      // A stale ETag is refused even when the write would change nothing.
      const noop = await f.orgA.admin.patch(path, { roles: ['first'] }, read.headers.etag);
      assert.equal(noop.status, 412);
      const garbage = await f.orgA.admin.patch(path, { roles: ['x'] }, 'nonsense');
      assert.equal(garbage.status, 412);
      const now = await f.orgA.admin.get(path);
      assert.deepEqual((now.body as UserBody).roles, ['first']);
      // A deactivation moves the version on: an ETag read before it is stale after it.
      await f.orgA.admin.post(paths(f.orgA.id, user.id).deactivate);
      const late = await f.orgA.admin.patch(path, { roles: ['late'] }, now.headers.etag);
      assert.equal(late.status, 412);
    });
  });

  describe('secrets and personal data', () => {
    it('when the users API has been used, then no API key, email or search prefix appears in any log line', () => {
      const logs = f.t.logs.text;
      assert.ok(logs.length > 0, 'requests were logged');
      for (const secret of [f.platformKey, f.orgA.keySecret, f.orgB.keySecret]) {
        assert.equal(logs.includes(secret), false);
        assert.equal(logs.includes(secret.slice(36)), false, 'the secret half of the key');
      }
      for (const personal of ['reader@a.example', 'victim@a.example', 'email_prefix']) {
        assert.equal(logs.includes(personal), false, personal);
      }
    });
  });
});
