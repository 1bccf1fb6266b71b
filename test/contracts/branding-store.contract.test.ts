import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Database } from '../../src/platform/db/index.js';
import { sha256Hex } from '../../src/platform/crypto/index.js';
import { brandingStore, type BrandingStore } from '../../src/orgs/branding-store.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { insertOrg } from '../support/sql-fixtures.js';
import { tinyPng } from '../support/images.js';

forEachSqlBackend('BrandingStore contract', (open) => {
  let db: Database;
  let store: BrandingStore;
  const png = tinyPng(3, 2);
  const meta = {
    contentType: 'image/png' as const,
    digest: sha256Hex(png),
    bytes: png.length,
    width: 3,
    height: 2,
  };
  const at = new Date('2026-12-07T12:00:00.000Z');

  before(() => {
    db = open();
    store = brandingStore(db);
  });

  it('when an org has no branding, then it reads as version 0 with every field null', async () => {
    const org = await insertOrg(db);
    assert.deepEqual(await store.get(org.id), {
      orgId: org.id,
      displayName: null,
      primaryColor: null,
      logo: null,
      updatedAt: null,
      version: 0,
    });
  });

  it('when branding is written at its version, then it is saved and its version moves on; the logo bytes come back exactly', async () => {
    const org = await insertOrg(db);
    const first = await store.write(
      org.id,
      { displayName: 'Acme', primaryColor: '#0b5fff', logo: { meta, bytes: png } },
      at,
      0,
    );
    assert.ok(first.ok);
    assert.deepEqual(first.value, {
      orgId: org.id,
      displayName: 'Acme',
      primaryColor: '#0b5fff',
      logo: meta,
      updatedAt: at,
      version: 1,
    });
    const logo = await store.logo(org.id, meta.digest);
    assert.equal(logo?.contentType, 'image/png');
    assert.deepEqual(logo?.bytes, png);

    const second = await store.write(
      org.id,
      { displayName: 'Acme 2', primaryColor: null, logo: 'unchanged' },
      at,
      1,
    );
    assert.ok(second.ok);
    assert.equal(second.value.version, 2);
    assert.deepEqual(second.value.logo, meta, 'the logo is left as it was');
    assert.deepEqual(await store.get(org.id), second.value);
  });

  it('when a write names a stale version (a first write among them), then it is refused and nothing changes', async () => {
    const org = await insertOrg(db);
    const state = { displayName: 'One', primaryColor: null, logo: 'unchanged' as const };
    assert.ok((await store.write(org.id, state, at, 0)).ok);
    const again = await store.write(org.id, { ...state, displayName: 'Two' }, at, 0);
    assert.deepEqual(again, { ok: false, reason: 'stale' });
    assert.equal((await store.get(org.id)).displayName, 'One');
  });

  it('when the logo is removed, or asked for under another org or digest, then there is none', async () => {
    const [org, other] = [await insertOrg(db), await insertOrg(db)];
    await store.write(
      org.id,
      { displayName: null, primaryColor: null, logo: { meta, bytes: png } },
      at,
      0,
    );
    assert.equal(await store.logo(other.id, meta.digest), null, 'another org');
    assert.equal(await store.logo(org.id, sha256Hex('other')), null, 'another digest');
    await store.write(org.id, { displayName: null, primaryColor: null, logo: null }, at, 1);
    assert.equal(await store.logo(org.id, meta.digest), null);
    assert.equal((await store.get(org.id)).logo, null);
    assert.equal((await store.get(other.id)).version, 0, "the other org's is untouched");
  });

  it('when a colour or content type is not one the pages may use, then the database refuses it', async () => {
    const org = await insertOrg(db);
    await assert.rejects(
      store.write(org.id, { displayName: null, primaryColor: 'red;}', logo: 'unchanged' }, at, 0),
    );
    await assert.rejects(
      store.write(
        org.id,
        {
          displayName: null,
          primaryColor: null,
          logo: { meta: { ...meta, contentType: 'image/svg+xml' as 'image/png' }, bytes: png },
        },
        at,
        0,
      ),
    );
  });
});
