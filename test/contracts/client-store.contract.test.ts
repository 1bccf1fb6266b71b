import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { clientStore, type Client, type ClientStore } from '../../src/orgs/client-store.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { AT, later } from '../support/sql-fixtures.js';

/** Clients belong to the platform, not to an org: "another client" is the isolation here. */
const newClient = (id = `app-${uuidv7().slice(-12)}`): Omit<Client, 'secrets'> => ({
  id,
  name: 'Ads console',
  type: 'confidential',
  status: 'active',
  redirectUris: ['https://console.example.com/callback'],
  postLogoutRedirectUris: ['https://console.example.com/'],
  grantTypes: ['authorization_code', 'refresh_token'],
  backchannelLogoutUri: null,
  allowedScopes: ['openid', 'email'],
  allowedAudiences: ['https://api.example.com'],
  accessTokenTtlSeconds: 300,
  defaultAcrValues: ['urn:latchkey:loa:mfa'],
  createdAt: AT,
  updatedAt: AT,
  version: 1,
});

const secretInfo = (createdAt: Date, expiresAt: Date | null = null) => ({
  id: uuidv7(),
  createdAt,
  expiresAt,
});

forEachSqlBackend('ClientStore contract', (open) => {
  let db: Database;
  let store: ClientStore;

  before(() => {
    db = open();
    store = clientStore(db);
  });

  const inserted = async (id?: string) => {
    const client = newClient(id);
    await store.insert(client);
    return client;
  };

  it('when a client is inserted, then get returns it with no secrets; an id is taken once', async () => {
    const client = await inserted();
    assert.deepEqual(await store.get(client.id), { ...client, secrets: [] });
    await assert.rejects(store.insert(client));
    assert.equal(await store.get('no-such-client'), null);
  });

  it('when secrets are added, then get lists their metadata oldest first, never the verifiers', async () => {
    const client = await inserted();
    const newer = secretInfo(later(20));
    const older = secretInfo(later(10), later(3600));
    await store.insertSecret(client.id, newer, 'verifier-newer');
    await store.insertSecret(client.id, older, 'verifier-older');
    const read = await store.get(client.id);
    assert.deepEqual(read?.secrets, [older, newer]);
    assert.ok(!JSON.stringify(read).includes('verifier-'));
  });

  it('when lock is asked, then it is true for a client inside a transaction and false for an unknown id', async () => {
    const client = await inserted();
    const locked = await db.transaction(async (tx) => [
      await clientStore(tx).lock(client.id),
      await clientStore(tx).lock('no-such-client'),
    ]);
    assert.deepEqual(locked, [true, false]);
  });

  it('when list pages, then ids sort byte-wise after the cursor and limit + 1 come back', async () => {
    const tag = uuidv7().slice(-8);
    const ids = [`${tag}-a`, `${tag}-Z`, `${tag}_a`, `${tag}a`];
    for (const id of [...ids].reverse()) await inserted(id);
    const all = (await store.list({ limit: 1000, afterId: null })).map((c) => c.id);
    assert.deepEqual(
      all.filter((id) => id.startsWith(tag)),
      [`${tag}-Z`, `${tag}-a`, `${tag}_a`, `${tag}a`],
    );
    const page = await store.list({ limit: 1, afterId: `${tag}-a` });
    assert.deepEqual(
      page.map((c) => c.id),
      [`${tag}_a`, `${tag}a`],
    );
  });

  it('when update names the current version, then the changes apply and the version moves on', async () => {
    const client = await inserted();
    const result = await store.update(
      client.id,
      {
        name: 'Renamed',
        status: 'disabled',
        redirectUris: ['https://a.example.com/cb', 'https://b.example.com/cb'],
        grantTypes: ['client_credentials'],
        backchannelLogoutUri: 'https://console.example.com/bcl',
        accessTokenTtlSeconds: 60,
      },
      later(60),
      1,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      ...client,
      name: 'Renamed',
      status: 'disabled',
      redirectUris: ['https://a.example.com/cb', 'https://b.example.com/cb'],
      grantTypes: ['client_credentials'],
      backchannelLogoutUri: 'https://console.example.com/bcl',
      accessTokenTtlSeconds: 60,
      secrets: [],
      updatedAt: later(60),
      version: 2,
    });
    const unchecked = await store.update(client.id, { allowedScopes: [] }, later(61), null);
    assert.ok(unchecked.ok);
    assert.deepEqual(unchecked.value.allowedScopes, []);
    assert.equal(unchecked.value.version, 3);
  });

  it('when update names an old version or an unknown id, then it is stale or not found and nothing changes', async () => {
    const client = await inserted();
    const other = await inserted();
    assert.deepEqual(await store.update(client.id, { name: 'X' }, later(1), 5), {
      ok: false,
      reason: 'stale',
    });
    assert.deepEqual(await store.update('no-such-client', { name: 'X' }, later(1), null), {
      ok: false,
      reason: 'not_found',
    });
    assert.deepEqual(await store.get(client.id), { ...client, secrets: [] });
    assert.deepEqual(await store.get(other.id), { ...other, secrets: [] });
  });

  it('when touched, then only that client’s version and updatedAt move', async () => {
    const client = await inserted();
    const other = await inserted();
    await store.touch(client.id, later(90));
    const touched = await store.get(client.id);
    assert.equal(touched?.version, 2);
    assert.equal(touched.updatedAt.getTime(), later(90).getTime());
    assert.deepEqual(await store.get(other.id), { ...other, secrets: [] });
  });

  it('when delete names the current version or none, then the client and its secrets go; an old version deletes nothing', async () => {
    const client = await inserted();
    await store.insertSecret(client.id, secretInfo(AT), 'v');
    assert.equal(await store.delete(client.id, 2), false);
    assert.ok(await store.get(client.id));
    assert.equal(await store.delete(client.id, 1), true);
    assert.equal(await store.get(client.id), null);
    assert.deepEqual(await store.validVerifiers(client.id, AT), []);
    const other = await inserted();
    assert.equal(await store.delete(other.id), true);
    assert.equal(await store.delete(other.id, null), false);
  });

  it('when secrets are expired, then each valid one ends at most at the expiry given and an already earlier one keeps its own', async () => {
    const client = await inserted();
    const current = secretInfo(later(1));
    const soon = secretInfo(later(2), later(100));
    const late = secretInfo(later(3), later(10_000));
    const past = secretInfo(later(0), later(5));
    for (const s of [current, soon, late, past])
      await store.insertSecret(client.id, s, `v-${s.id}`);
    await store.expireSecrets(client.id, later(1000), later(10));
    const expiries = new Map(
      (await store.get(client.id))?.secrets.map((s) => [s.id, s.expiresAt?.getTime()]),
    );
    assert.equal(expiries.get(current.id), later(1000).getTime());
    assert.equal(expiries.get(soon.id), later(100).getTime());
    assert.equal(expiries.get(late.id), later(1000).getTime());
    assert.equal(expiries.get(past.id), later(5).getTime());
  });

  it('when validVerifiers is asked, then it returns the secrets valid at that time, newest first', async () => {
    const client = await inserted();
    const older = secretInfo(later(1), later(100));
    const newer = secretInfo(later(2));
    const expired = secretInfo(later(0), later(10));
    await store.insertSecret(client.id, older, 'v-older');
    await store.insertSecret(client.id, newer, 'v-newer');
    await store.insertSecret(client.id, expired, 'v-expired');
    assert.deepEqual(await store.validVerifiers(client.id, later(10)), [
      { id: newer.id, verifier: 'v-newer', expiresAt: null },
      { id: older.id, verifier: 'v-older', expiresAt: later(100) },
    ]);
    assert.deepEqual(
      (await store.validVerifiers(client.id, later(100))).map((v) => v.id),
      [newer.id],
    );
  });

  it('when expired secrets are deleted, then exactly those past their expiry go', async () => {
    const client = await inserted();
    const gone = secretInfo(later(0), later(10));
    const edge = secretInfo(later(1), later(20));
    const kept = secretInfo(later(2), later(30));
    const current = secretInfo(later(3));
    for (const s of [gone, edge, kept, current]) await store.insertSecret(client.id, s, 'v');
    assert.equal(await store.deleteExpiredSecrets(client.id, later(20)), 2);
    assert.deepEqual(
      (await store.get(client.id))?.secrets.map((s) => s.id),
      [kept.id, current.id],
    );
    assert.equal(await store.deleteExpiredSecrets(client.id, later(20)), 0);
  });

  it('when hasActiveRedirectUri is asked, then only an exact URI of an active client answers', async () => {
    const uri = `https://${uuidv7().slice(-12)}.example.com/cb`;
    const client = { ...newClient(), redirectUris: ['https://x.example.com/cb', uri] };
    await store.insert(client);
    assert.equal(await store.hasActiveRedirectUri(uri), true);
    assert.equal(await store.hasActiveRedirectUri(`${uri}/`), false);
    assert.equal(await store.hasActiveRedirectUri(uri.toUpperCase()), false);
    await store.update(client.id, { status: 'disabled' }, later(1), null);
    assert.equal(await store.hasActiveRedirectUri(uri), false);
  });

  it('when another client’s secrets are expired, deleted or read, then this client’s are untouched and unseen', async () => {
    const mine = await inserted();
    const theirs = await inserted();
    const secret = secretInfo(later(1), later(50));
    await store.insertSecret(mine.id, secret, 'v-mine');
    await store.expireSecrets(theirs.id, later(2), later(1));
    assert.equal(await store.deleteExpiredSecrets(theirs.id, later(1000)), 0);
    assert.deepEqual(await store.validVerifiers(theirs.id, later(1)), []);
    assert.deepEqual(await store.validVerifiers(mine.id, later(1)), [
      { id: secret.id, verifier: 'v-mine', expiresAt: later(50) },
    ]);
  });
});
