import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { scimClient, scimDirectory, scimDomains, userBody } from '../support/scim.js';

describe('SCIM endpoint: bearer tokens, fail closed', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
    await scimDomains(f);
  });
  after(async () => {
    await f.t.close();
  });

  /** Every refusal is the same 401, so it tells nothing about the directory. */
  const assertRefused = (res: request.Response) => {
    assert.equal(res.status, 401, res.text);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="scim"');
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(res.body, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
      detail: 'The bearer token is not valid for this directory.',
    });
  };

  it("when a token of another org's directory is used, then it is 401 like an unknown directory, and nothing is written", async () => {
    const a = await scimDirectory(f, f.orgA);
    const b = await scimDirectory(f, f.orgB);
    const withBToken = scimClient(f.t.app.http, a.id, b.token);
    assertRefused(await withBToken.get('/Users'));
    assertRefused(await withBToken.post('/Users', userBody('intruder@a.example')));
    assertRefused(await withBToken.get('/ServiceProviderConfig'));
    assertRefused(await scimClient(f.t.app.http, randomUUID(), b.token).get('/Users'));
    assertRefused(await scimClient(f.t.app.http, 'not-a-uuid', b.token).get('/Users'));
    const list = (await a.scim.get('/Users')).body as { totalResults: number };
    assert.equal(list.totalResults, 0);
  });

  it('when the token is missing, malformed, tampered with or an admin API key, then it is 401', async () => {
    const a = await scimDirectory(f, f.orgA);
    assertRefused(await request(f.t.app.http).get(`${a.scim.base}/Users`));
    assertRefused(await scimClient(f.t.app.http, a.id, 'nonsense').get('/Users'));
    assertRefused(
      await scimClient(
        f.t.app.http,
        a.id,
        `${a.token.slice(0, -1)}${a.token.endsWith('A') ? 'B' : 'A'}`,
      ).get('/Users'),
    );
    assertRefused(await scimClient(f.t.app.http, a.id, f.orgA.keySecret).get('/Users'));
    assertRefused(
      await request(f.t.app.http)
        .get(`${a.scim.base}/Users`)
        .set('Authorization', `Basic ${a.token}`),
    );
  });

  it('when the token is revoked or the directory disabled, then the next request is 401', async () => {
    const a = await scimDirectory(f, f.orgA);
    const path = `/api/v1/orgs/${f.orgA.id}/scim-directories/${a.id}`;
    assert.equal((await a.scim.get('/Users')).status, 200);
    const tokens = (await f.orgA.admin.get(`${path}/tokens`)).body as {
      items: Array<{ id: string }>;
    };
    assert.equal((await f.orgA.admin.delete(`${path}/tokens/${tokens.items[0]!.id}`)).status, 204);
    assertRefused(await a.scim.get('/Users'));

    const fresh = ((await f.orgA.admin.post(`${path}/tokens`)).body as { token: string }).token;
    assert.equal((await scimClient(f.t.app.http, a.id, fresh).get('/Users')).status, 200);
    assert.equal((await f.orgA.admin.post(`${path}/disable`)).status, 200);
    assertRefused(await scimClient(f.t.app.http, a.id, fresh).get('/Users'));
  });

  it('when the token is rotated, then both the old and the new one work (within the overlap)', async () => {
    const a = await scimDirectory(f, f.orgA);
    const path = `/api/v1/orgs/${f.orgA.id}/scim-directories/${a.id}/tokens`;
    const next = ((await f.orgA.admin.post(path)).body as { token: string }).token;
    assert.equal((await a.scim.get('/Users')).status, 200);
    assert.equal((await scimClient(f.t.app.http, a.id, next).get('/Users')).status, 200);
  });

  it("when the org is deleted (disabled), then its directories' tokens are refused", async () => {
    const doomed = await f.makeOrg('doomed-scim');
    const d = await scimDirectory(f, doomed);
    assert.equal((await d.scim.get('/Users')).status, 200);
    assert.equal((await f.platform.delete(`/api/v1/orgs/${doomed.id}`)).status, 204);
    assertRefused(await d.scim.get('/Users'));
  });

  it('when a body is not JSON, then it is 415 in SCIM form and nothing is created', async () => {
    const a = await scimDirectory(f, f.orgA);
    const res = await request(f.t.app.http)
      .post(`${a.scim.base}/Users`)
      .set('Authorization', `Bearer ${a.token}`)
      .set('Content-Type', 'text/plain')
      .send('userName=x');
    assert.equal(res.status, 415);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    assert.equal(((await a.scim.get('/Users')).body as { totalResults: number }).totalResults, 0);
  });

  it("when the org's audit trail is queried by the directory as actor, then its SCIM writes are there", async () => {
    const a = await scimDirectory(f, f.orgA);
    assert.equal((await a.scim.post('/Users', userBody('audited@a.example'))).status, 201);
    const res = await f.orgA.admin.get(
      `/api/v1/orgs/${f.orgA.id}/audit-events?actor_type=scim_directory&actor_id=${a.id}`,
    );
    assert.equal(res.status, 200, res.text);
    const types = (res.body as { items: Array<{ type: string }> }).items.map((e) => e.type);
    assert.deepEqual(types, ['scim.user.created']);
  });
});
