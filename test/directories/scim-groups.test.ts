import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import {
  createdId,
  CORE_GROUP,
  groupBody,
  PATCH_OP,
  scimDirectory,
  scimDomains,
  userBody,
  type ScimClient,
} from '../support/scim.js';

type Member = { value: string; $ref: string; type: string };
type ScimGroup = {
  id: string;
  displayName: string;
  externalId?: string;
  members?: Member[];
  meta: { version: string; location: string; resourceType: string };
};
type ScimList = { totalResults: number; startIndex: number; Resources: ScimGroup[] };

const assertScimError = (res: request.Response, status: number, scimType?: string) => {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
  assert.equal((res.body as { scimType?: string }).scimType, scimType);
};

const memberIds = (group: ScimGroup) => (group.members ?? []).map((m) => m.value).sort();

describe('SCIM 2.0 Groups endpoint', () => {
  let f: AdminFixture;
  let scim: ScimClient;
  let directoryId: string;
  let otherDirectory: ScimClient;
  let otherOrgDirectory: ScimClient;
  before(async () => {
    f = await startAdminFixture();
    await scimDomains(f);
    ({ scim, id: directoryId } = await scimDirectory(f, f.orgA));
    ({ scim: otherDirectory } = await scimDirectory(f, f.orgA, 'Okta'));
    ({ scim: otherOrgDirectory } = await scimDirectory(f, f.orgB));
  });
  after(async () => {
    await f.t.close();
  });

  const user = (client: ScimClient, userName: string) =>
    createdId(client, '/Users', userBody(userName));
  const create = async (body: unknown) => {
    const res = await scim.post('/Groups', body);
    assert.equal(res.status, 201, res.text);
    return res.body as ScimGroup;
  };
  const names = async (filter: string) => {
    const res = await scim.get(`/Groups?filter=${encodeURIComponent(filter)}`);
    assert.equal(res.status, 200, `${filter}: ${res.text}`);
    return (res.body as ScimList).Resources.map((g) => g.displayName).sort();
  };

  it('when a group is created with members, then it answers 201 with Location, ETag and member references, GET returns the same, and it is audited with the directory as actor', async () => {
    const ada = await user(scim, 'g-ada@a.example');
    const bob = await user(scim, 'g-bob@a.example');
    const res = await scim.post(
      '/Groups',
      groupBody('Engineering', [ada, bob], { externalId: 'eng' }),
    );
    assert.equal(res.status, 201, res.text);
    const group = res.body as ScimGroup;
    assert.equal(res.headers.location, group.meta.location);
    assert.match(group.meta.location, new RegExp(`/scim/v2/${directoryId}/Groups/${group.id}$`));
    assert.equal(res.headers.etag, 'W/"1"');
    assert.equal(group.meta.resourceType, 'Group');
    assert.equal(group.externalId, 'eng');
    assert.deepEqual(memberIds(group), [ada, bob].sort());
    const member = group.members!.find((m) => m.value === ada)!;
    assert.equal(member.type, 'User');
    assert.match(member.$ref, new RegExp(`/scim/v2/${directoryId}/Users/${ada}$`));
    const got = await scim.get(`/Groups/${group.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, group);
    const audit = await f.t.app.db.query<{
      actor_type: string;
      actor_id: string;
      data: { members_added: string[] };
    }>(
      `SELECT actor_type, actor_id, data FROM audit_events WHERE type = 'scim.group.created' AND target_id = $1`,
      [group.id],
    );
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0]!.actor_type, 'scim_directory');
    assert.equal(audit.rows[0]!.actor_id, directoryId);
    assert.deepEqual(audit.rows[0]!.data.members_added.sort(), [ada, bob].sort());
  });

  it("when a member is not a user of this directory (another directory of the org, another org's, unknown, not an id, a group), then it is 400 invalidValue and nothing is created", async () => {
    const mine = await user(scim, 'g-mine@a.example');
    const sibling = await user(otherDirectory, 'g-sibling@a.example');
    const foreign = await user(otherOrgDirectory, 'g-foreign@b.example');
    for (const members of [[mine, sibling], [foreign], [randomUUID()], ['not-an-id']]) {
      assertScimError(
        await scim.post('/Groups', groupBody('Refused', members)),
        400,
        'invalidValue',
      );
    }
    assertScimError(
      await scim.post('/Groups', {
        schemas: [CORE_GROUP],
        displayName: 'Refused',
        members: [{ value: mine, type: 'Group' }],
      }),
      400,
      'invalidValue',
    );
    assert.deepEqual(await names('displayName eq "Refused"'), []);
    const group = await create(groupBody('Mine', [mine]));
    const added = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: sibling }] }],
    });
    assertScimError(added, 400, 'invalidValue');
    assert.deepEqual(memberIds((await scim.get(`/Groups/${group.id}`)).body as ScimGroup), [mine]);
  });

  it("when another directory's token asks for the group, then it is not found, nor listed", async () => {
    const group = await create(groupBody('Hidden'));
    assert.equal((await otherDirectory.get(`/Groups/${group.id}`)).status, 404);
    assert.equal((await otherOrgDirectory.delete(`/Groups/${group.id}`)).status, 404);
    const listed = (await otherDirectory.get('/Groups')).body as ScimList;
    assert.ok(!listed.Resources.some((g) => g.id === group.id));
    assertScimError(await scim.get('/Groups/not-an-id'), 404);
  });

  it('when groups are listed with a filter, then displayName (case-insensitively), externalId, members[value eq …] and combinations match, and unknown attributes are 400 invalidFilter', async () => {
    const carol = await user(scim, 'g-carol@a.example');
    const dan = await user(scim, 'g-dan@a.example');
    await create(groupBody('Filter Sales', [carol], { externalId: 'f-sales' }));
    await create(groupBody('Filter Support', [carol, dan], { externalId: 'f-support' }));
    await create(groupBody('Filter Empty'));
    assert.deepEqual(await names('displayName eq "filter sales"'), ['Filter Sales']);
    assert.deepEqual(await names('externalId eq "f-support"'), ['Filter Support']);
    assert.deepEqual(await names(`members[value eq "${carol}"]`), [
      'Filter Sales',
      'Filter Support',
    ]);
    assert.deepEqual(await names(`members.value eq "${dan}"`), ['Filter Support']);
    assert.deepEqual(await names(`displayName sw "Filter" and not (members pr)`), ['Filter Empty']);
    assertScimError(await scim.get('/Groups?filter=userName%20eq%20%22x%22'), 400, 'invalidFilter');
  });

  it('when groups are paged and projected, then startIndex/count page them and attributes/excludedAttributes shape them', async () => {
    const erin = await user(scim, 'g-erin@a.example');
    for (const n of [1, 2, 3]) await create(groupBody(`Page ${n}`, [erin]));
    const page = await scim.get(
      `/Groups?filter=${encodeURIComponent('displayName sw "Page"')}&startIndex=2&count=1`,
    );
    const body = page.body as ScimList;
    assert.equal(body.totalResults, 3);
    assert.equal(body.startIndex, 2);
    assert.deepEqual(
      body.Resources.map((g) => g.displayName),
      ['Page 2'],
    );
    const slim = await scim.get(
      `/Groups?filter=${encodeURIComponent('displayName eq "Page 1"')}&excludedAttributes=members`,
    );
    const slimGroup = (slim.body as ScimList).Resources[0]!;
    assert.equal(slimGroup.members, undefined);
    assert.equal(slimGroup.displayName, 'Page 1');
    const only = await scim.get(
      `/Groups?filter=${encodeURIComponent('displayName eq "Page 1"')}&attributes=displayName`,
    );
    const onlyGroup = (only.body as ScimList).Resources[0]!;
    assert.equal(onlyGroup.members, undefined);
    assert.ok(onlyGroup.id);
  });

  it('when a group is replaced by PUT, then its name and members become the given ones; a stale If-Match is 412 and changes nothing', async () => {
    const fay = await user(scim, 'g-fay@a.example');
    const gus = await user(scim, 'g-gus@a.example');
    const group = await create(groupBody('Put Me', [fay]));
    const stale = await scim.put(`/Groups/${group.id}`, groupBody('Stale', [gus]), 'W/"7"');
    assert.equal(stale.status, 412, stale.text);
    const put = await scim.put(
      `/Groups/${group.id}`,
      { ...groupBody('Put Done', [gus]), id: group.id },
      'W/"1"',
    );
    assert.equal(put.status, 200, put.text);
    assert.equal(put.headers.etag, 'W/"2"');
    const updated = put.body as ScimGroup;
    assert.equal(updated.displayName, 'Put Done');
    assert.deepEqual(memberIds(updated), [gus]);
    const audit = await f.t.app.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM audit_events WHERE type = 'scim.group.updated' AND target_id = $1`,
      [group.id],
    );
    assert.deepEqual(
      audit.rows.map((r) => r.data.members_added),
      [[gus]],
    );
    assert.deepEqual(
      audit.rows.map((r) => r.data.members_removed),
      [[fay]],
    );
    assert.deepEqual(
      audit.rows.map((r) => r.data.previous_display_name),
      ['Put Me'],
    );
  });

  it("when Okta's group push PATCHes, then add members, remove members[value eq …] and replace displayName apply", async () => {
    // developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20 "Update a specific Group name / membership".
    const hal = await user(scim, 'g-hal@a.example');
    const ivy = await user(scim, 'g-ivy@a.example');
    const group = await create(groupBody('Okta Push', [hal]));
    const renamed = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: group.id, displayName: 'Okta Pushed' } }],
    });
    // Okta sends the id it already holds beside the new name: unchanged, so not refused.
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal((renamed.body as ScimGroup).displayName, 'Okta Pushed');
    const added = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: ivy, display: 'g-ivy@a.example' }] },
      ],
    });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(memberIds(added.body as ScimGroup), [hal, ivy].sort());
    const removed = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${hal}"]` }],
    });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(memberIds(removed.body as ScimGroup), [ivy]);
    assert.equal(removed.headers.etag, 'W/"4"');
  });

  it('when Entra ID PATCHes with capitalised ops, then Add and Remove of members (value arrays) and Replace displayName apply in one transaction', async () => {
    // learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups: "Update Group [Add Members]", "[Remove Members]".
    const jo = await user(scim, 'g-jo@a.example');
    const kim = await user(scim, 'g-kim@a.example');
    const group = await create(groupBody('Entra Group', [], { externalId: 'entra-1' }));
    const added = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: jo }, { value: kim }] }],
    });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(memberIds(added.body as ScimGroup), [jo, kim].sort());
    const removed = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: jo }] }],
    });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(memberIds(removed.body as ScimGroup), [kim]);
    const replaced = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Entra Renamed' }],
    });
    assert.equal((replaced.body as ScimGroup).displayName, 'Entra Renamed');
    // One bad operation: none of them applies.
    const partial = await scim.patch(`/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Never' },
        { op: 'Add', path: 'members', value: [{ value: randomUUID() }] },
      ],
    });
    assertScimError(partial, 400, 'invalidValue');
    const now = (await scim.get(`/Groups/${group.id}`)).body as ScimGroup;
    assert.equal(now.displayName, 'Entra Renamed');
    assert.deepEqual(memberIds(now), [kim]);
    assertScimError(
      await scim.patch(`/Groups/${group.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'id', value: randomUUID() }],
      }),
      400,
      'mutability',
    );
  });

  it('when a second group takes an externalId already used in the directory, then it is 409 uniqueness', async () => {
    await create(groupBody('Unique One', [], { externalId: 'dup-ext' }));
    assertScimError(
      await scim.post('/Groups', groupBody('Unique Two', [], { externalId: 'dup-ext' })),
      409,
      'uniqueness',
    );
    // The same externalId in another directory is another group.
    assert.equal(
      (await otherDirectory.post('/Groups', groupBody('Elsewhere', [], { externalId: 'dup-ext' })))
        .status,
      201,
    );
  });

  it('when a group is deleted, then it is gone (404) and audited; when a member user is deleted, then it leaves its groups', async () => {
    const lea = await user(scim, 'g-lea@a.example');
    const max = await user(scim, 'g-max@a.example');
    const group = await create(groupBody('Doomed', [lea, max]));
    const kept = await create(groupBody('Kept', [lea, max]));
    assert.equal((await scim.delete(`/Groups/${group.id}`, 'W/"9"')).status, 412);
    assert.equal((await scim.delete(`/Groups/${group.id}`)).status, 204);
    assertScimError(await scim.get(`/Groups/${group.id}`), 404);
    assertScimError(await scim.delete(`/Groups/${group.id}`), 404);
    const audit = await f.t.app.db.query<{ data: { members_removed: string[] } }>(
      `SELECT data FROM audit_events WHERE type = 'scim.group.deleted' AND target_id = $1`,
      [group.id],
    );
    assert.deepEqual(audit.rows[0]!.data.members_removed.sort(), [lea, max].sort());
    assert.equal((await scim.delete(`/Users/${lea}`)).status, 204);
    assert.deepEqual(memberIds((await scim.get(`/Groups/${kept.id}`)).body as ScimGroup), [max]);
  });
  it('when members are deleted while PATCHes add them, then each PATCH applies or is 400 invalidValue (never a 500), and no group keeps a deleted user', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => ({
        userId: await user(scim, `race-${i}@a.example`),
        group: await create(groupBody(`Race ${i}`, [])),
      })),
    );
    const answers = await Promise.all(
      pairs.map(async ({ userId, group }) => {
        const add = {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }],
        };
        const [patched, deleted] = await Promise.all([
          scim.patch(`/Groups/${group.id}`, add),
          scim.delete(`/Users/${userId}`),
        ]);
        assert.equal(deleted.status, 204, deleted.text);
        if (patched.status !== 200) assertScimError(patched, 400, 'invalidValue');
        return (await scim.get(`/Groups/${group.id}`)).body as ScimGroup;
      }),
    );
    for (const group of answers) assert.deepEqual(memberIds(group), []);
  });
});
