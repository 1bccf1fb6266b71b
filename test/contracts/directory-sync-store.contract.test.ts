import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  directorySyncStore,
  KEPT_ERRORS,
  type DirectorySyncStore,
} from '../../src/directories/directory-sync-store.js';
import { scimGroupStore } from '../../src/directories/scim-group-store.js';
import { scimUserStore } from '../../src/directories/scim-user-store.js';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import {
  AT,
  insertDirectory as insertDirectoryRow,
  insertOrg,
  insertUser as insertUserRow,
  later,
} from '../support/sql-fixtures.js';

forEachSqlBackend('DirectorySyncStore contract', (open) => {
  let db: Database;
  let store: DirectorySyncStore;
  let orgId: string;

  before(async () => {
    db = open();
    store = directorySyncStore(db);
    orgId = (await insertOrg(db)).id;
  });

  const insertDirectory = async (roleMapping: Record<string, string> = {}) =>
    (await insertDirectoryRow(db, orgId, { roleMapping })).id;
  const insertScimUser = async (directoryId: string, email: string, status = 'active') => {
    const id = uuidv7();
    await insertUserRow(db, orgId, {
      id,
      email,
      emailVerified: true,
      roles: ['r'],
      status: status as 'active',
      scimDirectoryId: directoryId,
    });
    await scimUserStore(db).insert({
      id,
      directoryId,
      userName: email,
      externalId: `ext-${email}`,
      resource: { userName: email },
      createdAt: AT,
      updatedAt: AT,
      version: 1,
    });
    return id;
  };
  const insertGroup = async (directoryId: string, displayName: string, members: string[]) => {
    const id = uuidv7();
    await scimGroupStore(db).insert({
      id,
      directoryId,
      displayName,
      externalId: null,
      resource: { displayName },
      members,
      createdAt: AT,
      updatedAt: AT,
      version: 1,
    });
    return id;
  };
  const error = (at: Date) => ({
    id: uuidv7(at.getTime()),
    occurredAt: at,
    method: 'PATCH',
    path: '/Users/{id}',
    status: 400,
    scimType: 'invalidValue',
    detail: 'No user',
  });

  it('when activity is written out of order, then the times only move forward and dropped errors add up', async () => {
    const directoryId = await insertDirectory();
    assert.equal(await store.activity(directoryId), null);
    const write = {
      directoryId,
      lastRequestAt: later(10),
      lastWriteAt: later(5),
      errorsDropped: 2,
    };
    await store.writeActivity(write);
    await store.writeActivity({ ...write, lastRequestAt: later(3), lastWriteAt: null });
    await store.writeActivity({ ...write, lastRequestAt: later(20), lastWriteAt: null });
    assert.deepEqual(await store.activity(directoryId), {
      lastRequestAt: later(20),
      lastWriteAt: later(5),
      errorsDropped: 6,
    });
  });

  it("when more errors than are kept arrive, then only the newest stay, and another directory's are not seen", async () => {
    const directoryId = await insertDirectory();
    const other = await insertDirectory();
    await store.insertError(other, error(AT));
    for (let i = 0; i < KEPT_ERRORS + 5; i += 1)
      await store.insertError(directoryId, error(later(i)));
    const kept = await store.errors(directoryId);
    assert.equal(kept.length, KEPT_ERRORS);
    assert.deepEqual(kept[0]!.occurredAt, later(KEPT_ERRORS + 4));
    assert.deepEqual(kept.at(-1)!.occurredAt, later(5));
    assert.equal((await store.errors(other)).length, 1);
  });

  it('when users and groups are counted and listed, then each is scoped to its directory and paged by id', async () => {
    const directoryId = await insertDirectory();
    const other = await insertDirectory();
    const ada = await insertScimUser(directoryId, `ada-${directoryId}@a.example`);
    const bob = await insertScimUser(directoryId, `bob-${directoryId}@a.example`, 'deactivated');
    const eve = await insertScimUser(other, `eve-${other}@a.example`);
    const group = await insertGroup(directoryId, 'Engineers', [ada, bob]);
    await insertGroup(directoryId, 'Empty', []);
    await insertGroup(other, 'Elsewhere', [eve]);

    assert.deepEqual(await store.counts(directoryId), {
      users: 2,
      activeUsers: 1,
      groups: 2,
      memberships: 2,
    });
    const first = await store.users(directoryId, { limit: 1, afterId: null });
    assert.deepEqual(
      first.map((u) => [u.id, u.active]),
      [
        [ada, true],
        [bob, false],
      ],
    );
    const rest = await store.users(directoryId, { limit: 1, afterId: ada });
    assert.deepEqual(
      rest.map((u) => u.id),
      [bob],
    );
    const groups = await store.groups(directoryId, { limit: 10, afterId: null });
    assert.deepEqual(
      groups.map((g) => [g.displayName, g.memberCount]),
      [
        ['Engineers', 2],
        ['Empty', 0],
      ],
    );
    assert.equal(await store.group(other, group), null);
    assert.deepEqual(
      (await store.members(directoryId, group, { limit: 10, afterId: null })).map((u) => u.id),
      [ada, bob],
    );
    assert.deepEqual(await store.members(other, group, { limit: 10, afterId: null }), []);
  });
});
