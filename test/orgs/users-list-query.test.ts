import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

/**
 * A filter the API does not know must not be ignored: a misspelt `email_prefix` would
 * otherwise answer with every user of the org, as if the filter had matched them all
 * (the audit trail and delivery lists already refuse unknown parameters).
 */
describe('admin API: users list query', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
  });
  after(async () => {
    await f.t.close();
  });

  it('when the query has an unknown parameter, then 400 naming it', async () => {
    for (const [query, field] of [
      ['emial_prefix=ceo', 'emial_prefix'],
      ['email=ceo@a.example', 'email'],
      ['org_id=x&limit=5', 'org_id'],
    ] as const) {
      const res = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assertMatchesSpec(res, 'get', '/api/v1/orgs/{orgId}/users');
      const body = res.body as { code: string; errors?: Array<{ field: string }> };
      assert.equal(body.code, 'validation_failed');
      assert.deepEqual(
        body.errors?.map((e) => e.field),
        [field],
      );
    }
    const ok = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users?email_prefix=ceo&limit=5`);
    assert.equal(ok.status, 200, ok.text);
  });
});
