import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import {
  groupBody,
  PATCH_OP,
  scimDirectory,
  scimDomains,
  userBody,
  type ScimClient,
} from '../support/scim.js';

type ScimUser = { id: string; userName: string; meta: { version: string } };
type ScimList = {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Array<Record<string, unknown>>;
};

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

const assertScimError = (res: request.Response, status: number, scimType?: string) => {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
  assert.equal((res.body as { scimType?: string }).scimType, scimType);
};

describe('SCIM lists: sortBy, POST .search, If-None-Match', () => {
  let f: AdminFixture;
  let scim: ScimClient;
  /** userName → id, in the order they were created. */
  const ids = new Map<string, string>();
  before(async () => {
    f = await startAdminFixture();
    await scimDomains(f);
    ({ scim } = await scimDirectory(f, f.orgA));
    // Given names in mixed case, one missing; externalIds whose order depends on case.
    const people: Array<[string, Record<string, unknown>]> = [
      ['cleo@a.example', { name: { givenName: 'Cleo' }, externalId: 'b' }],
      ['alice@a.example', { name: { givenName: 'alice' }, externalId: 'B' }],
      ['nameless@a.example', { name: { familyName: 'X' }, externalId: 'a' }],
      [
        'bob@a.example',
        {
          name: { givenName: 'Bob' },
          emails: [
            { value: 'zz-bob@a.example', type: 'home' },
            { value: 'bob@a.example', type: 'work', primary: true },
          ],
        },
      ],
    ];
    for (const [userName, extra] of people) {
      const res = await scim.post('/Users', userBody(userName, extra));
      assert.equal(res.status, 201, res.text);
      ids.set(userName, (res.body as ScimUser).id);
    }
  });
  after(async () => {
    await f.t.close();
  });

  const userNames = (res: request.Response) => {
    assert.equal(res.status, 200, res.text);
    return (res.body as ScimList).Resources.map((u) => u.userName);
  };
  const sorted = (query: string) => scim.get(`/Users?${query}`).then(userNames);

  it('when users are sorted by a case-insensitive attribute, then case is ignored and those without a value come last ascending, first descending', async () => {
    assert.deepEqual(await sorted('sortBy=name.givenName'), [
      'alice@a.example',
      'bob@a.example',
      'cleo@a.example',
      'nameless@a.example',
    ]);
    assert.deepEqual(await sorted('sortBy=name.givenName&sortOrder=descending'), [
      'nameless@a.example',
      'cleo@a.example',
      'bob@a.example',
      'alice@a.example',
    ]);
    assert.deepEqual(await sorted('sortBy=userName&sortOrder=ascending'), [
      'alice@a.example',
      'bob@a.example',
      'cleo@a.example',
      'nameless@a.example',
    ]);
  });

  it('when users are sorted by a case-exact attribute, then upper case sorts before lower case (Unicode order)', async () => {
    // externalId is caseExact (RFC 7643 §3.1): "B" < "a" < "b"; bob has none.
    assert.deepEqual(await sorted('sortBy=externalId'), [
      'alice@a.example',
      'nameless@a.example',
      'cleo@a.example',
      'bob@a.example',
    ]);
  });

  it('when users are sorted by a multi-valued attribute, then each sorts by its primary value, else its first', async () => {
    // bob's primary email is bob@…, not its first (zz-bob@…).
    assert.deepEqual(await sorted('sortBy=emails.value'), [
      'alice@a.example',
      'bob@a.example',
      'cleo@a.example',
      'nameless@a.example',
    ]);
  });

  it('when a sort is combined with a filter and a page, then the page is cut from the sorted matches', async () => {
    const filter = encodeURIComponent('userName ne "nameless@a.example"');
    const res = await scim.get(
      `/Users?filter=${filter}&sortBy=name.givenName&sortOrder=descending&startIndex=2&count=1`,
    );
    assert.deepEqual(userNames(res), ['bob@a.example']);
    assert.equal((res.body as ScimList).totalResults, 3);
  });

  it('when sortBy names no attribute of the schema, a complex one, or sortOrder is neither ascending nor descending, then it is 400 invalidValue', async () => {
    assertScimError(await scim.get('/Users?sortBy=nope'), 400, 'invalidValue');
    assertScimError(await scim.get('/Users?sortBy=name'), 400, 'invalidValue');
    assertScimError(await scim.get('/Users?sortBy=userName&sortOrder=up'), 400, 'invalidValue');
    assertScimError(await scim.get('/Groups?sortBy=userName'), 400, 'invalidValue');
  });

  it('when groups are sorted by displayName, then they come in that order', async () => {
    for (const name of ['beta', 'Alpha', 'gamma']) {
      assert.equal((await scim.post('/Groups', groupBody(name))).status, 201);
    }
    const res = await scim.get('/Groups?sortBy=displayName&sortOrder=descending');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      (res.body as ScimList).Resources.map((g) => g.displayName),
      ['gamma', 'beta', 'Alpha'],
    );
    const search = await scim.post('/Groups/.search', {
      schemas: [SEARCH_REQUEST],
      filter: 'displayName sw "a"',
      sortBy: 'displayName',
    });
    assert.equal(search.status, 200, search.text);
    assert.deepEqual(
      (search.body as ScimList).Resources.map((g) => g.displayName),
      ['Alpha'],
    );
  });

  it('when users are searched with POST /Users/.search, then the answer is the list the same GET gives', async () => {
    const filter = 'userName sw "b" or userName sw "c"';
    const viaGet = await scim.get(
      `/Users?filter=${encodeURIComponent(filter)}&sortBy=userName&sortOrder=descending&startIndex=1&count=5&attributes=userName`,
    );
    const viaSearch = await scim.post('/Users/.search', {
      schemas: [SEARCH_REQUEST],
      filter,
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 1,
      count: 5,
      attributes: ['userName'],
    });
    assert.equal(viaSearch.status, 200, viaSearch.text);
    assert.match(String(viaSearch.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(viaSearch.body, viaGet.body);
    assert.deepEqual(userNames(viaSearch), ['cleo@a.example', 'bob@a.example']);
    assert.deepEqual(Object.keys((viaSearch.body as ScimList).Resources[0]!).sort(), [
      'id',
      'schemas',
      'userName',
    ]);
    const excluded = await scim.post('/Users/.search', {
      schemas: [SEARCH_REQUEST],
      excludedAttributes: ['emails'],
    });
    assert.equal((excluded.body as ScimList).totalResults, 4);
    assert.ok((excluded.body as ScimList).Resources.every((u) => !('emails' in u)));
  });

  it('when a search body is not a SearchRequest, then it is 400 invalidSyntax; a bad filter in it is invalidFilter', async () => {
    assertScimError(
      await scim.post('/Users/.search', { filter: 'userName pr' }),
      400,
      'invalidSyntax',
    );
    assertScimError(
      await scim.post('/Users/.search', { schemas: [SEARCH_REQUEST], count: '5' }),
      400,
      'invalidSyntax',
    );
    assertScimError(
      await scim.post('/Users/.search', { schemas: [SEARCH_REQUEST], attributes: [1] }),
      400,
      'invalidSyntax',
    );
    assertScimError(await scim.post('/Users/.search', [SEARCH_REQUEST]), 400, 'invalidSyntax');
    assertScimError(
      await scim.post('/Users/.search', { schemas: [SEARCH_REQUEST], filter: 'nope eq 1' }),
      400,
      'invalidFilter',
    );
  });

  it('when a user or group is fetched with If-None-Match naming its version, then it is 304 without a body; another version gets the resource', async () => {
    const id = ids.get('alice@a.example')!;
    const current = await scim.get(`/Users/${id}`);
    const etag = String(current.headers.etag);
    const notModified = await scim.get(`/Users/${id}`).set('If-None-Match', etag);
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.etag, etag);
    assert.equal(notModified.text, '');
    assert.equal(
      (await scim.get(`/Users/${id}`).set('If-None-Match', `"x", ${etag.slice(2)}`)).status,
      304,
    );
    assert.equal((await scim.get(`/Users/${id}`).set('If-None-Match', '*')).status, 304);
    const patch = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'title', value: 'Countess' }],
    });
    assert.equal(patch.status, 200, patch.text);
    const changed = await scim.get(`/Users/${id}`).set('If-None-Match', etag);
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
    assert.equal((changed.body as { title: string }).title, 'Countess');

    const group = await scim.post('/Groups', groupBody('etagged'));
    const groupId = (group.body as { id: string }).id;
    const groupEtag = String(group.headers.etag);
    assert.equal(
      (await scim.get(`/Groups/${groupId}`).set('If-None-Match', groupEtag)).status,
      304,
    );
    assert.equal((await scim.get(`/Groups/${groupId}`).set('If-None-Match', 'W/"0"')).status, 200);
  });

  it('when ServiceProviderConfig is asked, then it says sort is supported', async () => {
    const spc = (await scim.get('/ServiceProviderConfig')).body as { sort: { supported: boolean } };
    assert.equal(spc.sort.supported, true);
  });
});
