import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  clientStore,
  DEFAULT_ORG_SETTINGS,
  memberProfiles,
  orgStore,
  type Org,
  type User,
} from '../../src/orgs/index.js';
import { databaseKinds, type DatabaseHarness } from '../support/databases.js';

const at = new Date('2026-01-01T00:00:00Z');

const anOrg = (status: Org['status']): Org => ({
  id: randomUUID(),
  slug: `org-${randomUUID().slice(0, 8)}`,
  name: `Org ${status}`,
  status,
  settings: DEFAULT_ORG_SETTINGS,
  createdAt: at,
  updatedAt: at,
  version: 1,
});

const aUser = (orgId: string, status: User['status'] = 'active'): User => ({
  id: randomUUID(),
  orgId,
  email: `someone-${randomUUID().slice(0, 8)}@example.com`,
  emailVerified: true,
  name: 'Someone',
  roles: [],
  status,
  identities: [],
  scimDirectoryId: null,
  lastLoginAt: null,
  createdAt: at,
  updatedAt: at,
  version: 1,
});

for (const [kind, open] of Object.entries(databaseKinds)) {
  describe(`member profiles and registered redirect URIs (${kind})`, () => {
    let harness: DatabaseHarness;
    const users = new Map<string, User>();
    let profile: ReturnType<typeof memberProfiles>;
    let active: Org;
    let disabled: Org;
    let another: Org;

    before(async () => {
      harness = await open();
      profile = memberProfiles({
        db: harness.db,
        users: { getUser: (id) => Promise.resolve(users.get(id) ?? null) },
      });
      [active, disabled, another] = [anOrg('active'), anOrg('disabled'), anOrg('active')];
      for (const org of [active, disabled, another]) await orgStore(harness.db).insert(org);
    });
    after(() => harness.teardown());

    const member = (org: Org, status: User['status'] = 'active') => {
      const user = aUser(org.id, status);
      users.set(user.id, user);
      return user;
    };

    it('when an active user of an active org asks, then they get their profile', async () => {
      const user = member(active);
      assert.deepEqual(await profile(active.id, user.id), {
        email: user.email,
        name: 'Someone',
        orgName: active.name,
      });
    });

    it('when the user is deactivated, then there is no profile', async () => {
      const user = member(active, 'deactivated');
      assert.equal(await profile(active.id, user.id), null);
    });

    it('when the org is disabled, then its active user has no profile', async () => {
      const user = member(disabled);
      assert.equal(await profile(disabled.id, user.id), null);
    });

    it('when the user belongs to another org, then there is no profile', async () => {
      const user = member(another);
      assert.equal(await profile(active.id, user.id), null);
    });

    it('when the user or the org is unknown, then there is no profile', async () => {
      assert.equal(await profile(active.id, randomUUID()), null);
      const user = member(active);
      assert.equal(await profile(randomUUID(), user.id), null);
    });

    it('when only a disabled client registered a redirect URI, then it is not registered', async () => {
      const store = clientStore(harness.db);
      const client = (status: 'active' | 'disabled', redirectUris: string[]) => ({
        id: `lkc_${randomUUID().replaceAll('-', '').slice(0, 22)}`,
        name: `client ${status}`,
        type: 'public' as const,
        status,
        redirectUris,
        postLogoutRedirectUris: [],
        grantTypes: ['authorization_code' as const],
        backchannelLogoutUri: null,
        allowedScopes: ['openid'],
        allowedAudiences: [],
        accessTokenTtlSeconds: 300,
        defaultAcrValues: [],
        createdAt: at,
        updatedAt: at,
        version: 1,
      });
      await store.insert(
        client('active', ['https://app.example.com/cb', 'https://app.example.com/other']),
      );
      await store.insert(client('disabled', ['https://old.example.com/cb']));
      assert.equal(await store.hasActiveRedirectUri('https://app.example.com/other'), true);
      assert.equal(await store.hasActiveRedirectUri('https://old.example.com/cb'), false);
      assert.equal(await store.hasActiveRedirectUri('https://app.example.com/cb/'), false);
      assert.equal(await store.hasActiveRedirectUri('https://app.example.com'), false);
    });
  });
}
