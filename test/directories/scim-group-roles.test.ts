import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type * as oidc from 'openid-client';
import { isAppError } from '../../src/platform/errors.js';
import { verifiedDomain } from '../support/federation-seed.js';
import {
  CONTEXT,
  PLATFORM,
  claimsOf,
  startOAuthFixture,
  type OAuthFixture,
} from '../support/oauth.js';
import {
  createdId,
  groupBody,
  PATCH_OP,
  scimClient,
  userBody,
  type ScimClient,
} from '../support/scim.js';

/**
 * Groups → roles (issue 17): with a role_mapping on the directory, a managed user's roles
 * are what its groups map to, recomputed in the transaction of every change, and carried
 * by the next access token. Real Redis and PostgreSQL, the real token issuance path.
 */
describe('SCIM groups give directory-managed users their roles', () => {
  let f: OAuthFixture;
  let rp: oidc.Configuration;
  let scim: ScimClient;
  let directoryId: string;

  const setMapping = (mapping: Record<string, string>) =>
    f.t.app.directories.update(
      f.org.id,
      directoryId,
      { role_mapping: mapping },
      null,
      PLATFORM,
      CONTEXT,
    );
  const rolesOf = async (userId: string) =>
    (await f.t.app.db.query<{ roles: string[] }>('SELECT roles FROM users WHERE id = $1', [userId]))
      .rows[0]!.roles;
  /**
   * The roles claim of a fresh access token of the user (a new session, the code flow),
   * right after the write: the token path's user cache forgets what a write in this
   * process changed (ProfileChanges), without waiting out DIRECTORY_CACHE_MS.
   */
  const tokenRoles = async (userId: string) => {
    const { token } = await f.openSession(userId);
    const { tokens } = await f.signIn(rp, token);
    return (claimsOf(tokens.access_token).roles as string[]).slice().sort();
  };
  const provision = async (name: string, roles: string[] = []) => {
    const created = await scim.post(
      '/Users',
      userBody(`${name}@acme.example`, { externalId: name }),
    );
    assert.equal(created.status, 201, created.text);
    const id = (created.body as { id: string }).id;
    // The person signs in through SSO; the connection's group claims give `roles`.
    assert.equal((await f.makeUser(name, roles)).id, id);
    return id;
  };
  const group = (name: string, members: string[]) =>
    createdId(scim, '/Groups', groupBody(name, members));

  before(async () => {
    f = await startOAuthFixture();
    const app = await f.registerClient();
    rp = await f.relyingParty(app.client, app.secret);
    await verifiedDomain(f.t, f.org.id, 'acme.example');
    const directory = await f.t.app.directories.create(
      f.org.id,
      { name: 'Entra ID', role_mapping: { Editors: 'ads.editor', Viewers: 'ads.viewer' } },
      PLATFORM,
      CONTEXT,
    );
    directoryId = directory.id;
    const issued = await f.t.app.directories.issueToken(f.org.id, directory.id, PLATFORM, CONTEXT);
    scim = scimClient(f.t.app.http, directory.id, issued.secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  it('when a user joins and leaves mapped groups, then its roles follow in the same write, its next access token carries them, and each change is audited', async () => {
    const dora = await provision('dora');
    const editors = await group('Editors', [dora]);
    assert.deepEqual(await rolesOf(dora), ['ads.editor']);
    assert.deepEqual(await tokenRoles(dora), ['ads.editor']);
    const viewers = await group('Viewers', []);
    const joined = await scim.patch(`/Groups/${viewers}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: dora }] }],
    });
    assert.equal(joined.status, 200, joined.text);
    assert.deepEqual(await rolesOf(dora), ['ads.editor', 'ads.viewer']);
    assert.deepEqual(await tokenRoles(dora), ['ads.editor', 'ads.viewer']);
    const left = await scim.patch(`/Groups/${editors}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${dora}"]` }],
    });
    assert.equal(left.status, 200, left.text);
    assert.deepEqual(await tokenRoles(dora), ['ads.viewer']);
    const { rows } = await f.t.app.db.query<{ actor_type: string; data: Record<string, unknown> }>(
      `SELECT actor_type, data FROM audit_events
       WHERE type = 'scim.user.updated' AND target_id = $1 AND data->>'reason' = 'group_roles'`,
      [dora],
    );
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.actor_type === 'scim_directory'));
  });

  it('when a mapped group is renamed or deleted, then its members lose its role; a rename to a mapped name gives that one', async () => {
    const eli = await provision('eli');
    const id = await group('Editors', [eli]);
    assert.deepEqual(await rolesOf(eli), ['ads.editor']);
    const renamed = await scim.patch(`/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Viewers' }],
    });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual(await rolesOf(eli), ['ads.viewer']);
    assert.equal((await scim.delete(`/Groups/${id}`)).status, 204);
    assert.deepEqual(await rolesOf(eli), []);
    assert.deepEqual(await tokenRoles(eli), []);
  });

  it('when the mapping changes through the admin API, then every managed user is recomputed in that transaction; an empty mapping leaves roles alone', async () => {
    const fay = await provision('fay');
    await group('Analysts', [fay]);
    assert.deepEqual(await rolesOf(fay), []);
    await setMapping({ Editors: 'ads.editor', Viewers: 'ads.viewer', Analysts: 'ads.analyst' });
    assert.deepEqual(await tokenRoles(fay), ['ads.analyst']);
    const { rows } = await f.t.app.db.query<{ actor_type: string }>(
      `SELECT actor_type FROM audit_events WHERE type = 'scim.user.updated' AND target_id = $1
         AND data->>'reason' = 'directory_role_mapping'`,
      [fay],
    );
    assert.deepEqual(rows, [{ actor_type: 'api_key' }]);
    await setMapping({});
    assert.deepEqual(await rolesOf(fay), ['ads.analyst']);
    await setMapping({ Editors: 'ads.editor', Viewers: 'ads.viewer' });
    assert.deepEqual(await rolesOf(fay), []);
  });

  it("when a managed user signs in through SSO with group claims, then the connection's roles do not overwrite the directory's, nor can the admin API; without a mapping they do", async () => {
    const gil = await provision('gil');
    await group('Editors', [gil]);
    const signedIn = await f.makeUser('gil', ['ads.admin']);
    assert.deepEqual(signedIn.roles, ['ads.editor']);
    assert.deepEqual(await tokenRoles(gil), ['ads.editor']);
    // The admin API cannot set them either while the directory maps roles (409).
    const refused = f.t.app.users.update(
      f.org.id,
      gil,
      { roles: ['ads.admin'] },
      null,
      PLATFORM,
      CONTEXT,
    );
    await assert.rejects(refused, (error: unknown) => {
      assert.ok(isAppError(error));
      assert.equal(error.code, 'directory_managed');
      return true;
    });
    await setMapping({});
    assert.deepEqual((await f.makeUser('gil', ['ads.admin'])).roles, ['ads.admin']);
    await setMapping({ Editors: 'ads.editor', Viewers: 'ads.viewer' });
    assert.deepEqual(await rolesOf(gil), ['ads.editor']);
  });

  it('when a user is provisioned by linking to an existing user with roles, then the directory sets them (no groups: none); a SCIM DELETE takes the group roles away', async () => {
    const hal = await f.makeUser('hal', ['ads.admin']);
    const created = await scim.post('/Users', userBody('hal@acme.example', { externalId: 'hal' }));
    assert.equal(created.status, 201, created.text);
    assert.equal((created.body as { id: string }).id, hal.id);
    assert.deepEqual(await rolesOf(hal.id), []);
    await group('Viewers', [hal.id]);
    assert.deepEqual(await rolesOf(hal.id), ['ads.viewer']);
    assert.equal((await scim.delete(`/Users/${hal.id}`)).status, 204);
    assert.deepEqual(await rolesOf(hal.id), []);
  });
});
