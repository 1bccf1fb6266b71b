import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { verifiedDomain } from '../support/federation-seed.js';
import { ENTERPRISE_USER, PATCH_OP, scimDirectory, type ScimClient } from '../support/scim.js';

type ScimList = {
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: unknown[];
};

/**
 * The payloads Entra ID and Okta are documented to send (Microsoft Learn, "Tutorial:
 * Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"; Okta Developer,
 * "SCIM 2.0 protocol reference"), with their quirks.
 */
describe('SCIM clients: Entra ID and Okta as documented', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
    await verifiedDomain(f.t, f.orgA.id, 'testuser.com');
    await verifiedDomain(f.t, f.orgA.id, 'okta.local');
  });
  after(async () => {
    await f.t.close();
  });

  describe('Entra ID', () => {
    let scim: ScimClient;
    before(async () => {
      ({ scim } = await scimDirectory(f, f.orgA, 'Entra ID'));
    });

    it('when Entra ID probes with a random userName, then the answer is 200 with an empty list', async () => {
      const res = await scim.get(
        `/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`,
      );
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
      const list = res.body as ScimList & { schemas: string[] };
      assert.deepEqual(list.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
      assert.equal(list.totalResults, 0);
      assert.deepEqual(list.Resources, []);
    });

    it('when Entra ID creates, finds by userName and externalId, PATCHes (capitalised ops, value paths, the enterprise manager) and deletes a user, then each step answers as it expects', async () => {
      const externalId = '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef';
      const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
      const created = await scim.post('/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
        externalId,
        userName,
        active: true,
        emails: [
          {
            primary: true,
            type: 'work',
            value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
          },
        ],
        meta: { resourceType: 'User' },
        name: {
          formatted: 'givenName familyName',
          familyName: 'familyName',
          givenName: 'givenName',
        },
        roles: [],
      });
      assert.equal(created.status, 201, created.text);
      const id = (created.body as { id: string }).id;

      const byUserName = await scim.get(
        `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
      );
      assert.equal((byUserName.body as ScimList).totalResults, 1);
      const byExternalId = await scim.get(
        `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`,
      );
      assert.equal((byExternalId.body as ScimList).totalResults, 1);

      const patched = await scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'Replace',
            path: 'emails[type eq "work"].value',
            value: 'updatedEmail@testuser.com',
          },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          {
            op: 'Add',
            path: `${ENTERPRISE_USER}:manager`,
            value: { value: '2819c223-7f76-453a-919d-ab1234567891' },
          },
          { op: 'Add', path: `${ENTERPRISE_USER}:employeeNumber`, value: '701984' },
        ],
      });
      assert.equal(patched.status, 200, patched.text);
      const body = patched.body as Record<string, unknown> & {
        emails: Array<{ value: string }>;
        name: { familyName: string };
      };
      assert.equal(body.emails[0]!.value, 'updatedEmail@testuser.com');
      assert.equal(body.name.familyName, 'updatedFamilyName');
      assert.deepEqual(body[ENTERPRISE_USER], {
        employeeNumber: '701984',
        manager: { value: '2819c223-7f76-453a-919d-ab1234567891' },
      });
      const user = await f.t.app.users.getUser(id);
      assert.equal(user!.email, 'updatedEmail@testuser.com');

      const renamed = await scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'Replace',
            path: 'userName',
            value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
          },
        ],
      });
      assert.equal(renamed.status, 200, renamed.text);

      const disabled = await scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      });
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal((disabled.body as { active: boolean }).active, false);
      assert.equal((await f.t.app.users.getUser(id))!.status, 'deactivated');
      const byFlag = await scim.get(`/Users?filter=${encodeURIComponent('active eq "False"')}`);
      assert.equal((byFlag.body as ScimList).totalResults, 1);
      const enabled = await scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
      });
      assert.equal((enabled.body as { active: boolean }).active, true);
      assert.equal((await f.t.app.users.getUser(id))!.status, 'active');

      assert.equal((await scim.delete(`/Users/${id}`)).status, 204);
      assert.equal((await scim.get(`/Users/${id}`)).status, 404);
    });
  });

  describe('Okta', () => {
    let scim: ScimClient;
    before(async () => {
      ({ scim } = await scimDirectory(f, f.orgA, 'Okta'));
    });

    const oktaUser = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    };

    it('when Okta checks, creates (with a password), updates by PUT and deactivates by PATCH without a path, then each answers as it expects and no password is kept', async () => {
      const check = await scim.get(
        `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`,
      );
      assert.equal(check.status, 200);
      assert.equal((check.body as ScimList).totalResults, 0);

      const created = await scim.post('/Users', oktaUser);
      assert.equal(created.status, 201, created.text);
      const id = (created.body as { id: string }).id;
      assert.ok(!created.text.includes('1mz050nq'));
      const { rows } = await f.t.app.db.query<{ resource: unknown }>(
        'SELECT resource FROM scim_users WHERE user_id = $1',
        [id],
      );
      assert.ok(!JSON.stringify(rows).includes('1mz050nq'), 'the password is not stored');

      const found = await scim.get(
        `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`,
      );
      assert.equal((found.body as ScimList).totalResults, 1);

      const put = await scim.put(`/Users/${id}`, {
        ...oktaUser,
        id,
        name: { givenName: 'Another', familyName: 'User' },
        displayName: 'Another User',
      });
      assert.equal(put.status, 200, put.text);
      assert.equal((put.body as { displayName: string }).displayName, 'Another User');
      assert.equal((await f.t.app.users.getUser(id))!.name, 'Another User');

      const deactivated = await scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      assert.equal(deactivated.status, 200, deactivated.text);
      assert.equal((await f.t.app.users.getUser(id))!.status, 'deactivated');

      const putActive = await scim.put(`/Users/${id}`, { ...oktaUser, id, active: true });
      assert.equal(putActive.status, 200, putActive.text);
      assert.equal((await f.t.app.users.getUser(id))!.status, 'active');
      const putInactive = await scim.put(`/Users/${id}`, { ...oktaUser, id, active: false });
      assert.equal(putInactive.status, 200, putInactive.text);
      assert.equal((await f.t.app.users.getUser(id))!.status, 'deactivated');
    });
  });
});
