import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createDirectoryActivity, maskDetail } from '../../src/directories/directory-activity.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';
import {
  groupBody,
  PATCH_OP,
  scimDirectory,
  scimDomains,
  userBody,
  type ScimClient,
} from '../support/scim.js';

type Status = {
  last_request_at: string | null;
  last_write_at: string | null;
  counts: { users: number; active_users: number; groups: number; memberships: number };
  errors: Array<{
    method: string;
    path: string;
    status: number;
    scim_type: string | null;
    detail: string | null;
  }>;
  errors_dropped: number;
};
type Page<T> = { items: T[]; next_cursor: string | null };
type User = { id: string; user_name: string; email: string; active: boolean; roles: string[] };
type Group = { id: string; display_name: string; member_count: number; roles: string[] };

const SPEC_BASE = '/api/v1/orgs/{orgId}/scim-directories/{directoryId}';

/**
 * Waits until the process has recorded this many SCIM answers (the finish hook may run
 * after the client has its answer) and their writes have ended.
 */
async function waitUntilRecorded(
  activity: AdminFixture['t']['app']['directories']['activity'],
  outcomes: number,
) {
  const deadline = Date.now() + 5000;
  while (activity.stats().outcomes < outcomes) {
    if (Date.now() > deadline) throw new Error('SCIM answers were not recorded');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await activity.settled();
}

describe('admin API: a SCIM directory sync status and what it manages', () => {
  let f: AdminFixture;
  const clock = createFakeClock(Date.now());
  before(async () => {
    f = await startAdminFixture({ clock });
    await scimDomains(f);
  });
  after(async () => {
    await f.t.close();
  });

  const item = (id: string, orgId = f.orgA.id) => `/api/v1/orgs/${orgId}/scim-directories/${id}`;
  const activity = () => f.t.app.directories.activity;
  const recorded = (outcomes: number) => waitUntilRecorded(activity(), outcomes);
  /** Sends SCIM requests, then waits until each answer is recorded. */
  const sent = async <T>(requests: () => Promise<T>, count = 1): Promise<T> => {
    const before = activity().stats().outcomes;
    const result = await requests();
    await recorded(before + count);
    return result;
  };
  const status = async (id: string) => {
    const res = await f.orgA.admin.get(`${item(id)}/status`);
    assert.equal(res.status, 200, res.text);
    assertMatchesSpec(res, 'get', `${SPEC_BASE}/status`);
    return res.body as Status;
  };
  const createUser = async (scim: ScimClient, userName: string) => {
    const res = await sent(() => scim.post('/Users', userBody(userName)));
    assert.equal(res.status, 201, res.text);
    return (res.body as { id: string }).id;
  };

  it('when users and groups are pushed and one user is deactivated, then the counts and times say so', async () => {
    const { id, scim } = await scimDirectory(f, f.orgA);
    const fresh = await status(id);
    assert.deepEqual(fresh.counts, { users: 0, active_users: 0, groups: 0, memberships: 0 });
    assert.equal(fresh.last_request_at, null);
    await f.orgA.admin.patch(item(id), { role_mapping: { Engineers: 'engineer' } });

    const startedAt = clock.now().toISOString();
    const ada = await createUser(scim, 'ada@a.example');
    const bob = await createUser(scim, 'bob@a.example');
    const cyd = await createUser(scim, 'cyd@a.example');
    const off = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
    assert.equal((await sent(() => scim.patch(`/Users/${cyd}`, off))).status, 200);
    const engineers = groupBody('Engineers', [ada, bob]);
    assert.equal((await sent(() => scim.post('/Groups', engineers))).status, 201);
    assert.equal((await sent(() => scim.post('/Groups', groupBody('Ops', [cyd])))).status, 201);

    const s = await status(id);
    assert.deepEqual(s.counts, { users: 3, active_users: 2, groups: 2, memberships: 3 });
    assert.equal(s.last_request_at, startedAt);
    assert.equal(s.last_write_at, startedAt);
    assert.deepEqual(s.errors, []);
  });

  it('when a filter is bad or a user is unknown, then each refusal shows with its path shape and no personal data', async () => {
    const { id, scim } = await scimDirectory(f, f.orgA);
    const filter = encodeURIComponent('userName eq "alice@a.example" and (');
    const bad = await sent(() => scim.get(`/Users?filter=${filter}`));
    assert.equal(bad.status, 400);
    // Errors are ordered by their time-ordered ids: a later millisecond for the later one.
    clock.advance(1);
    const unknown = randomUUID();
    const patch = {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'title', value: 'x' }],
    };
    assert.equal((await sent(() => scim.patch(`/Users/${unknown}`, patch))).status, 404);
    // No verified directory: a wrong token's 401 is nobody's to record.
    const stranger = await f.orgA.admin.get(`/scim/v2/${id}/Users`);
    assert.equal(stranger.status, 401);

    const res = await f.orgA.admin.get(`${item(id)}/status`);
    const s = res.body as Status;
    assert.deepEqual(
      s.errors.map((e) => [e.method, e.path, e.status, e.scim_type]),
      [
        ['PATCH', '/Users/{id}', 404, null],
        ['GET', '/Users', 400, 'invalidFilter'],
      ],
    );
    assert.equal(s.errors[1]!.detail, 'The filter could not be parsed');
    assert.ok(!res.text.includes('alice'), res.text);
    assert.ok(!res.text.includes(unknown), res.text);
  });

  it("when another org's key asks for a directory's status, users or groups, then it is a 404", async () => {
    const { id, scim } = await scimDirectory(f, f.orgA);
    const user = await createUser(scim, 'dee@a.example');
    const group = await sent(() => scim.post('/Groups', groupBody('Sales', [user])));
    const groupId = (group.body as { id: string }).id;
    const b = f.orgB.admin;
    for (const path of [
      'status',
      'users',
      'groups',
      `groups/${groupId}`,
      `groups/${groupId}/members`,
    ]) {
      assert.equal((await b.get(`${item(id)}/${path}`)).status, 404, path);
      // Org B's own path with org A's directory id: not found either.
      assert.equal((await b.get(`${item(id, f.orgB.id)}/${path}`)).status, 404, path);
    }
    assert.equal((await f.orgA.admin.get(`${item(id)}/groups/${randomUUID()}`)).status, 404);
  });

  it('when a directory manages more users than a page, then the users, groups and members come in pages', async () => {
    const { id, scim } = await scimDirectory(f, f.orgA);
    await f.orgA.admin.patch(item(id), { role_mapping: { Finance: 'finance' } });
    const ids: string[] = [];
    for (const name of ['e1', 'e2', 'e3', 'e4', 'e5'])
      ids.push(await createUser(scim, `${name}@a.example`));
    const group = await sent(() => scim.post('/Groups', groupBody('Finance', ids)));
    const groupId = (group.body as { id: string }).id;
    await sent(() => scim.post('/Groups', groupBody('Empty')));

    const pages = async <T extends { id: string }>(path: string, specPath: string) => {
      const seen: T[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await f.orgA.admin.get(`${item(id)}/${path}${query}`);
        assert.equal(res.status, 200, res.text);
        assertMatchesSpec(res, 'get', `${SPEC_BASE}/${specPath}`);
        const page = res.body as Page<T>;
        assert.ok(page.items.length <= 2);
        seen.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor);
      return seen;
    };
    const users = await pages<User>('users', 'users');
    assert.deepEqual(
      users.map((u) => u.id),
      [...ids].sort(),
    );
    assert.ok(users.every((u) => u.active && u.email === u.user_name));
    assert.ok(users.every((u) => u.roles.join() === 'finance'));
    const members = await pages<User>(`groups/${groupId}/members`, 'groups/{groupId}/members');
    assert.deepEqual(
      members.map((u) => u.id),
      [...ids].sort(),
    );
    const groups = await pages<Group>('groups', 'groups');
    assert.deepEqual(
      groups.map((g) => g.id),
      groups.map((g) => g.id).sort(),
    );
    assert.deepEqual(groups.map((g) => [g.display_name, g.member_count, g.roles]).sort(), [
      ['Empty', 0, []],
      ['Finance', 5, ['finance']],
    ]);
    const one = await f.orgA.admin.get(`${item(id)}/groups/${groupId}`);
    assertMatchesSpec(one, 'get', `${SPEC_BASE}/groups/{groupId}`);
    assert.equal((one.body as Group).member_count, 5);
  });

  it('when a sync sends many requests within the write interval, then the activity is written once, and again after it', async () => {
    const { id, scim } = await scimDirectory(f, f.orgA);
    const writes = () => activity().stats().activityWrites;
    const first = clock.now().toISOString();
    const before = writes();
    await sent(() => scim.get('/Users'));
    assert.equal(writes(), before + 1);

    clock.advance(5_000);
    const burst = Array.from({ length: 32 }, () => () => scim.get('/Users?count=1'));
    await sent(async () => {
      for (let i = 0; i < burst.length; i += 16) {
        await Promise.all(burst.slice(i, i + 16).map((call) => call()));
      }
    }, burst.length);
    assert.equal(writes(), before + 1);
    assert.equal((await status(id)).last_request_at, first);

    clock.advance(5_000);
    await sent(() => scim.get('/Users'));
    assert.equal(writes(), before + 2);
    assert.equal((await status(id)).last_request_at, clock.now().toISOString());
  });

  it('when a client repeats a bad request, then at most 20 errors a minute are kept, the rest counted, and only the newest 50 stay', async () => {
    const { id, scim } = await scimDirectory(f, f.orgA);
    const bad = () => scim.get('/Users?filter=nope');
    await sent(async () => {
      for (let i = 0; i < 25; i += 1) assert.equal((await bad()).status, 400);
    }, 25);
    const stats = activity().stats();
    clock.advance(10_000);
    await sent(() => scim.get('/Users'));
    let s = await status(id);
    assert.equal(s.errors.length, 20);
    assert.equal(s.errors_dropped, 5);
    assert.equal(activity().stats().errorWrites, stats.errorWrites);

    for (let minute = 0; minute < 3; minute += 1) {
      clock.advance(60_000);
      await sent(async () => {
        for (let i = 0; i < 20; i += 1) await bad();
      }, 20);
    }
    s = await status(id);
    assert.equal(s.errors.length, 50);
    const { rows } = await f.t.app.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM scim_directory_errors WHERE directory_id = $1',
      [id],
    );
    assert.equal(Number(rows[0]!.n), 50);
  });

  it('when the sync status cannot be written, then the failure is logged and nothing throws', async () => {
    const warnings: unknown[] = [];
    const recorder = createDirectoryActivity({
      db: f.t.app.db,
      clock,
      logger: { warn: (fields: unknown) => warnings.push(fields) },
    });
    // No such directory: the foreign key refuses both writes.
    const outcome = { directoryId: randomUUID(), method: 'POST', path: '/Users', status: 400 };
    assert.doesNotThrow(() => recorder.record(outcome));
    await recorder.settled();
    assert.equal(warnings.length, 2);
  });

  it('when a detail quotes the request, then the kept detail masks it', () => {
    assert.equal(
      maskDetail('The filter could not be parsed: unexpected token alice@a.example'),
      'The filter could not be parsed',
    );
    assert.equal(maskDetail("No user 'ada@a.example'."), "No user '…'.");
    assert.equal(maskDetail("No user 'Ada Lovelace'."), "No user '…'.");
    assert.equal(
      maskDetail("The attribute 'id' is read-only."),
      "The attribute 'id' is read-only.",
    );
    assert.equal(maskDetail(null), null);
  });
});

describe('admin API: a SCIM directory sync status when its budget runs out', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture({
      env: {
        LATCHKEY_LIMITS_SCIM_PER_DIRECTORY_POINTS: '2',
        LATCHKEY_LIMITS_SCIM_PER_DIRECTORY_WINDOW_SECONDS: '60',
      },
    });
  });
  after(async () => {
    await f.t.close();
  });

  it('when a directory is rate limited, then the 429 shows in its status (its token was verified)', async () => {
    const { id, scim } = await scimDirectory(f, f.orgA);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await scim.get('/Users')).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    await waitUntilRecorded(f.t.app.directories.activity, 3);
    const res = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/scim-directories/${id}/status`);
    const s = res.body as Status;
    assert.deepEqual(
      s.errors.map((e) => [e.method, e.path, e.status]),
      [['GET', '/Users', 429]],
    );
  });
});
