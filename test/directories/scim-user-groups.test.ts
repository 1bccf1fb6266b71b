import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import {
  createdId,
  groupBody,
  PATCH_OP,
  scimDirectory,
  scimDomains,
  userBody,
  type ScimClient,
} from '../support/scim.js';

type UserGroup = { value: string; $ref?: string; display?: string; type?: string };
type ScimUser = { id: string; userName: string; groups?: UserGroup[]; meta: { version: string } };
type ScimList = { totalResults: number; Resources: ScimUser[] };

/** RFC 7643 §4.1.2: a user's `groups` is read-only, filled in from the group memberships. */
describe("SCIM 2.0 Users: the read-only 'groups' attribute", () => {
  let f: AdminFixture;
  let scim: ScimClient;
  let directoryId: string;
  let ada: string;
  let bob: string;
  let cy: string;
  let eng: string;
  let ops: string;
  before(async () => {
    f = await startAdminFixture();
    await scimDomains(f);
    ({ scim, id: directoryId } = await scimDirectory(f, f.orgA));
    const user = (userName: string) => createdId(scim, '/Users', userBody(userName));
    const group = (name: string, members: string[]) =>
      createdId(scim, '/Groups', groupBody(name, members));
    ada = await user('ada@a.example');
    bob = await user('bob@a.example');
    cy = await user('cy@a.example');
    ops = await group('Ops', [ada]);
    eng = await group('Engineering', [ada, bob]);
  });
  after(async () => {
    await f.t.close();
  });

  const getUser = async (id: string, query = '') => {
    const res = await scim.get(`/Users/${id}${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body as ScimUser;
  };
  const list = async (query: string) => {
    const res = await scim.get(`/Users?${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body as ScimList;
  };
  const filtered = async (filter: string) =>
    (await list(`filter=${encodeURIComponent(filter)}`)).Resources.map((u) => u.userName).sort();

  /** Counts the queries that read group memberships while fn runs. */
  const membershipQueries = async (fn: () => Promise<unknown>) => {
    const db = f.t.app.db;
    const query = db.query.bind(db);
    let count = 0;
    db.query = ((text: string, ...rest: unknown[]) => {
      if (/scim_group_members/.test(text)) count += 1;
      return (query as (...args: unknown[]) => unknown)(text, ...rest);
    }) as typeof db.query;
    try {
      await fn();
    } finally {
      db.query = query;
    }
    return count;
  };

  it('when a user is a member of groups, then GET shows each as value, $ref, display and type "direct", by name', async () => {
    const user = await getUser(ada);
    assert.deepEqual(
      user.groups!.map(({ $ref: _ref, ...group }) => group),
      [
        { value: eng, display: 'Engineering', type: 'direct' },
        { value: ops, display: 'Ops', type: 'direct' },
      ],
    );
    assert.match(user.groups![0]!.$ref!, new RegExp(`/scim/v2/${directoryId}/Groups/${eng}$`));
    assert.equal((await getUser(cy)).groups, undefined, 'no group: no attribute');
    const projected = await getUser(ada, '?excludedAttributes=groups');
    assert.equal(projected.groups, undefined);
  });

  it('when the directory lists its users, then every user of the page carries its groups, read in one query for the page', async () => {
    let page: ScimList | undefined;
    const queries = await membershipQueries(async () => {
      page = await list('startIndex=1&count=10');
    });
    assert.equal(queries, 1);
    const byName = new Map(page!.Resources.map((u) => [u.userName, u]));
    assert.deepEqual(
      byName.get('ada@a.example')!.groups!.map((g) => g.display),
      ['Engineering', 'Ops'],
    );
    assert.deepEqual(
      byName.get('bob@a.example')!.groups!.map((g) => g.value),
      [eng],
    );
    assert.equal(byName.get('cy@a.example')!.groups, undefined);
  });

  it('when a list excludes groups or asks for other attributes, or finds nobody, then no membership query runs', async () => {
    let excluded: ScimList | undefined;
    assert.equal(
      await membershipQueries(async () => {
        excluded = await list('excludedAttributes=groups');
      }),
      0,
    );
    assert.ok(excluded!.Resources.every((u) => u.groups === undefined));
    assert.equal(await membershipQueries(() => list('attributes=userName')), 0);
    // Entra ID's probe before every create, as in the initial sync: nobody found, no query.
    const probe = `filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`;
    assert.equal(await membershipQueries(() => list(probe)), 0);
    const shown = await list('attributes=groups');
    const ada_ = shown.Resources.find((u) => u.id === ada)!;
    assert.deepEqual(
      ada_.groups!.map((g) => g.display),
      ['Engineering', 'Ops'],
    );
  });

  it('when a list filters on groups, then the filter sees each user’s groups', async () => {
    assert.deepEqual(await filtered(`groups.value eq "${eng}"`), [
      'ada@a.example',
      'bob@a.example',
    ]);
    assert.deepEqual(await filtered(`groups[value eq "${ops}"]`), ['ada@a.example']);
    assert.deepEqual(await filtered('groups.display eq "engineering"'), [
      'ada@a.example',
      'bob@a.example',
    ]);
    assert.deepEqual(await filtered('not (groups pr)'), ['cy@a.example']);
    assert.deepEqual(await filtered(`userName eq "bob@a.example" and groups.value eq "${eng}"`), [
      'bob@a.example',
    ]);
    assert.deepEqual(
      await filtered(`userName eq "bob@a.example" and groups.value eq "${ops}"`),
      [],
    );
    const bad = await scim.get(`/Users?filter=${encodeURIComponent('groups.colour eq "x"')}`);
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { scimType: string }).scimType, 'invalidFilter');
  });

  it('when a client writes groups (POST, PUT, PATCH without a path), then it is ignored: no error, no change', async () => {
    const created = await scim.post(
      '/Users',
      userBody('dee@a.example', { groups: [{ value: eng, display: 'Engineering' }] }),
    );
    assert.equal(created.status, 201, created.text);
    const dee = (created.body as ScimUser).id;
    assert.equal((created.body as ScimUser).groups, undefined);
    assert.equal((await getUser(dee)).groups, undefined);

    const put = await scim.put(
      `/Users/${cy}`,
      userBody('cy@a.example', { groups: [{ value: ops }] }),
    );
    assert.equal(put.status, 200, put.text);
    assert.equal((put.body as ScimUser).groups, undefined);

    const replaced = await scim.patch(`/Users/${bob}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { displayName: 'Bob', groups: [{ value: ops }] } }],
    });
    assert.equal(replaced.status, 200, replaced.text);
    assert.deepEqual(
      (replaced.body as ScimUser).groups!.map((g) => g.value),
      [eng],
    );
    const { rows } = await f.t.app.db.query<{ resource: Record<string, unknown> }>(
      'SELECT resource FROM scim_users WHERE user_id = ANY($1::uuid[])',
      [[bob, cy, dee]],
    );
    assert.ok(
      rows.every((row) => !('groups' in row.resource)),
      'groups is never stored',
    );
    const groupRes = await scim.get(`/Groups/${ops}`);
    assert.deepEqual(
      (groupRes.body as { members: Array<{ value: string }> }).members.map((m) => m.value),
      [ada],
    );
  });

  it('when a PATCH operation targets groups, then it is 400 mutability and nothing of the PATCH applies', async () => {
    const before_ = await getUser(bob);
    for (const operation of [
      { op: 'add', path: 'groups', value: [{ value: ops }] },
      { op: 'Remove', path: `groups[value eq "${eng}"]` },
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:groups', value: [] },
    ]) {
      const res = await scim.patch(`/Users/${bob}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Robert' }, operation],
      });
      assert.equal(res.status, 400, res.text);
      assert.equal((res.body as { scimType: string }).scimType, 'mutability');
    }
    const lowerCase = await scim.patch(`/Users/${bob}`, {
      operations: [{ op: 'add', path: 'Groups', value: [{ value: ops }] }],
    });
    assert.equal(lowerCase.status, 400, lowerCase.text);
    const after_ = await getUser(bob);
    assert.equal(after_.meta.version, before_.meta.version);
    assert.deepEqual(after_.groups, before_.groups);
  });

  it('when memberships change through /Groups, then the users show it at once', async () => {
    const removed = await scim.patch(`/Groups/${eng}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${bob}"]` }],
    });
    assert.equal(removed.status, 200, removed.text);
    assert.equal((await getUser(bob)).groups, undefined);
    const renamed = await scim.patch(`/Groups/${ops}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Operations' }],
    });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual(
      (await getUser(ada)).groups!.map((g) => g.display),
      ['Engineering', 'Operations'],
    );
    assert.equal((await scim.delete(`/Groups/${ops}`)).status, 204);
    assert.deepEqual(
      (await getUser(ada)).groups!.map((g) => g.value),
      [eng],
    );
  });
});
