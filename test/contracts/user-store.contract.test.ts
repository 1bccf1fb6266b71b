import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { userStore, type User, type UserStore } from '../../src/orgs/user-store.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import {
  AT,
  insertConnection,
  insertOrg,
  later,
  newUser as newUserRow,
} from '../support/sql-fixtures.js';

const newUser = (orgId: string, email = `u-${uuidv7().slice(-8)}@example.com`): User =>
  newUserRow(orgId, { email, name: 'Ada', roles: ['member'] });

forEachSqlBackend('UserStore contract', (open) => {
  let db: Database;
  let store: UserStore;
  let orgA: string;
  let orgB: string;
  let connectionId: string;

  before(async () => {
    db = open();
    store = userStore(db);
    orgA = (await insertOrg(db)).id;
    orgB = (await insertOrg(db)).id;
    connectionId = (await insertConnection(db, orgA)).id;
  });

  const inserted = async (orgId = orgA, email?: string) => {
    const user = newUser(orgId, email);
    await store.insert(user);
    return user;
  };
  const identity = (subject = `sub-${uuidv7()}`, at = AT) => ({
    id: uuidv7(),
    connectionId,
    subject,
    createdAt: at,
  });

  it('when a user is inserted, then get and getById return it with no identities', async () => {
    const user = await inserted();
    assert.deepEqual(await store.get(orgA, user.id), user);
    assert.deepEqual(await store.get(orgA, user.id, { forUpdate: true }), user);
    assert.deepEqual(await store.getById(user.id), user);
    await assert.rejects(store.insert(user));
    assert.equal(await store.get(orgA, uuidv7()), null);
    assert.equal(await store.getById(uuidv7()), null);
  });

  it('when get is asked through another org, then the user is not found', async () => {
    const user = await inserted(orgA);
    assert.equal(await store.get(orgB, user.id), null);
    assert.equal(await store.get(orgB, user.id, { forUpdate: true }), null);
    assert.deepEqual(await store.getById(user.id), user);
  });

  it('when identities are added, then the user reads with them oldest first; a taken (connection, subject) is refused', async () => {
    const user = await inserted();
    const second = identity('sub-second', later(2));
    const first = identity('sub-first', later(1));
    assert.equal(await store.insertIdentity(user.id, second), true);
    assert.equal(await store.insertIdentity(user.id, first), true);
    assert.deepEqual((await store.get(orgA, user.id))?.identities, [first, second]);
    const someoneElse = await inserted();
    assert.equal(await store.insertIdentity(someoneElse.id, identity('sub-first')), false);
    assert.deepEqual((await store.get(orgA, someoneElse.id))?.identities, []);
  });

  it('when findByIdentityForUpdate is asked, then it returns the identity’s user, or null', async () => {
    const user = await inserted();
    const id = identity();
    await store.insertIdentity(user.id, id);
    const found = await db.transaction((tx) =>
      userStore(tx).findByIdentityForUpdate(connectionId, id.subject),
    );
    assert.deepEqual(found, { ...user, identities: [id] });
    assert.equal(await store.findByIdentityForUpdate(connectionId, 'sub-nobody'), null);
    assert.equal(await store.findByIdentityForUpdate(uuidv7(), id.subject), null);
  });

  it('when list pages through an org, then it returns limit + 1 users in id order after the cursor, with identities, and no other org’s', async () => {
    const org = (await insertOrg(db)).id;
    const mine = [await inserted(org), await inserted(org), await inserted(org)];
    await inserted(orgB);
    const id = identity();
    await store.insertIdentity(mine[1]!.id, id);
    const ids = mine.map((u) => u.id).sort();
    const first = await store.list(org, { limit: 1, afterId: null });
    assert.deepEqual(
      first.map((u) => u.id),
      ids.slice(0, 2),
    );
    const rest = await store.list(org, { limit: 5, afterId: ids[0]! });
    assert.deepEqual(
      rest.map((u) => u.id),
      ids.slice(1),
    );
    assert.deepEqual(rest.find((u) => u.id === mine[1]!.id)?.identities, [id]);
    assert.deepEqual(await store.list(uuidv7(), { limit: 5, afterId: null }), []);
  });

  it('when list filters by email prefix, then it matches case-insensitively and takes % _ and \\ literally', async () => {
    const org = (await insertOrg(db)).id;
    const upper = await inserted(org, 'Grace.Hopper@Example.com');
    const underscore = await inserted(org, 'gr_ce@example.com');
    const percent = await inserted(org, 'g%x@example.com');
    const backslash = await inserted(org, 'g\\y@example.com');
    await inserted(orgB, 'grace@example.com');
    const emails = async (prefix: string) =>
      (await store.list(org, { limit: 10, afterId: null }, prefix)).map((u) => u.email).sort();
    assert.deepEqual(await emails('grace.'), [upper.email]);
    assert.deepEqual(await emails('GR_'), [underscore.email]);
    assert.deepEqual(await emails('g%'), [percent.email]);
    assert.deepEqual(await emails('g\\'), [backslash.email]);
    assert.deepEqual(await emails('gr'), [upper.email, underscore.email].sort());
    assert.deepEqual(await emails('zzz'), []);
  });

  it('when update names the current version, then the changes apply and the version moves on', async () => {
    const user = await inserted();
    const id = identity();
    await store.insertIdentity(user.id, id);
    const result = await store.update(
      orgA,
      user.id,
      { email: 'new@example.com', emailVerified: true, name: null, roles: ['admin', 'member'] },
      later(60),
      1,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      ...user,
      email: 'new@example.com',
      emailVerified: true,
      name: null,
      roles: ['admin', 'member'],
      identities: [id],
      updatedAt: later(60),
      version: 2,
    });
    const unchecked = await store.update(orgA, user.id, { status: 'deactivated' }, later(61), null);
    assert.ok(unchecked.ok);
    assert.equal(unchecked.value.status, 'deactivated');
    assert.equal(unchecked.value.version, 3);
  });

  it('when update does not bump the version, then a login is recorded and the ETag’s version and updatedAt stay', async () => {
    const user = await inserted();
    const result = await store.update(orgA, user.id, { lastLoginAt: later(5) }, later(5), 1, false);
    assert.ok(result.ok);
    assert.equal(result.value.lastLoginAt?.getTime(), later(5).getTime());
    assert.equal(result.value.version, 1);
    assert.equal(result.value.updatedAt.getTime(), AT.getTime());
    const nothing = await store.update(orgA, user.id, {}, later(6), 1, false);
    assert.ok(nothing.ok);
    assert.equal(nothing.value.version, 1);
  });

  it('when update names an old version or an unknown id, then it is stale or not found and nothing changes', async () => {
    const user = await inserted();
    assert.deepEqual(await store.update(orgA, user.id, { name: 'X' }, later(1), 4), {
      ok: false,
      reason: 'stale',
    });
    assert.deepEqual(await store.update(orgA, uuidv7(), { name: 'X' }, later(1), null), {
      ok: false,
      reason: 'not_found',
    });
    assert.deepEqual(await store.get(orgA, user.id), user);
  });

  it('when update is asked through another org, then it is not found and nothing changes', async () => {
    const user = await inserted(orgA);
    assert.deepEqual(await store.update(orgB, user.id, { roles: ['admin'] }, later(1), 1), {
      ok: false,
      reason: 'not_found',
    });
    assert.deepEqual(await store.update(orgB, user.id, { roles: ['admin'] }, later(1), null), {
      ok: false,
      reason: 'not_found',
    });
    assert.deepEqual(await store.get(orgA, user.id), user);
  });

  it('when setRoles is given several users, then each gets its own roles and version in one write, and another org’s user is skipped', async () => {
    const [a, b, other] = [await inserted(), await inserted(), await inserted(orgB)];
    const changed = await store.setRoles(
      orgA,
      new Map([
        [b.id, ['admin', 'viewer']],
        [a.id, []],
        [other.id, ['admin']],
      ]),
      later(5),
    );
    const [first, second] = [a, b].sort((x, y) => (x.id < y.id ? -1 : 1));
    assert.deepEqual(
      changed.map((u) => u.id),
      [first!.id, second!.id],
    );
    assert.deepEqual((await store.get(orgA, a.id))?.roles, []);
    assert.deepEqual((await store.get(orgA, b.id))?.roles, ['admin', 'viewer']);
    assert.equal((await store.get(orgA, b.id))?.version, 2);
    assert.deepEqual((await store.get(orgA, b.id))?.updatedAt, later(5));
    assert.deepEqual((await store.get(orgB, other.id))?.roles, ['member']);
    assert.deepEqual(await store.setRoles(orgA, new Map(), later(5)), []);
  });

  it('when getManyForUpdate is asked, then it returns the org’s users of those ids in id order', async () => {
    const [a, b, other] = [await inserted(), await inserted(), await inserted(orgB)];
    const found = await store.getManyForUpdate(orgA, [b.id, other.id, a.id, uuidv7()]);
    assert.deepEqual(
      found.map((u) => u.id),
      [a.id, b.id].sort(),
    );
    assert.deepEqual(await store.getManyForUpdate(orgA, []), []);
  });

  it('when a user is deleted, then it and its identities are gone', async () => {
    const user = await inserted();
    const id = identity();
    await store.insertIdentity(user.id, id);
    assert.equal(await store.delete(orgA, user.id), true);
    assert.equal(await store.getById(user.id), null);
    assert.equal(await store.findByIdentityForUpdate(connectionId, id.subject), null);
    assert.equal(await store.delete(orgA, user.id), false);
    // The identity is free again.
    const next = await inserted();
    assert.equal(await store.insertIdentity(next.id, { ...id, id: uuidv7() }), true);
  });

  it('when delete is asked through another org, then nothing is deleted', async () => {
    const user = await inserted(orgA);
    assert.equal(await store.delete(orgB, user.id), false);
    assert.deepEqual(await store.get(orgA, user.id), user);
  });
});
