import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  directoryStore,
  roleMappingOf,
  type DirectoryStore,
} from '../../src/directories/directory-store.js';
import { scimGroupStore, type ScimGroup } from '../../src/directories/scim-group-store.js';
import { scimUserStore, type ScimUser } from '../../src/directories/scim-user-store.js';
import { userStore } from '../../src/orgs/user-store.js';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import {
  AT,
  insertConnection,
  insertDirectory as insertDirectoryRow,
  insertOrg,
  insertUser as insertUserRow,
  later,
} from '../support/sql-fixtures.js';

forEachSqlBackend('DirectoryStore, ScimUserStore and ScimGroupStore contract', (open) => {
  let db: Database;
  let store: DirectoryStore;
  let orgA: string;
  let orgB: string;

  before(async () => {
    db = open();
    store = directoryStore(db);
    orgA = (await insertOrg(db)).id;
    orgB = (await insertOrg(db)).id;
  });

  const insertDirectory = (orgId: string, name = 'Entra ID') =>
    insertDirectoryRow(db, orgId, { name });
  const insertToken = async (directoryId: string, expiresAt: Date | null = null) => {
    const token = { id: uuidv7(), directoryId, createdAt: AT, expiresAt, revokedAt: null };
    await store.insertToken(token, 'a'.repeat(64));
    return token;
  };
  const insertUser = async (orgId: string, email: string, directoryId: string | null = null) =>
    (await insertUserRow(db, orgId, { email, scimDirectoryId: directoryId })).id;
  const identityAt = (userId: string, connectionId: string, subject: string) =>
    userStore(db).insertIdentity(userId, { id: uuidv7(), connectionId, subject, createdAt: AT });
  const scimUser = (
    directoryId: string,
    id: string,
    userName: string,
    externalId: string | null,
  ): ScimUser => ({
    id,
    directoryId,
    userName,
    externalId,
    resource: { userName, ...(externalId ? { externalId } : {}) },
    createdAt: AT,
    updatedAt: AT,
    version: 1,
  });

  it("when a directory is read or listed with another org's id, then it is not found", async () => {
    const directory = await insertDirectory(orgA);
    assert.deepEqual(await store.get(orgA, directory.id), directory);
    assert.equal(await store.get(orgB, directory.id), null);
    assert.ok(
      (await store.list(orgA, { limit: 100, afterId: null })).some((d) => d.id === directory.id),
    );
    assert.ok(
      !(await store.list(orgB, { limit: 100, afterId: null })).some((d) => d.id === directory.id),
    );
  });

  it('when list pages, then it returns limit + 1 in id order after the cursor', async () => {
    const org = (await insertOrg(db)).id;
    const all = [
      await insertDirectory(org),
      await insertDirectory(org),
      await insertDirectory(org),
    ];
    const first = await store.list(org, { limit: 2, afterId: null });
    assert.deepEqual(
      first.map((d) => d.id),
      all.map((d) => d.id),
    );
    const rest = await store.list(org, { limit: 2, afterId: all[1]!.id });
    assert.deepEqual(
      rest.map((d) => d.id),
      [all[2]!.id],
    );
  });

  it('when a directory is disabled, then its status and version change', async () => {
    const directory = await insertDirectory(orgA);
    const after = await store.setStatus(orgA, directory.id, 'disabled', later(60));
    assert.equal(after.status, 'disabled');
    assert.equal(after.version, 2);
    assert.deepEqual(after.updatedAt, later(60));
  });

  it('when live tokens are ended for a rotation, then only live ones without an earlier end get it, and credential reads the state', async () => {
    const directory = await insertDirectory(orgA);
    const other = await insertDirectory(orgA);
    const live = await insertToken(directory.id);
    const ending = await insertToken(directory.id, later(30));
    const revoked = await insertToken(directory.id);
    await store.revokeToken(revoked.id, AT);
    const elsewhere = await insertToken(other.id);
    assert.equal(await store.endLiveTokensAt(directory.id, AT, later(3600)), 1);
    assert.deepEqual((await store.getToken(directory.id, live.id))!.expiresAt, later(3600));
    assert.deepEqual((await store.getToken(directory.id, ending.id))!.expiresAt, later(30));
    assert.equal((await store.getToken(other.id, elsewhere.id))!.expiresAt, null);
    assert.equal(await store.getToken(other.id, live.id), null);
    const credential = await store.credential(revoked.id);
    assert.equal(credential!.directoryId, directory.id);
    assert.equal(credential!.orgId, orgA);
    assert.deepEqual(credential!.revokedAt, AT);
    assert.equal(credential!.directoryStatus, 'active');
    assert.equal(credential!.orgStatus, 'active');
    assert.equal(await store.credential(uuidv7()), null);
    assert.deepEqual(
      (await store.listTokens(directory.id)).map((t) => t.id),
      [live.id, ending.id, revoked.id],
    );
  });

  it("when SCIM users are read, listed or checked for uniqueness, then another directory's are invisible", async () => {
    const directory = await insertDirectory(orgA);
    const other = await insertDirectory(orgA);
    const users = scimUserStore(db);
    const id = await insertUser(orgA, 'ada@a.example', directory.id);
    await users.insert(scimUser(directory.id, id, 'Ada@A.example', 'ext-1'));
    assert.equal((await users.get(directory.id, id))!.userName, 'Ada@A.example');
    assert.equal(await users.get(other.id, id), null);
    assert.deepEqual(
      (await users.list(directory.id, { userName: 'ada@a.example' })).map((u) => u.id),
      [id],
    );
    assert.deepEqual(
      (await users.list(directory.id, { externalId: 'ext-1' })).map((u) => u.id),
      [id],
    );
    assert.deepEqual(await users.list(other.id, {}), []);
    assert.equal(await users.taken(directory.id, 'ADA@a.example', null, null), true);
    assert.equal(await users.taken(directory.id, 'someone', 'ext-1', null), true);
    assert.equal(await users.taken(directory.id, 'ada@a.example', 'ext-1', id), false);
    assert.equal(await users.taken(other.id, 'ada@a.example', 'ext-1', null), false);
    const updated = await users.update(
      { ...scimUser(directory.id, id, 'ada2@a.example', null) },
      later(5),
    );
    assert.equal(updated.version, 2);
    assert.equal(updated.externalId, null);
    await users.delete(other.id, id);
    assert.ok(await users.get(directory.id, id));
    await users.delete(directory.id, id);
    assert.equal(await users.get(directory.id, id), null);
  });

  it("when a create is probed, then it says whether the userName or externalId is taken, and finds only the org's own users to link, with whether they are provisioned", async () => {
    const directory = await insertDirectory(orgA);
    const users = scimUserStore(db);
    const mine = await insertUser(orgA, 'Link@a.example');
    await insertUser(orgB, 'link@a.example');
    const probe = (email: string, userName = email, externalId: string | null = null) =>
      users.createProbe({ directoryId: directory.id, orgId: orgA, userName, externalId, email });
    assert.deepEqual(await probe('link@A.example'), {
      taken: false,
      bySubject: [],
      byEmail: [{ id: mine, scimDirectoryId: null, provisioned: false }],
    });
    const provisioned = await insertUser(orgA, 'prov@a.example', directory.id);
    await users.insert(scimUser(directory.id, provisioned, 'prov@a.example', 'ext-prov'));
    assert.deepEqual(await probe('prov@a.example', 'someone-else'), {
      taken: false,
      bySubject: [],
      byEmail: [{ id: provisioned, scimDirectoryId: directory.id, provisioned: true }],
    });
    assert.equal((await probe('x@a.example', 'PROV@a.example')).taken, true);
    assert.equal((await probe('x@a.example', 'new', 'ext-prov')).taken, true);
    const subject = `sub-${uuidv7()}`;
    const connection = await insertConnection(db, orgA);
    await identityAt(mine, connection.id, subject);
    assert.deepEqual((await probe('x@a.example', 'x', subject)).bySubject, [
      { id: mine, scimDirectoryId: null, provisioned: false },
    ]);
    const otherOrgs = await insertConnection(db, orgB);
    await identityAt(await insertUser(orgB, 'b@b.example'), otherOrgs.id, 'sub-b');
    assert.deepEqual((await probe('x@a.example', 'x', 'sub-b')).bySubject, []);
  });

  it("when a sign-in looks for a provisioned user to link, then it finds the org's own by externalId or email, never another org's, never one already linked at that connection", async () => {
    const directoryA = await insertDirectory(orgA);
    const directoryB = await insertDirectory(orgB);
    const connection = (await insertConnection(db, orgA)).id;
    const users = scimUserStore(db);
    const byExternal = await insertUser(orgA, 'sub@a.example', directoryA.id);
    await users.insert(scimUser(directoryA.id, byExternal, 'sub@a.example', 'subject-1'));
    const other = await insertUser(orgB, 'sub@b.example', directoryB.id);
    await users.insert(scimUser(directoryB.id, other, 'sub@b.example', 'subject-1'));
    await insertUser(orgA, 'jit@a.example');
    const find = (subject: string, email: string | null) =>
      userStore(db).findDirectoryManagedForLink(orgA, connection, subject, email);
    assert.deepEqual(
      (await find('subject-1', null)).map((u) => u.id),
      [byExternal],
    );
    assert.deepEqual(
      (await find('other', 'SUB@a.example')).map((u) => u.id),
      [byExternal],
    );
    assert.deepEqual(await find('other', null), []);
    // Just-in-time users are never matched by email.
    assert.deepEqual(await find('other', 'jit@a.example'), []);
    await userStore(db).insertIdentity(byExternal, {
      id: uuidv7(),
      connectionId: connection,
      subject: 'subject-1',
      createdAt: AT,
    });
    assert.deepEqual(await find('subject-1', null), []);
  });

  const scimGroup = (
    directoryId: string,
    displayName: string,
    members: string[],
    externalId: string | null = null,
  ): ScimGroup => ({
    id: uuidv7(),
    directoryId,
    displayName,
    externalId,
    resource: { displayName },
    members: [...members].sort(),
    createdAt: AT,
    updatedAt: AT,
    version: 1,
  });
  const provisioned = async (directoryId: string, email: string) => {
    const id = await insertUser(orgA, email, directoryId);
    await scimUserStore(db).insert(scimUser(directoryId, id, email, null));
    return id;
  };

  it("when SCIM groups are read, listed, updated and deleted, then another directory's are invisible and members follow", async () => {
    const directory = await insertDirectory(orgA);
    const other = await insertDirectory(orgA);
    const groups = scimGroupStore(db);
    const ada = await provisioned(directory.id, 'g-ada@a.example');
    const bob = await provisioned(directory.id, 'g-bob@a.example');
    const group = scimGroup(directory.id, 'Engineering', [ada], 'ext-eng');
    await groups.insert(group);
    assert.deepEqual(await groups.get(directory.id, group.id), group);
    assert.equal(await groups.get(other.id, group.id), null);
    assert.deepEqual(
      (await groups.list(directory.id, { displayName: 'ENGINEERING' })).map((g) => g.id),
      [group.id],
    );
    assert.deepEqual(
      (await groups.list(directory.id, { externalId: 'ext-eng' })).map((g) => g.members),
      [[ada]],
    );
    assert.deepEqual(await groups.list(other.id, {}), []);
    assert.equal(await groups.externalIdTaken(directory.id, 'ext-eng', null), true);
    assert.equal(await groups.externalIdTaken(directory.id, 'ext-eng', group.id), false);
    assert.equal(await groups.externalIdTaken(other.id, 'ext-eng', null), false);
    const updated = await groups.update(
      { ...group, displayName: 'Eng', members: [bob] },
      later(5),
      { added: [bob], removed: [ada] },
    );
    assert.equal(updated.version, 2);
    assert.deepEqual((await groups.get(directory.id, group.id))!.members, [bob]);
    assert.deepEqual(
      await groups.groupNamesOf(directory.id, [bob, ada]),
      new Map([
        [bob, ['Eng']],
        [ada, []],
      ]),
    );
    assert.deepEqual(await groups.groupNamesOf(other.id, [bob]), new Map([[bob, []]]));
    await groups.delete(other.id, group.id);
    assert.ok(await groups.get(directory.id, group.id));
    await groups.delete(directory.id, group.id);
    assert.equal(await groups.get(directory.id, group.id), null);
    assert.deepEqual(await groups.groupNamesOf(directory.id, [bob]), new Map([[bob, []]]));
  });

  it('when a membership names a user of another directory, then the database refuses it, and notUsersOf names it', async () => {
    const directory = await insertDirectory(orgA);
    const other = await insertDirectory(orgA);
    const groups = scimGroupStore(db);
    const mine = await provisioned(directory.id, 'g-mine@a.example');
    const theirs = await provisioned(other.id, 'g-theirs@a.example');
    assert.deepEqual(await groups.notUsersOf(directory.id, [mine, theirs]), [theirs]);
    await assert.rejects(
      groups.insert(scimGroup(directory.id, 'Across', [mine, theirs])),
      (error: { code?: string }) => error.code === '23503',
    );
  });

  it('when a member SCIM user is deleted, then its memberships go with it', async () => {
    const directory = await insertDirectory(orgA);
    const groups = scimGroupStore(db);
    const gone = await provisioned(directory.id, 'g-gone@a.example');
    const stays = await provisioned(directory.id, 'g-stays@a.example');
    const group = scimGroup(directory.id, 'Team', [gone, stays]);
    await groups.insert(group);
    await scimUserStore(db).delete(directory.id, gone);
    assert.deepEqual((await groups.get(directory.id, group.id))!.members, [stays]);
  });

  it('when a role mapping is set, then the directory carries it and roleMappingOf reads it (empty for an unknown directory)', async () => {
    const directory = await insertDirectory(orgA);
    assert.deepEqual(await roleMappingOf(db, directory.id), {});
    const after = await store.setRoleMapping(
      orgA,
      directory.id,
      { Editors: 'ads.editor' },
      later(9),
    );
    assert.deepEqual(after.roleMapping, { Editors: 'ads.editor' });
    assert.equal(after.version, 2);
    assert.deepEqual((await store.get(orgA, directory.id))!.roleMapping, { Editors: 'ads.editor' });
    await db.transaction(async (tx) => {
      assert.deepEqual(await roleMappingOf(tx, directory.id), { Editors: 'ads.editor' });
    });
    assert.deepEqual(await roleMappingOf(db, uuidv7()), {});
  });
});
