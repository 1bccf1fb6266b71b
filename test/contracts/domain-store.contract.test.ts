import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { domainStore, type DomainStore } from '../../src/orgs/domain-store.js';
import { orgStore } from '../../src/orgs/org-store.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { AT, insertOrg, later } from '../support/sql-fixtures.js';

forEachSqlBackend('DomainStore contract', (open) => {
  let db: Database;
  let store: DomainStore;
  let orgA: string;
  let orgB: string;

  before(async () => {
    db = open();
    store = domainStore(db);
    orgA = (await insertOrg(db)).id;
    orgB = (await insertOrg(db)).id;
  });

  const uniqueDomain = () => `d${uuidv7().slice(-12)}.example.com`;
  const claim = async (orgId = orgA, domain = uniqueDomain()) => {
    const claimed = await store.insertPending({
      id: uuidv7(),
      orgId,
      domain,
      verificationToken: `token-${domain}`,
      at: AT,
    });
    assert.ok(claimed);
    return claimed;
  };

  it('when a domain is claimed, then it is pending with its token, and get returns it', async () => {
    const domain = uniqueDomain();
    const claimed = await claim(orgA, domain);
    assert.deepEqual(claimed, {
      id: claimed.id,
      orgId: orgA,
      domain,
      status: 'pending',
      verificationToken: `token-${domain}`,
      verificationMethod: null,
      verifiedAt: null,
      createdAt: AT,
      updatedAt: AT,
      version: 1,
    });
    assert.deepEqual(await store.get(orgA, claimed.id), claimed);
    assert.equal(await store.get(orgA, uuidv7()), null);
  });

  it('when an org claims a domain twice, then the second claim is refused; another org may claim it too', async () => {
    const first = await claim(orgA);
    const again = await store.insertPending({
      id: uuidv7(),
      orgId: orgA,
      domain: first.domain,
      verificationToken: 'other',
      at: later(1),
    });
    assert.equal(again, null);
    const theirs = await claim(orgB, first.domain);
    assert.equal(theirs.orgId, orgB);
    assert.deepEqual(await store.get(orgA, first.id), first);
  });

  it('when get is asked through another org, then the claim is not found', async () => {
    const claimed = await claim(orgA);
    assert.equal(await store.get(orgB, claimed.id), null);
  });

  it('when list pages through an org, then it returns limit + 1 claims in id order after the cursor, and no other org’s', async () => {
    const org = (await insertOrg(db)).id;
    const mine = [await claim(org), await claim(org), await claim(org)];
    await claim(orgB);
    const ids = mine.map((d) => d.id).sort();
    assert.deepEqual(
      (await store.list(org, { limit: 1, afterId: null })).map((d) => d.id),
      ids.slice(0, 2),
    );
    assert.deepEqual(
      (await store.list(org, { limit: 5, afterId: ids[0]! })).map((d) => d.id),
      ids.slice(1),
    );
    assert.deepEqual(await store.list(uuidv7(), { limit: 5, afterId: null }), []);
  });

  it('when a pending claim is marked verified, then it records the method and time once', async () => {
    const claimed = await claim();
    const verified = await store.markVerified(orgA, claimed.id, 'dns', later(30));
    assert.deepEqual(verified, {
      ...claimed,
      status: 'verified',
      verificationMethod: 'dns',
      verifiedAt: later(30),
      updatedAt: later(30),
      version: 2,
    });
    assert.equal(await store.markVerified(orgA, claimed.id, 'attestation', later(31)), null);
    assert.deepEqual(await store.get(orgA, claimed.id), verified);
    assert.equal(await store.markVerified(orgA, uuidv7(), 'dns', later(31)), null);
  });

  it('when markVerified is asked through another org, then nothing is verified', async () => {
    const claimed = await claim(orgA);
    assert.equal(await store.markVerified(orgB, claimed.id, 'attestation', later(1)), null);
    assert.deepEqual(await store.get(orgA, claimed.id), claimed);
  });

  it('when a domain is verified for one org, then no second claim of it can be verified', async () => {
    const domain = uniqueDomain();
    const ours = await claim(orgA, domain);
    const theirs = await claim(orgB, domain);
    assert.equal(await store.verifiedElsewhere(domain, null), false);
    assert.ok(await store.markVerified(orgA, ours.id, 'dns', later(1)));
    assert.equal(await store.verifiedElsewhere(domain, null), true);
    assert.equal(await store.verifiedElsewhere(domain, ours.id), false);
    assert.equal(await store.verifiedElsewhere(domain, theirs.id), true);
    await assert.rejects(store.markVerified(orgB, theirs.id, 'dns', later(2)), {
      code: '23505',
    });
    assert.equal((await store.get(orgB, theirs.id))?.status, 'pending');
  });

  it('when delete names the current version or none, then the claim goes; an old version deletes nothing', async () => {
    const claimed = await claim();
    assert.equal(await store.delete(orgA, claimed.id, 2), false);
    assert.ok(await store.get(orgA, claimed.id));
    assert.equal(await store.delete(orgA, claimed.id, 1), true);
    assert.equal(await store.get(orgA, claimed.id), null);
    const other = await claim();
    assert.equal(await store.delete(orgA, other.id, null), true);
    assert.equal(await store.delete(orgA, other.id, null), false);
  });

  it('when delete is asked through another org, then nothing is deleted', async () => {
    const claimed = await claim(orgA);
    assert.equal(await store.delete(orgB, claimed.id, null), false);
    assert.equal(await store.delete(orgB, claimed.id, 1), false);
    assert.deepEqual(await store.get(orgA, claimed.id), claimed);
  });

  it('when verifiedActiveOrg is asked, then only a verified claim of an active org answers', async () => {
    const org = await insertOrg(db);
    const domain = uniqueDomain();
    const pending = await claim(org.id, domain);
    await claim(orgB, domain);
    assert.equal(await store.verifiedActiveOrg(domain), null);
    await store.markVerified(org.id, pending.id, 'attestation', later(1));
    assert.deepEqual(await store.verifiedActiveOrg(domain), { orgId: org.id });
    assert.equal(await store.verifiedActiveOrg(uniqueDomain()), null);
    await orgStore(db).update(org.id, { status: 'disabled' }, later(2), null);
    assert.equal(await store.verifiedActiveOrg(domain), null);
  });
});
