import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { auditRowsOf, expectThrottled, waitUntilAdmitted } from '../support/rate-limits.js';

/**
 * The admin API's doors: each API key's budget (limits.adminApiPerKey), the backoff of
 * failed key checks (limits.failedCredentials), and DNS verification attempts per domain
 * claim (limits.domainVerificationPerDomain), which nobody but the claim's org can spend.
 */
describe('Rate limits: admin API keys and domain verification', () => {
  let f: AdminFixture;
  const lookups: string[] = [];

  const asKey = (key: string, ip: string, path: string) =>
    request(f.t.app.http)
      .get(path)
      .set('Authorization', `Bearer ${key}`)
      .set('X-Forwarded-For', ip);

  before(async () => {
    f = await startAdminFixture({
      resolveTxt: (name) => {
        lookups.push(name);
        return Promise.reject(Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
      },
      env: {
        LATCHKEY_SERVER_TRUST_PROXY: 'true',
        LATCHKEY_LIMITS_ADMIN_API_PER_KEY_POINTS: '12',
        LATCHKEY_LIMITS_ADMIN_API_PER_KEY_WINDOW_SECONDS: '10',
        LATCHKEY_LIMITS_DOMAIN_VERIFICATION_PER_DOMAIN_POINTS: '2',
        LATCHKEY_LIMITS_DOMAIN_VERIFICATION_PER_DOMAIN_WINDOW_SECONDS: '60',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_CREDENTIAL_AND_IP: '3',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_IP: '50',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_CREDENTIAL: '50',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_BACKOFF_BASE_SECONDS: '1',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_BACKOFF_CAP_SECONDS: '2',
      },
    });
  });
  after(async () => {
    await f?.t.close();
  });

  it('when one API key spends its budget, then it gets 429 problem+json with the RateLimit headers and another key does not', async () => {
    const path = `/api/v1/orgs/${f.orgA.id}`;
    for (let i = 0; i < 12; i += 1)
      assert.equal((await asKey(f.orgA.keySecret, '203.0.113.1', path)).status, 200, `call ${i + 1}`);
    await expectThrottled(await asKey(f.orgA.keySecret, '203.0.113.1', path), {
      policy: 'admin-api-key',
      points: 12,
      window: 10,
      style: 'problem',
    });
    // The budget is the key's, wherever it calls from; another key keeps its own.
    assert.equal((await asKey(f.orgA.keySecret, '203.0.113.2', path)).status, 429, 'same key');
    const other = await asKey(f.orgB.keySecret, '203.0.113.1', `/api/v1/orgs/${f.orgB.id}`);
    assert.equal(other.status, 200, 'another key');
    const rows = await auditRowsOf(f.t, 'security.rate_limited');
    assert.equal(rows.filter((r) => r.data.policy === 'admin-api-key').length, 1, 'audited once');
  });

  it('when wrong secrets are tried for a key from one address, then that address backs off and the key still works from elsewhere', async () => {
    const path = `/api/v1/orgs/${f.orgB.id}`;
    const [, id] = /^lk_([0-9a-f]{32})_/.exec(f.orgB.keySecret)!;
    const wrong = `lk_${id}_${'x'.repeat(43)}`;
    for (let i = 0; i < 3; i += 1)
      assert.equal((await asKey(wrong, '203.0.113.9', path)).status, 401, `failure ${i + 1}`);
    await expectThrottled(await asKey(f.orgB.keySecret, '203.0.113.9', path), {
      policy: 'api_key-credential-ip-backoff',
      points: 3,
      window: 900,
      style: 'problem',
      maxRetryAfter: 1,
    });
    assert.equal((await asKey(f.orgB.keySecret, '203.0.113.10', path)).status, 200, 'elsewhere');
    await waitUntilAdmitted(() => asKey(f.orgB.keySecret, '203.0.113.9', path), 'after 1 s');
  });

  it('when a domain claim is verified too often, then it gets 429, and another org cannot spend its attempts', async () => {
    const orgC = await f.makeOrg('org-c');
    const added = await orgC.admin.post(`/api/v1/orgs/${orgC.id}/domains`, {
      domain: 'c-limits.example',
    });
    assert.equal(added.status, 201, added.text);
    const verify = `/api/v1/orgs/${orgC.id}/domains/${(added.body as { id: string }).id}/verify`;
    // Another org's key is refused before anything is spent or looked up.
    for (let i = 0; i < 3; i += 1) {
      const foreign = await f.orgB.admin.post(verify);
      assert.ok([403, 404].includes(foreign.status), `foreign ${i + 1}: ${foreign.status}`);
    }
    assert.equal(lookups.length, 0, 'no DNS lookup for a foreign caller');
    for (let i = 0; i < 2; i += 1)
      assert.equal((await orgC.admin.post(verify)).status, 422, `attempt ${i + 1} looked up`);
    await expectThrottled(await orgC.admin.post(verify), {
      policy: 'domain-verification',
      points: 2,
      window: 60,
      style: 'problem',
    });
    assert.equal(lookups.length, 2, 'the refused attempt looked nothing up');
    const rows = await auditRowsOf(f.t, 'security.rate_limited');
    const domainRows = rows.filter((r) => r.data.policy === 'domain-verification');
    assert.equal(domainRows.length, 1);
    assert.equal(domainRows[0]!.org_id, orgC.id, "in the claim's org's audit trail");
  });
});
