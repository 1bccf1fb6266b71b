import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { connectionStore, type ConnectionStore } from '../../src/connections/connection-store.js';
import { NAME_ID_FORMATS, type SamlConnection } from '../../src/connections/connection.js';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { userStore } from '../../src/orgs/user-store.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { AT, insertOrg, insertUser, later, newOidcConnection } from '../support/sql-fixtures.js';

const newSamlConnection = (orgId: string): SamlConnection => ({
  id: uuidv7(),
  orgId,
  type: 'saml',
  name: 'ADFS',
  status: 'active',
  clientSecretSet: false,
  settings: {
    idpEntityId: 'https://adfs.example.com',
    idpSsoUrl: 'https://adfs.example.com/sso',
    idpSloUrl: null,
    idpCertificates: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
    idpMetadataUrl: null,
    attributeMapping: { email: 'mail', name: 'cn', groups: 'groups' },
    nameIdFormat: NAME_ID_FORMATS.persistent,
    identityAttribute: null,
    signRequests: false,
    allowIdpInitiated: false,
    wantAssertionsSigned: false,
    roleMapping: {},
    allowAnyEmailDomain: true,
  },
  createdAt: AT,
  updatedAt: AT,
  version: 1,
});

forEachSqlBackend('ConnectionStore contract', (open) => {
  let db: Database;
  let store: ConnectionStore;
  let orgA: string;
  let orgB: string;

  before(async () => {
    db = open();
    store = connectionStore(db);
    orgA = (await insertOrg(db)).id;
    orgB = (await insertOrg(db)).id;
  });

  const inserted = async (orgId = orgA, secret: string | null = 'sealed') => {
    const connection = newOidcConnection(orgId);
    await store.insert(connection, secret);
    return connection;
  };

  it('when a connection is inserted, then get returns it with its settings and sealed secret', async () => {
    const connection = await inserted();
    const stored = await store.get(orgA, connection.id);
    assert.deepEqual(stored, { connection, secretCiphertext: 'sealed' });
    const unsealed = await inserted(orgA, null);
    const read = await store.get(orgA, unsealed.id);
    assert.equal(read?.secretCiphertext, null);
    assert.equal(read?.connection.clientSecretSet, false);
  });

  it('when an id is inserted twice, then the second insert fails', async () => {
    const connection = await inserted();
    await assert.rejects(store.insert(connection, null));
  });

  it('when a SAML row lacks wantAssertionsSigned, then it reads as true', async () => {
    const saml = newSamlConnection(orgA);
    await store.insert(saml, null);
    assert.deepEqual((await store.get(orgA, saml.id))?.connection, saml);
    await db.query(
      `UPDATE connections SET settings = settings - 'wantAssertionsSigned' WHERE id = $1`,
      [saml.id],
    );
    const read = (await store.get(orgA, saml.id))?.connection;
    assert.equal(read?.type, 'saml');
    assert.equal(read.type === 'saml' && read.settings.wantAssertionsSigned, true);
  });

  it('when the id is unknown, then get and getById return null', async () => {
    assert.equal(await store.get(orgA, uuidv7()), null);
    assert.equal(await store.getById(uuidv7()), null);
  });

  it('when get is asked through another org, then the connection is not found', async () => {
    const connection = await inserted(orgA);
    assert.equal(await store.get(orgB, connection.id), null);
  });

  it('when getById is asked, then it finds the connection whatever its org', async () => {
    const connection = await inserted(orgB);
    assert.deepEqual((await store.getById(connection.id))?.connection, connection);
  });

  it('when list pages through an org, then it returns limit + 1 rows in id order after the cursor, and no other org’s', async () => {
    const org = (await insertOrg(db)).id;
    const other = (await insertOrg(db)).id;
    const mine = [await inserted(org), await inserted(org), await inserted(org)];
    await inserted(other);
    const ids = mine.map((c) => c.id).sort();
    const first = await store.list(org, { limit: 2, afterId: null });
    assert.deepEqual(
      first.map((c) => c.id),
      ids,
    );
    const rest = await store.list(org, { limit: 2, afterId: ids[1]! });
    assert.deepEqual(
      rest.map((c) => c.id),
      [ids[2]],
    );
    assert.deepEqual(await store.list(uuidv7(), { limit: 10, afterId: null }), []);
  });

  it('when listByStatus is asked, then it returns that org’s connections in that status only', async () => {
    const org = (await insertOrg(db)).id;
    const other = (await insertOrg(db)).id;
    const draft = await inserted(org);
    const active = newSamlConnection(org);
    await store.insert(active, null);
    await store.insert(newSamlConnection(other), null);
    assert.deepEqual(
      (await store.listByStatus(org, 'active')).map((c) => c.id),
      [active.id],
    );
    assert.deepEqual(
      (await store.listByStatus(org, 'draft')).map((c) => c.id),
      [draft.id],
    );
    assert.deepEqual(await store.listByStatus(org, 'disabled'), []);
  });

  it('when listAllSaml is asked, then it returns every org’s SAML connections and no OIDC one', async () => {
    const a = newSamlConnection(orgA);
    const b = newSamlConnection(orgB);
    await store.insert(a, null);
    await store.insert(b, null);
    const oidc = await inserted();
    const all = (await store.listAllSaml()).map((c) => c.id);
    assert.ok(all.includes(a.id) && all.includes(b.id));
    assert.ok(!all.includes(oidc.id));
    assert.deepEqual(all, [...all].sort());
  });

  it('when update names the current version, then the changes apply and the version moves on', async () => {
    const connection = await inserted();
    const result = await store.update(
      orgA,
      connection.id,
      { name: 'Renamed', status: 'active', secretCiphertext: 'resealed' },
      later(60),
      1,
    );
    assert.ok(result.ok);
    assert.equal(result.value.connection.name, 'Renamed');
    assert.equal(result.value.connection.status, 'active');
    assert.equal(result.value.secretCiphertext, 'resealed');
    assert.deepEqual(result.value.connection.settings, connection.settings);
    assert.equal(result.value.connection.version, 2);
    assert.equal(result.value.connection.updatedAt.getTime(), later(60).getTime());
    assert.equal(result.value.connection.createdAt.getTime(), AT.getTime());
    const settings = { ...connection.settings, scopes: ['openid'] };
    const again = await store.update(orgA, connection.id, { settings }, later(61), 2);
    assert.ok(again.ok);
    assert.deepEqual(again.value.connection.settings, settings);
    assert.equal(again.value.connection.name, 'Renamed');
  });

  it('when update names an old version, then it is stale and nothing changes', async () => {
    const connection = await inserted();
    assert.deepEqual(await store.update(orgA, connection.id, { name: 'X' }, later(1), 7), {
      ok: false,
      reason: 'stale',
    });
    assert.equal((await store.get(orgA, connection.id))?.connection.name, connection.name);
  });

  it('when update is asked through another org, then it is not found and nothing changes', async () => {
    const connection = await inserted(orgA);
    assert.deepEqual(await store.update(orgB, connection.id, { name: 'Hijacked' }, later(1), 1), {
      ok: false,
      reason: 'not_found',
    });
    assert.deepEqual((await store.get(orgA, connection.id))?.connection, connection);
  });

  it('when a user identity points at a connection, then it is in use', async () => {
    const connection = await inserted();
    assert.equal(await store.inUse(connection.id), false);
    const { id: userId } = await insertUser(db, orgA, {
      email: 'a@example.com',
      emailVerified: true,
    });
    await userStore(db).insertIdentity(userId, {
      id: uuidv7(),
      connectionId: connection.id,
      subject: 'sub-1',
      createdAt: AT,
    });
    assert.equal(await store.inUse(connection.id), true);
  });

  it('when delete names the current version or none, then the row goes; an old version deletes nothing', async () => {
    const first = await inserted();
    assert.equal(await store.delete(orgA, first.id, 2), false);
    assert.ok(await store.get(orgA, first.id));
    assert.equal(await store.delete(orgA, first.id, 1), true);
    assert.equal(await store.get(orgA, first.id), null);
    assert.equal(await store.delete(orgA, first.id, null), false);
    const second = await inserted();
    assert.equal(await store.delete(orgA, second.id, null), true);
    assert.equal(await store.getById(second.id), null);
  });

  it('when delete is asked through another org, then nothing is deleted', async () => {
    const connection = await inserted(orgA);
    assert.equal(await store.delete(orgB, connection.id, null), false);
    assert.equal(await store.delete(orgB, connection.id, 1), false);
    assert.ok(await store.get(orgA, connection.id));
  });

  it('when a transaction rolls back, then the insert made in it is gone', async () => {
    const connection = newOidcConnection(orgA);
    await assert.rejects(
      db.transaction(async (tx) => {
        await connectionStore(tx).insert(connection, null);
        assert.ok(await connectionStore(tx).get(orgA, connection.id));
        throw new Error('roll back');
      }),
    );
    assert.equal(await store.get(orgA, connection.id), null);
  });
});
