import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { verifiedDomain } from '../support/federation-seed.js';
import {
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE_USER,
  PATCH_OP,
  scimDirectory,
  type ScimClient,
} from '../support/scim.js';

type ScimList = { totalResults: number; Resources: Array<Record<string, unknown>> };
type ScimUser = Record<string, unknown> & { id: string; schemas: string[]; active?: boolean };

const byUserName = (userName: string) =>
  `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

/**
 * OneLogin's "SCIM Provisioner with SAML (SCIM v2 Enterprise)" connector. OneLogin sends
 * what the admin's "SCIM JSON Template" makes of each user, so the shapes below are the
 * templates OneLogin and the services it provisions document, filled in:
 *
 * - `oneLoginTemplate`: the v2 Enterprise template as service providers publish it for
 *   this connector (Living Security, "Configuring SCIM for OneLogin"; Templafy, "How to
 *   setup SCIM for OneLogin", which adds `externalId` and `displayName`): core + enterprise
 *   schemas, `userName` from the scimusername parameter, `name`, a primary work email, and
 *   parameters (title, userType, timezone, addresses, organization, division, manager). A
 *   parameter the user has no value for comes out as "" (template substitution; assumed,
 *   not documented), which must not break the create.
 * - `emails` as one object, not a list: OneLogin's own documented "OneLogin Enterprise User
 *   Schema" template (developers.onelogin.com, "Define your SCIM user schema") has it so,
 *   and django-scim2 reads it as "OneLogin sends a dict despite the spec".
 * - A custom attribute under an extension URN of the admin's own, as OneLogin's "Creating
 *   SCIM Custom Connectors" (KB0013904, "provisioning additional attributes") lets admins add.
 * - Group membership through /Groups, never in the user (KB0013904: "Do not include group
 *   information in the SCIM schema"); OneLogin's Rules set a user's groups. The exact PATCH
 *   bodies are not documented: the test replays both removal shapes clients use (RFC 7644
 *   §3.5.2.2's value-filter path and the `members` value list), and a PatchOp without
 *   `schemas`.
 * - Suspension as `active: false` and deletion as DELETE, the connector's two
 *   deprovisioning actions (Provisioning tab, "When users are deleted in OneLogin … Delete /
 *   Suspend"). Whether the suspension comes as PUT of the whole template or a PATCH is not
 *   documented: both are replayed. The lookup by userName before a create is assumed, as
 *   Okta and Entra ID do it.
 */
describe('SCIM clients: OneLogin and Google Workspace as documented', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
    await verifiedDomain(f.t, f.orgA.id, 'onelogin.example');
    await verifiedDomain(f.t, f.orgA.id, 'google.example');
  });
  after(async () => {
    await f.t.close();
  });

  describe('OneLogin', () => {
    let scim: ScimClient;
    before(async () => {
      ({ scim } = await scimDirectory(f, f.orgA, 'OneLogin'));
    });

    const oneLoginTemplate = (email: string, extra: Record<string, unknown> = {}) => ({
      schemas: [CORE_USER, ENTERPRISE_USER],
      userName: email,
      externalId: email,
      name: { familyName: 'Lovelace', givenName: 'Ada', formatted: 'Ada Lovelace' },
      displayName: 'Ada Lovelace',
      title: '',
      userType: '',
      timezone: '',
      emails: [{ value: email, type: 'work', primary: true }],
      addresses: [{ locality: '', region: '', country: '' }],
      [ENTERPRISE_USER]: {
        organization: '',
        division: '',
        department: 'Engineering',
        manager: { value: '', displayName: ' ' },
      },
      ...extra,
    });

    it('when OneLogin looks up, creates from its v2 template, suspends (PUT and PATCH), reactivates and deletes a user, then each step answers as it expects', async () => {
      const email = 'ada.lovelace@onelogin.example';
      const lookup = await scim.get(byUserName(email));
      assert.equal(lookup.status, 200);
      assert.equal((lookup.body as ScimList).totalResults, 0);

      const created = await scim.post('/Users', oneLoginTemplate(email));
      assert.equal(created.status, 201, created.text);
      const user = created.body as ScimUser;
      assert.equal(user.title, '');
      assert.deepEqual(user[ENTERPRISE_USER], {
        organization: '',
        division: '',
        department: 'Engineering',
        manager: { value: '', displayName: ' ' },
      });
      const latchkey = await f.t.app.users.getUser(user.id);
      assert.equal(latchkey!.email, email);
      assert.equal(latchkey!.name, 'Ada Lovelace');
      assert.equal(((await scim.get(byUserName(email))).body as ScimList).totalResults, 1);

      const suspended = await scim.put(
        `/Users/${user.id}`,
        oneLoginTemplate(email, { active: false }),
      );
      assert.equal(suspended.status, 200, suspended.text);
      assert.equal((await f.t.app.users.getUser(user.id))!.status, 'deactivated');
      const back = await scim.put(`/Users/${user.id}`, oneLoginTemplate(email, { active: true }));
      assert.equal(back.status, 200, back.text);
      assert.equal((await f.t.app.users.getUser(user.id))!.status, 'active');
      const patched = await scim.patch(`/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal((await f.t.app.users.getUser(user.id))!.status, 'deactivated');

      assert.equal((await scim.delete(`/Users/${user.id}`)).status, 204);
      assert.equal((await scim.get(`/Users/${user.id}`)).status, 404);
    });

    it('when OneLogin sends emails as one object and an unset email as "", then the address is still found', async () => {
      const single = await scim.post('/Users', {
        ...oneLoginTemplate('grace.hopper@onelogin.example'),
        emails: { value: 'grace.hopper@onelogin.example', type: 'work', primary: true },
      });
      assert.equal(single.status, 201, single.text);
      assert.deepEqual((single.body as ScimUser).emails, [
        { value: 'grace.hopper@onelogin.example', type: 'work', primary: true },
      ]);
      const blank = await scim.post('/Users', {
        ...oneLoginTemplate('alan.turing@onelogin.example'),
        emails: [{ value: '', type: 'work', primary: true }],
      });
      assert.equal(blank.status, 201, blank.text);
      const id = (blank.body as ScimUser).id;
      assert.equal((await f.t.app.users.getUser(id))!.email, 'alan.turing@onelogin.example');
    });

    it('when a OneLogin template carries a custom extension URN and attributes of its own, then they are ignored, not refused, and not kept', async () => {
      const custom = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
      const created = await scim.post('/Users', {
        ...oneLoginTemplate('katherine.johnson@onelogin.example'),
        schemas: [CORE_USER, ENTERPRISE_USER, custom],
        [custom]: { costCenter: '4711', badge: 12 },
        prefferedLanguage: 'en',
      });
      assert.equal(created.status, 201, created.text);
      const user = created.body as ScimUser;
      assert.deepEqual(user.schemas, [CORE_USER, ENTERPRISE_USER]);
      assert.equal(user[custom], undefined);
      const { rows } = await f.t.app.db.query<{ resource: unknown }>(
        'SELECT resource FROM scim_users WHERE user_id = $1',
        [user.id],
      );
      assert.ok(!JSON.stringify(rows[0]!.resource).includes('4711'));
    });

    it('when OneLogin pushes group memberships (add, both removal shapes, a PatchOp without schemas), then the members follow; a member id that is not ours is 400, not 500', async () => {
      const member = async (email: string) => {
        const res = await scim.post('/Users', oneLoginTemplate(email));
        assert.equal(res.status, 201, res.text);
        return (res.body as ScimUser).id;
      };
      const mary = await member('mary.jackson@onelogin.example');
      const dorothy = await member('dorothy.vaughan@onelogin.example');
      const group = await scim.post('/Groups', {
        schemas: [CORE_GROUP],
        displayName: 'Engineering',
        members: [],
      });
      assert.equal(group.status, 201, group.text);
      const groupId = (group.body as { id: string }).id;
      const members = async () =>
        (
          (await scim.get(`/Groups/${groupId}`)).body as { members?: Array<{ value: string }> }
        ).members
          ?.map((m) => m.value)
          .sort() ?? [];

      const added = await scim.patch(`/Groups/${groupId}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [{ value: mary }, { value: dorothy }] }],
      });
      assert.equal(added.status, 200, added.text);
      assert.deepEqual(await members(), [mary, dorothy].sort());
      assert.deepEqual(
        (
          (await scim.get(`/Users/${mary}`)).body as { groups: Array<{ display: string }> }
        ).groups.map((g) => g.display),
        ['Engineering'],
      );

      const byFilter = await scim.patch(`/Groups/${groupId}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: `members[value eq "${mary}"]` }],
      });
      assert.equal(byFilter.status, 200, byFilter.text);
      assert.deepEqual(await members(), [dorothy]);
      const byValue = await scim.patch(`/Groups/${groupId}`, {
        Operations: [{ op: 'remove', path: 'members', value: [{ value: dorothy }] }],
      });
      assert.equal(byValue.status, 200, byValue.text);
      assert.deepEqual(await members(), []);

      for (const value of ['12345', 12345]) {
        const foreign = await scim.patch(`/Groups/${groupId}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: mary }, { value }] }],
        });
        assert.equal(foreign.status, 400, foreign.text);
        assert.equal((foreign.body as { scimType: string }).scimType, 'invalidValue');
        assert.deepEqual(await members(), [], 'nothing of the PATCH applies');
      }
    });
  });

  /**
   * Google Workspace's automated user provisioning for a custom SAML app (Admin console,
   * the app's "Auto-provisioning"). Google documents the set-up, not the requests, so these
   * come from what SCIM servers logged of it:
   *
   * - The first requests: `GET /Users` (snipe-it issue 12642, 2023), `GET /Users?count=1`
   *   (authn.sh's Google Workspace guide), then a lookup `GET /Users?filter=userName eq
   *   "…"&startIndex=1` (snipe-it issue 12642, 2024 log).
   * - The create, as logged in snipe-it issue 12642: `schemas` names SCIM 1.0's core URN
   *   beside the 2.0 one; `userName` and the one primary work email are the primary email;
   *   `displayName`, `name.givenName` / `familyName`, `active`. The log is cut after
   *   `active`; nothing else is assumed.
   * - `Content-Type: application/json`, not application/scim+json, User-Agent
   *   "Google-Auto-Provisioning" (scimitar issue 142); sent here with `; charset=utf-8`.
   * - Deprovisioning is the admin's choice per trigger (app access off, user suspended, user
   *   deleted): suspend or delete (authn.sh's guide, Google's "Automated user provisioning"
   *   help). How a suspension is sent is not documented: PATCH `active: false` is assumed
   *   (Google Cloud Identity's own SCIM API has PATCH and no PUT), and PUT is replayed too.
   * - Google pushes no groups: groups and organizational units only choose whom it provisions.
   */
  describe('Google Workspace', () => {
    let token: string;
    let base: string;
    before(async () => {
      const directory = await scimDirectory(f, f.orgA, 'Google Workspace');
      token = directory.token;
      base = directory.scim.base;
    });

    /** A request as Google sends it: application/json with a charset, its own User-Agent. */
    const google = (
      method: 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: string,
      body?: unknown,
    ) => {
      const agent = request(f.t.app.http);
      const r = agent[method](`${base}${path}`)
        .set('Authorization', `Bearer ${token}`)
        .set('User-Agent', 'Google-Auto-Provisioning');
      return body === undefined
        ? r
        : r.set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(body));
    };

    const googleUser = (email: string, extra: Record<string, unknown> = {}) => ({
      schemas: ['urn:scim:schemas:core:1.0', CORE_USER],
      userName: email,
      emails: [{ primary: true, value: email, type: 'work' }],
      displayName: 'Margaret Hamilton',
      name: { givenName: 'Margaret', familyName: 'Hamilton' },
      active: true,
      ...extra,
    });

    it('when Google tests the connection and looks a user up, then the lists answer 200', async () => {
      for (const path of [
        '/Users',
        '/Users?count=1',
        `${byUserName('nobody@google.example')}&startIndex=1`,
      ]) {
        const res = await google('get', path);
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
      }
    });

    it('when Google creates (SCIM 1.0 and 2.0 URNs, application/json), suspends by PATCH and PUT and deletes a user, then each step answers as it expects', async () => {
      const email = 'margaret.hamilton@google.example';
      const created = await google('post', '/Users', googleUser(email));
      assert.equal(created.status, 201, created.text);
      const user = created.body as ScimUser;
      assert.deepEqual(user.schemas, [CORE_USER]);
      const latchkey = await f.t.app.users.getUser(user.id);
      assert.equal(latchkey!.email, email);
      assert.equal(latchkey!.name, 'Margaret Hamilton');
      const found = await google('get', `${byUserName(email)}&startIndex=1`);
      assert.equal((found.body as ScimList).totalResults, 1);

      const suspended = await google('patch', `/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      });
      assert.equal(suspended.status, 200, suspended.text);
      assert.equal((await f.t.app.users.getUser(user.id))!.status, 'deactivated');
      const restored = await google('put', `/Users/${user.id}`, googleUser(email));
      assert.equal(restored.status, 200, restored.text);
      assert.equal((await f.t.app.users.getUser(user.id))!.status, 'active');
      const putSuspended = await google(
        'put',
        `/Users/${user.id}`,
        googleUser(email, { active: false }),
      );
      assert.equal(putSuspended.status, 200, putSuspended.text);
      assert.equal((await f.t.app.users.getUser(user.id))!.status, 'deactivated');

      assert.equal((await google('delete', `/Users/${user.id}`)).status, 204);
      assert.equal((await google('get', `/Users/${user.id}`)).status, 404);
    });

    it('when schema URNs or Operations come in another case, then they are the same (RFC 7644 §3.10)', async () => {
      const created = await google('post', '/Users', {
        ...googleUser('mary.somerville@google.example'),
        schemas: [CORE_USER.toUpperCase(), ENTERPRISE_USER.toLowerCase()],
        [ENTERPRISE_USER.toLowerCase()]: { department: 'Astronomy' },
      });
      assert.equal(created.status, 201, created.text);
      const user = created.body as ScimUser;
      assert.deepEqual(user.schemas, [CORE_USER, ENTERPRISE_USER]);
      assert.deepEqual(user[ENTERPRISE_USER], { department: 'Astronomy' });
      const patched = await google('patch', `/Users/${user.id}`, {
        schemas: [PATCH_OP.toUpperCase()],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Mary Somerville' }],
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal((patched.body as ScimUser).displayName, 'Mary Somerville');
      const lowerCase = await google('patch', `/Users/${user.id}`, {
        operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      });
      assert.equal(lowerCase.status, 200, lowerCase.text);
      assert.equal((await f.t.app.users.getUser(user.id))!.status, 'deactivated');
    });
  });
});
