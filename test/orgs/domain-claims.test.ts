import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findVerifiedDomainOrg, type TxtResolver } from '../../src/orgs/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const LIST = '/api/v1/orgs/{orgId}/domains';
const VERIFY = '/api/v1/orgs/{orgId}/domains/{domainId}/verify';

interface DomainBody {
  id: string;
  org_id: string;
  domain: string;
  status: 'pending' | 'verified';
  verification: { record_name: string; record_value: string } | null;
}

/**
 * Domain squatting: a pending (unproven) claim must not lock the rightful owner out. Only
 * proof of control (the TXT record, or a platform attestation) decides who owns a domain;
 * once one org has proven it, nobody else can claim or verify it.
 */
describe('admin API: competing domain claims', () => {
  const clock = createFakeClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  const records = new Map<string, string[][]>();
  const resolveTxt: TxtResolver = (name) => {
    const found = records.get(name);
    return found
      ? Promise.resolve(found)
      : Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
  };
  let f: AdminFixture;
  const path = (orgId: string) => `/api/v1/orgs/${orgId}/domains`;

  before(async () => {
    f = await startAdminFixture({ clock, resolveTxt });
  });
  after(async () => {
    await f.t.close();
  });

  it("when another org's pending claim exists, then the rightful org can still add and verify the domain, and logins route to it", async () => {
    // Org A squats on B's domain: it cannot publish the TXT record, but its claim is first.
    const squat = await f.orgA.admin.post(path(f.orgA.id), { domain: 'rightful-b.example' });
    assert.equal(squat.status, 201, squat.text);

    const claim = await f.orgB.admin.post(path(f.orgB.id), { domain: 'rightful-b.example' });
    assert.equal(claim.status, 201, claim.text);
    assertMatchesSpec(claim, 'post', LIST);
    const mine = claim.body as DomainBody;
    assert.equal(mine.org_id, f.orgB.id);
    // Each claim has its own token: A's token does not verify B's claim, nor B's A's.
    const theirs = squat.body as DomainBody;
    assert.notEqual(mine.verification!.record_value, theirs.verification!.record_value);

    records.set(mine.verification!.record_name, [[mine.verification!.record_value]]);
    const verified = await f.orgB.admin.post(`${path(f.orgB.id)}/${mine.id}/verify`, {});
    assert.equal(verified.status, 200, verified.text);
    assertMatchesSpec(verified, 'post', VERIFY);
    assert.equal((verified.body as DomainBody).status, 'verified');
    assert.deepEqual(await findVerifiedDomainOrg(f.t.app.db, 'rightful-b.example'), {
      orgId: f.orgB.id,
    });

    // The squatter's claim can never be verified now, not even with B's published record.
    const stolen = await f.orgA.admin.post(`${path(f.orgA.id)}/${theirs.id}/verify`, {});
    assert.equal(stolen.status, 409, stolen.text);
    assertMatchesSpec(stolen, 'post', VERIFY);
    assert.equal((stolen.body as { code: string }).code, 'domain_taken');
    const attested = await f.platform.post(`${path(f.orgA.id)}/${theirs.id}/attest`, {});
    assert.equal(attested.status, 409, attested.text);
    assert.deepEqual(await findVerifiedDomainOrg(f.t.app.db, 'rightful-b.example'), {
      orgId: f.orgB.id,
    });
  });

  it('when a domain is verified by one org, then no other org can add it (409 domain_taken)', async () => {
    const claim = await f.orgA.admin.post(path(f.orgA.id), { domain: 'owned-a.example' });
    const body = claim.body as DomainBody;
    records.set(body.verification!.record_name, [[body.verification!.record_value]]);
    assert.equal((await f.orgA.admin.post(`${path(f.orgA.id)}/${body.id}/verify`, {})).status, 200);
    for (const spelling of ['owned-a.example', 'OWNED-A.example.']) {
      const res = await f.orgB.admin.post(path(f.orgB.id), { domain: spelling });
      assert.equal(res.status, 409, res.text);
      assertMatchesSpec(res, 'post', LIST);
      assert.equal((res.body as { code: string }).code, 'domain_taken');
    }
  });

  it('when an org adds a domain it already claims, then 409 domain_taken', async () => {
    const first = await f.orgB.admin.post(path(f.orgB.id), { domain: 'twice-b.example' });
    assert.equal(first.status, 201);
    const again = await f.orgB.admin.post(path(f.orgB.id), { domain: 'Twice-B.example' });
    assert.equal(again.status, 409, again.text);
    assert.equal((again.body as { code: string }).code, 'domain_taken');
  });
});
