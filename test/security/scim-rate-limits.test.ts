import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { auditRowsOf, expectThrottled, waitUntilAdmitted } from '../support/rate-limits.js';
import { scimDirectory, scimDomains } from '../support/scim.js';

/**
 * The SCIM endpoint's doors (docs/rate-limits.md): each directory's budget once its token
 * verified (limits.scimPerDirectory), and the backoff of failed token checks
 * (limits.failedCredentials, door scim_token), answered in SCIM's error form.
 */
describe('Rate limits: SCIM directories and their tokens', () => {
  let f: AdminFixture;

  const asToken = (directoryId: string, token: string, ip: string) =>
    request(f.t.app.http)
      .get(`/scim/v2/${directoryId}/Users?count=1`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Forwarded-For', ip);

  before(async () => {
    f = await startAdminFixture({
      env: {
        LATCHKEY_SERVER_TRUST_PROXY: 'true',
        LATCHKEY_LIMITS_SCIM_PER_DIRECTORY_POINTS: '8',
        LATCHKEY_LIMITS_SCIM_PER_DIRECTORY_WINDOW_SECONDS: '10',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_CREDENTIAL_AND_IP: '3',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_IP: '50',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_CREDENTIAL: '50',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_BACKOFF_BASE_SECONDS: '1',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_BACKOFF_CAP_SECONDS: '2',
      },
    });
    await scimDomains(f);
  });
  after(async () => {
    await f?.t.close();
  });

  it('when one directory spends its budget, then it gets 429 in SCIM form with the RateLimit headers, audited in its org, and another directory does not', async () => {
    const a = await scimDirectory(f, f.orgA, 'Okta');
    const b = await scimDirectory(f, f.orgB, 'Entra ID');
    for (let i = 0; i < 8; i += 1)
      assert.equal((await asToken(a.id, a.token, '203.0.113.1')).status, 200, `call ${i + 1}`);
    await expectThrottled(await asToken(a.id, a.token, '203.0.113.1'), {
      policy: 'scim-directory',
      points: 8,
      window: 10,
      style: 'scim',
    });
    // The budget is the directory's, from any address; another directory keeps its own.
    assert.equal((await asToken(a.id, a.token, '203.0.113.2')).status, 429, 'same directory');
    assert.equal((await asToken(b.id, b.token, '203.0.113.1')).status, 200, 'another directory');
    const rows = await auditRowsOf(f.t, 'security.rate_limited');
    const scimRows = rows.filter((r) => r.data.policy === 'scim-directory');
    assert.equal(scimRows.length, 1, 'audited once');
    assert.equal(scimRows[0]!.org_id, f.orgA.id, "in the directory's org's audit trail");
  });

  it('when wrong secrets are tried for a token from one address, then that address backs off, the token still works from elsewhere, and again after the backoff', async () => {
    const c = await scimDirectory(f, f.orgB, 'OneLogin');
    const [, hex] = /^scim_([0-9a-f]{32})_/.exec(c.token)!;
    const wrong = `scim_${hex}_${'x'.repeat(43)}`;
    for (let i = 0; i < 3; i += 1)
      assert.equal((await asToken(c.id, wrong, '203.0.113.9')).status, 401, `failure ${i + 1}`);
    // Even the right token waits at that address: the backoff runs before any check.
    await expectThrottled(await asToken(c.id, c.token, '203.0.113.9'), {
      policy: 'scim_token-credential-ip-backoff',
      points: 3,
      window: 900,
      style: 'scim',
      maxRetryAfter: 1,
    });
    assert.equal((await asToken(c.id, c.token, '203.0.113.10')).status, 200, 'elsewhere');
    await waitUntilAdmitted(() => asToken(c.id, c.token, '203.0.113.9'), 'after 1 s');
    const rows = await auditRowsOf(f.t, 'security.rate_limited');
    const backoff = rows.find((r) => r.data.policy === 'scim_token-credential-ip-backoff');
    assert.ok(backoff, 'the backoff is audited');
    assert.equal(backoff.target_type, 'scim_token');
  });
});
