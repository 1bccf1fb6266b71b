import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

/**
 * RFC 9110 §13.1.1: an origin server that receives If-Match MUST evaluate it before
 * performing the method, with the strong comparison (a weak entity tag never matches).
 * A DELETE based on a stale read must not remove what someone else has changed since.
 */
describe('admin API: If-Match on every versioned resource', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
  });
  after(async () => {
    await f.t.close();
  });

  const STALE = '"99"';

  it('when a PATCH carries a weak ETag of the current version, then 412 and nothing changes', async () => {
    const org = `/api/v1/orgs/${f.orgA.id}`;
    const current = await f.orgA.admin.get(org);
    const etag = current.headers.etag as string;
    const res = await f.orgA.admin.patch(org, { name: 'Weakly matched' }, `W/${etag}`);
    assert.equal(res.status, 412, res.text);
    assertMatchesSpec(res, 'patch', '/api/v1/orgs/{orgId}');
    assert.equal(
      ((await f.orgA.admin.get(org)).body as { name: string }).name,
      (current.body as { name: string }).name,
    );
  });

  const deleteCases: Array<{
    what: string;
    template: string;
    create: () => Promise<string>;
    client: () => AdminFixture['platform'];
  }> = [
    {
      what: 'connection',
      template: '/api/v1/orgs/{orgId}/connections/{connectionId}',
      client: () => f.orgA.admin,
      create: async () => {
        const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/connections`, {
          type: 'oidc',
          name: 'Okta',
          issuer: 'https://acme.okta.example.com',
          client_id: 'latchkey',
          client_secret: 'a-secret-value',
        });
        assert.equal(res.status, 201, res.text);
        return `/api/v1/orgs/${f.orgA.id}/connections/${(res.body as { id: string }).id}`;
      },
    },
    {
      what: 'webhook',
      template: '/api/v1/orgs/{orgId}/webhooks/{webhookId}',
      client: () => f.orgA.admin,
      create: async () => {
        const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/webhooks`, {
          url: 'https://hooks.example.com/latchkey',
        });
        assert.equal(res.status, 201, res.text);
        return `/api/v1/orgs/${f.orgA.id}/webhooks/${(res.body as { id: string }).id}`;
      },
    },
    {
      what: 'client',
      template: '/api/v1/clients/{clientId}',
      client: () => f.platform,
      create: async () => {
        const res = await f.platform.post('/api/v1/clients', {
          name: 'Ads Manager',
          type: 'confidential',
          redirect_uris: ['https://ads.example.com/callback'],
          grant_types: ['authorization_code'],
        });
        assert.equal(res.status, 201, res.text);
        return `/api/v1/clients/${(res.body as { id: string }).id}`;
      },
    },
    {
      what: 'org',
      template: '/api/v1/orgs/{orgId}',
      client: () => f.platform,
      create: async () => `/api/v1/orgs/${(await f.makeOrg('if-match-doomed')).id}`,
    },
  ];

  for (const c of deleteCases) {
    it(`when a ${c.what} DELETE carries a stale If-Match, then 412 and it stays; the current ETag deletes it`, async () => {
      const path = await c.create();
      const client = c.client();
      const stale = await client.delete(path).set('If-Match', STALE);
      assert.equal(stale.status, 412, stale.text);
      assertMatchesSpec(stale, 'delete', c.template);
      assert.equal((stale.body as { code: string }).code, 'precondition_failed');
      const still = await client.get(path);
      assert.equal(still.status, 200);
      if (c.what === 'org') assert.equal((still.body as { status: string }).status, 'active');
      const ok = await client.delete(path).set('If-Match', still.headers.etag as string);
      assert.equal(ok.status, 204, ok.text);
    });
  }
});
