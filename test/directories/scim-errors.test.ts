// Every SCIM error of issue 17, and where each is tested:
//
//   invalidFilter (unknown attribute, bad syntax)   scim-users.test.ts, scim-groups.test.ts
//   invalidPath (PATCH)                              scim-users.test.ts
//   invalidValue (body, projection, count)           scim-users.test.ts, scim-groups.test.ts
//   invalidValue (sortBy, sortOrder)                 scim-list.test.ts
//   invalidSyntax (SearchRequest)                    scim-list.test.ts
//   409 uniqueness                                   scim-users.test.ts, scim-groups.test.ts
//   mutability (PATCH changing id)                   scim-users.test.ts, scim-groups.test.ts
//   412 stale If-Match                               scim-users.test.ts, scim-groups.test.ts
//   413 body over the limit                          scim-users.test.ts
//   415 body not JSON                                scim-auth.test.ts
//   401 token of another org's directory             scim-auth.test.ts (and below, on the catch-all)
//   tooMany, invalidVers, 501 /Bulk and /Me, 404 unknown path, count capped   here
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import {
  groupBody,
  scimClient,
  scimDirectory,
  scimDomains,
  userBody,
  type ScimClient,
} from '../support/scim.js';

type ScimList = { totalResults: number; itemsPerPage: number; Resources: Array<{ id: string }> };

const assertScimError = (res: request.Response, status: number, scimType?: string) => {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
  const body = res.body as { schemas: string[]; status: string; scimType?: string };
  assert.deepEqual(body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  assert.equal(body.status, String(status));
  assert.equal(body.scimType, scimType);
};

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const MAX_FILTER_SCAN = 3;
const MAX_RESULTS = 2;

describe('SCIM errors', () => {
  let f: AdminFixture;
  let directoryId: string;
  let token: string;
  let scim: ScimClient;
  before(async () => {
    f = await startAdminFixture({
      env: {
        LATCHKEY_SCIM_MAX_FILTER_SCAN: String(MAX_FILTER_SCAN),
        LATCHKEY_SCIM_MAX_RESULTS_PER_PAGE: String(MAX_RESULTS),
      },
    });
    await scimDomains(f);
    ({ scim, id: directoryId, token } = await scimDirectory(f, f.orgA));
  });
  after(async () => {
    await f.t.close();
  });

  const withToken = (path: string, method: 'get' | 'post' | 'delete' = 'get') =>
    request(f.t.app.http)[method](path).set('Authorization', `Bearer ${token}`);

  it('when another SCIM version is asked for, then it is 400 invalidVers in SCIM form, once the token is verified', async () => {
    assertScimError(await withToken(`/scim/v1/${directoryId}/Users`), 400, 'invalidVers');
    assertScimError(
      await withToken(`/scim/v3/${directoryId}/Groups`, 'post').send({}),
      400,
      'invalidVers',
    );
    assertScimError(await withToken(`/scim/v1/${directoryId}`), 400, 'invalidVers');
    assertScimError(await request(f.t.app.http).get(`/scim/v1/${directoryId}/Users`), 401);
  });

  it('when /Bulk or /Me is asked for, then it is 501; any other unknown path is 404; both in SCIM form', async () => {
    assertScimError(await scim.post('/Bulk', { schemas: [] }), 501);
    assertScimError(await scim.get('/Me'), 501);
    assertScimError(await scim.get('/Nope'), 404);
    assertScimError(await scim.delete('/Users'), 404);
    assertScimError(await scim.get('/Users/x/y'), 404);
    assertScimError(await withToken(`/scim/v2/${directoryId}`), 404);
  });

  it("when an unknown path is asked for without a valid token, or with another org's, then it is the same 401 (nothing is revealed)", async () => {
    const other = await scimDirectory(f, f.orgB);
    for (const path of ['/Bulk', '/Me', '/Nope']) {
      assertScimError(await request(f.t.app.http).get(`/scim/v2/${directoryId}${path}`), 401);
      assertScimError(await scimClient(f.t.app.http, directoryId, other.token).get(path), 401);
    }
    assertScimError(await scimClient(f.t.app.http, directoryId, other.token).get('/Users'), 401);
  });

  it('when a filter SQL cannot narrow would read more users than scim.maxFilterScan, then it is 400 tooMany; equalities on userName or externalId still answer', async () => {
    const small = await scimDirectory(f, f.orgA, 'small');
    await small.scim.post('/Users', userBody('s1@a.example'));
    const okBefore = await small.scim.get(`/Users?filter=${encodeURIComponent('userName sw "s"')}`);
    assert.equal(okBefore.status, 200, okBefore.text);
    for (let n = 1; n <= MAX_FILTER_SCAN + 1; n++) {
      const res = await scim.post(
        '/Users',
        userBody(`scan${n}@a.example`, { externalId: `e${n}` }),
      );
      assert.equal(res.status, 201, res.text);
    }
    const filtered = (filter: string) => scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
    assertScimError(await filtered('userName sw "scan"'), 400, 'tooMany');
    assertScimError(await filtered('active eq true'), 400, 'tooMany');
    assertScimError(
      await filtered('userName eq "scan1@a.example" or active eq true'),
      400,
      'tooMany',
    );
    assertScimError(
      await scim.post('/Users/.search', { schemas: [SEARCH_REQUEST], filter: 'title pr' }),
      400,
      'tooMany',
    );
    // An invalid filter is named as such, before any counting.
    assertScimError(await filtered('nope eq 1'), 400, 'invalidFilter');
    for (const filter of [
      'userName eq "SCAN2@a.example"',
      'externalId eq "e3"',
      'userName eq "scan4@a.example" and active eq true',
    ]) {
      const res = await filtered(filter);
      assert.equal(res.status, 200, `${filter}: ${res.text}`);
      assert.equal((res.body as ScimList).totalResults, 1, filter);
    }
    // Without a filter the list pages as before; a directory under the limit still filters.
    assert.equal(((await scim.get('/Users')).body as ScimList).totalResults, MAX_FILTER_SCAN + 1);
    assert.equal(
      (await small.scim.get(`/Users?filter=${encodeURIComponent('userName sw "s"')}`)).status,
      200,
    );
  });

  it('when a group filter SQL cannot narrow would read more groups than scim.maxFilterScan, then it is 400 tooMany; displayName or externalId equality still answers', async () => {
    for (let n = 1; n <= MAX_FILTER_SCAN + 1; n++) {
      const res = await scim.post('/Groups', groupBody(`Team ${n}`, [], { externalId: `g${n}` }));
      assert.equal(res.status, 201, res.text);
    }
    const filtered = (filter: string) => scim.get(`/Groups?filter=${encodeURIComponent(filter)}`);
    assertScimError(await filtered('displayName sw "Team"'), 400, 'tooMany');
    assertScimError(await filtered('members pr'), 400, 'tooMany');
    assert.equal((await filtered('displayName eq "team 2"')).status, 200);
    assert.equal(((await filtered('externalId eq "g4"')).body as ScimList).totalResults, 1);
  });

  it('when count asks for more than scim.maxResultsPerPage, then the page holds that many and ServiceProviderConfig says so', async () => {
    const capped = (await scim.get('/Users?count=5000')).body as ScimList;
    assert.ok(capped.totalResults > MAX_RESULTS);
    assert.equal(capped.itemsPerPage, MAX_RESULTS);
    assert.equal(capped.Resources.length, MAX_RESULTS);
    const spc = (await scim.get('/ServiceProviderConfig')).body as {
      filter: { maxResults: number };
    };
    assert.equal(spc.filter.maxResults, MAX_RESULTS);
  });
});
