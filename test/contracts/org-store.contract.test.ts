import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { orgStore, type OrgStore } from '../../src/orgs/org-store.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { insertOrg, later, newOrg } from '../support/sql-fixtures.js';

forEachSqlBackend('OrgStore contract', (open) => {
  let db: Database;
  let store: OrgStore;

  before(() => {
    db = open();
    store = orgStore(db);
  });

  it('when an org is inserted, then get and getBySlug return it with its settings', async () => {
    const org = await insertOrg(db, {
      settings: {
        sessionIdleTimeoutSeconds: 600,
        sessionAbsoluteLifetimeSeconds: 7200,
        maxSessionsPerUser: 3,
        requireVerifiedEmail: true,
        requireMfa: true,
        requirePhishingResistant: false,
        auditIp: 'truncated',
        auditRetentionDays: 30,
        loginStartsPerIpPerMinute: 500,
        loginStartsPerMinute: 20_000,
      },
    });
    assert.deepEqual(await store.get(org.id), org);
    assert.deepEqual(await store.getBySlug(org.slug), org);
    assert.equal(await store.get(uuidv7()), null);
    assert.equal(await store.getBySlug('no-such-org'), null);
  });

  it('when an id or a slug is taken, then the insert fails', async () => {
    const org = await insertOrg(db);
    await assert.rejects(store.insert({ ...org, slug: `${org.slug}-2` }));
    await assert.rejects(store.insert({ ...newOrg(), slug: org.slug }));
    assert.equal(await store.getBySlug(`${org.slug}-2`), null);
  });

  it('when list pages, then it returns limit + 1 orgs in id order after the cursor', async () => {
    const orgs = [await insertOrg(db), await insertOrg(db), await insertOrg(db)];
    const ids = orgs.map((o) => o.id).sort();
    const page = await store.list({ limit: 1, afterId: ids[0]! });
    assert.deepEqual(
      page.map((o) => o.id),
      ids.slice(1),
    );
    const all = (await store.list({ limit: 1000, afterId: null })).map((o) => o.id);
    assert.deepEqual(all, [...all].sort());
    assert.ok(ids.every((id) => all.includes(id)));
  });

  it('when list is restricted to one org, then no other org is listed', async () => {
    const a = await insertOrg(db);
    const b = await insertOrg(db);
    assert.deepEqual(await store.list({ limit: 10, afterId: null }, b.id), [b]);
    assert.deepEqual(await store.list({ limit: 10, afterId: null }, a.id), [a]);
    assert.deepEqual(await store.list({ limit: 10, afterId: b.id }, b.id), []);
    assert.deepEqual(await store.list({ limit: 10, afterId: null }, uuidv7()), []);
  });

  it('when listAuditRetention is asked, then every org appears with its retention days', async () => {
    const org = await insertOrg(db, { settings: { ...newOrg().settings, auditRetentionDays: 7 } });
    const retention = await store.listAuditRetention();
    assert.deepEqual(
      retention.find((r) => r.orgId === org.id),
      { orgId: org.id, retentionDays: 7 },
    );
    const ids = retention.map((r) => r.orgId);
    assert.deepEqual(ids, [...ids].sort());
  });

  it('when update names the current version, then the changes apply and the version moves on', async () => {
    const org = await insertOrg(db);
    const result = await store.update(
      org.id,
      { name: 'Renamed', status: 'disabled', maxSessionsPerUser: 2, auditIp: 'none' },
      later(60),
      1,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      ...org,
      name: 'Renamed',
      status: 'disabled',
      settings: { ...org.settings, maxSessionsPerUser: 2, auditIp: 'none' },
      updatedAt: later(60),
      version: 2,
    });
    const unchecked = await store.update(
      org.id,
      { requireVerifiedEmail: true, name: undefined },
      later(61),
      null,
    );
    assert.ok(unchecked.ok);
    assert.equal(unchecked.value.settings.requireVerifiedEmail, true);
    assert.equal(unchecked.value.name, 'Renamed');
    assert.equal(unchecked.value.version, 3);
  });

  it('when an org is inserted without sign-in limits, then they read back as null', async () => {
    const org = await insertOrg(db);
    assert.equal(org.settings.loginStartsPerIpPerMinute, null);
    assert.deepEqual((await store.get(org.id))?.settings, org.settings);
    assert.deepEqual(await store.loginLimits(org.id), {
      id: org.id,
      loginStartsPerIpPerMinute: null,
      loginStartsPerMinute: null,
    });
    assert.equal(await store.loginLimits(uuidv7()), null);
  });

  it('when update sets the sign-in limits, then they are kept; an explicit null resets one, undefined leaves it', async () => {
    const org = await insertOrg(db);
    const set = await store.update(
      org.id,
      { loginStartsPerIpPerMinute: 1_000_000, loginStartsPerMinute: 10_000_000 },
      later(1),
      null,
    );
    assert.ok(set.ok);
    assert.equal(set.value.settings.loginStartsPerIpPerMinute, 1_000_000);
    assert.equal(set.value.settings.loginStartsPerMinute, 10_000_000);
    assert.deepEqual(await store.loginLimits(org.id), {
      id: org.id,
      loginStartsPerIpPerMinute: 1_000_000,
      loginStartsPerMinute: 10_000_000,
    });
    const reset = await store.update(
      org.id,
      { loginStartsPerIpPerMinute: null, loginStartsPerMinute: undefined },
      later(2),
      null,
    );
    assert.ok(reset.ok);
    assert.equal(reset.value.settings.loginStartsPerIpPerMinute, null);
    assert.equal(reset.value.settings.loginStartsPerMinute, 10_000_000);
    assert.deepEqual((await store.get(org.id))?.settings, reset.value.settings);
  });

  it('when a sign-in limit is out of range, then the database refuses it', async () => {
    const org = await insertOrg(db);
    for (const changes of [
      { loginStartsPerIpPerMinute: 0 },
      { loginStartsPerIpPerMinute: 1_000_001 },
      { loginStartsPerMinute: 0 },
      { loginStartsPerMinute: 10_000_001 },
    ]) {
      await assert.rejects(store.update(org.id, changes, later(1), null), JSON.stringify(changes));
    }
    assert.deepEqual(await store.get(org.id), org);
  });

  it('when update names an old version or an unknown id, then it is stale or not found and nothing changes', async () => {
    const org = await insertOrg(db);
    assert.deepEqual(await store.update(org.id, { name: 'X' }, later(1), 2), {
      ok: false,
      reason: 'stale',
    });
    assert.deepEqual(await store.update(uuidv7(), { name: 'X' }, later(1), null), {
      ok: false,
      reason: 'not_found',
    });
    assert.deepEqual(await store.get(org.id), org);
  });

  it('when another org is updated, then this org is unchanged', async () => {
    const a = await insertOrg(db);
    const b = await insertOrg(db);
    const result = await store.update(b.id, { name: 'B', status: 'disabled' }, later(1), null);
    assert.ok(result.ok);
    assert.deepEqual(await store.get(a.id), a);
  });
});
