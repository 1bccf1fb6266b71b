import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { apiKeyStore, type ApiKey, type ApiKeyStore } from '../../src/orgs/api-key-store.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { AT, insertOrg, later } from '../support/sql-fixtures.js';

forEachSqlBackend('ApiKeyStore contract', (open) => {
  let db: Database;
  let store: ApiKeyStore;
  let orgA: string;
  let orgB: string;

  before(async () => {
    db = open();
    store = apiKeyStore(db);
    orgA = (await insertOrg(db)).id;
    orgB = (await insertOrg(db)).id;
  });

  const insertKey = (orgId: string | null, name = 'deploy') =>
    store.insert(
      {
        id: uuidv7(),
        orgId,
        scope: orgId ? 'org:admin' : 'platform:admin',
        name,
        createdBy: null,
        createdAt: AT,
      },
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    );

  it('when a key is inserted, then it is unrevoked and get returns it as inserted', async () => {
    const key = await insertKey(orgA, 'ci');
    const expected: ApiKey = {
      id: key.id,
      orgId: orgA,
      scope: 'org:admin',
      name: 'ci',
      createdBy: null,
      createdAt: AT,
      revokedAt: null,
    };
    assert.deepEqual(key, expected);
    assert.deepEqual(await store.get(key.id), expected);
    assert.equal(await store.get(uuidv7()), null);
  });

  it("when list pages through an org's keys, then it returns limit + 1 in id order after the cursor, and no other org's nor the platform's", async () => {
    const org = (await insertOrg(db)).id;
    const keys = [await insertKey(org), await insertKey(org), await insertKey(org)];
    await insertKey(orgB);
    await insertKey(null);
    const first = await store.list(org, { limit: 2, afterId: null });
    assert.deepEqual(
      first.map((k) => k.id),
      keys.map((k) => k.id),
    );
    const rest = await store.list(org, { limit: 2, afterId: keys[1]!.id });
    assert.deepEqual(
      rest.map((k) => k.id),
      [keys[2]!.id],
    );
  });

  it('when list asks for the platform (null), then it returns only keys of no org', async () => {
    const platformKey = await insertKey(null);
    await insertKey(orgA);
    const listed = await store.list(null, { limit: 1000, afterId: null });
    assert.ok(listed.some((k) => k.id === platformKey.id));
    assert.ok(listed.every((k) => k.orgId === null && k.scope === 'platform:admin'));
  });

  it('when a key is revoked, then get shows when, and the other keys are untouched', async () => {
    const key = await insertKey(orgA);
    const other = await insertKey(orgB);
    await store.revoke(key.id, later(60));
    assert.deepEqual((await store.get(key.id))?.revokedAt, later(60));
    assert.equal((await store.get(other.id))?.revokedAt, null);
  });
});
