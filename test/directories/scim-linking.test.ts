import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProvisionInput } from '../../src/orgs/index.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { scimDirectory, scimDomains, userBody, type ScimClient } from '../support/scim.js';
import { insertConnection } from '../support/sql-fixtures.js';

describe('SCIM identity linking: one person, one Latchkey user, never across orgs', () => {
  let f: AdminFixture;
  let scim: ScimClient;
  let directoryId: string;
  let connA: string;
  let connB: string;
  const context = { requestId: 'req-login', ip: '203.0.113.7', userAgent: 'test' };

  /** A sign-in through SSO, as the OIDC callback and the SAML ACS provision it. */
  const signIn = (input: Partial<ProvisionInput> & { subject: string; email: string }) =>
    f.t.app.users.provisionFromIdentity(
      { orgId: f.orgA.id, connectionId: connA, emailVerified: true, ...input },
      context,
    );
  const created = async (userName: string, extra: Record<string, unknown> = {}) => {
    const res = await scim.post('/Users', userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body as { id: string };
  };
  const linkedBy = async (userId: string) => {
    const { rows } = await f.t.app.db.query<{ data: { linked_by: string } }>(
      `SELECT data FROM audit_events WHERE type = 'scim.user.created' AND target_id = $1`,
      [userId],
    );
    return rows[0]?.data.linked_by;
  };

  before(async () => {
    f = await startAdminFixture();
    await scimDomains(f);
    ({ scim, id: directoryId } = await scimDirectory(f, f.orgA));
    connA = (await insertConnection(f.t.app.db, f.orgA.id)).id;
    connB = (await insertConnection(f.t.app.db, f.orgB.id)).id;
  });
  after(async () => {
    await f.t.close();
  });

  it('when a user signed in before and the directory sends their subject as externalId, then the SCIM user is that user', async () => {
    const { user } = await signIn({ subject: 'okta-00u1', email: 'first@a.example' });
    const scimUser = await created('first.renamed@a.example', { externalId: 'okta-00u1' });
    assert.equal(scimUser.id, user.id);
    assert.equal(await linkedBy(user.id), 'external_id');
    const after = await f.t.app.users.getUser(user.id);
    assert.equal(after!.scimDirectoryId, directoryId);
    assert.equal(after!.email, 'first.renamed@a.example');
  });

  it('when a user signed in before and the directory sends the same email, then the SCIM user is that user', async () => {
    const { user } = await signIn({ subject: 'sub-by-mail', email: 'Mail.Match@a.example' });
    const scimUser = await created('mail.match@a.example', { externalId: 'entra-object-1' });
    assert.equal(scimUser.id, user.id);
    assert.equal(await linkedBy(user.id), 'email');
  });

  it('when the directory provisions first, then the first SSO sign-in (by subject, or by verified email) is that user', async () => {
    const bySubject = await created('later1@a.example', { externalId: 'sub-later-1' });
    const first = await signIn({ subject: 'sub-later-1', email: 'later1@a.example' });
    assert.equal(first.user.id, bySubject.id);
    assert.equal(first.created, false);
    const again = await signIn({ subject: 'sub-later-1', email: 'later1@a.example' });
    assert.equal(again.user.id, bySubject.id);

    const byEmail = await created('later2@a.example', { externalId: 'entra-object-2' });
    const second = await signIn({ subject: 'saml-nameid-2', email: 'LATER2@a.example' });
    assert.equal(second.user.id, byEmail.id);
    assert.deepEqual(
      second.user.identities.map((i) => i.subject),
      ['saml-nameid-2'],
    );
  });

  it('when the IdP did not verify the email, then a sign-in does not link by it (a new user)', async () => {
    const provisioned = await created('unverified@a.example', { externalId: 'entra-object-3' });
    const signedIn = await signIn({
      subject: 'sub-unverified',
      email: 'unverified@a.example',
      emailVerified: false,
    });
    assert.notEqual(signedIn.user.id, provisioned.id);
    assert.equal(signedIn.created, true);
  });

  it('when another org has a user with the same subject or email, then nothing links across orgs', async () => {
    const other = await f.t.app.users.provisionFromIdentity(
      {
        orgId: f.orgB.id,
        connectionId: connB,
        subject: 'shared-subject',
        email: 'x@b.example',
        emailVerified: true,
      },
      context,
    );
    const mine = await created('shared@a.example', { externalId: 'shared-subject' });
    assert.notEqual(mine.id, other.user.id);
    assert.equal(await linkedBy(mine.id), 'new');
    // And org B's sign-in with that subject stays org B's user.
    const again = await f.t.app.users.provisionFromIdentity(
      {
        orgId: f.orgB.id,
        connectionId: connB,
        subject: 'shared-subject',
        email: 'x@b.example',
        emailVerified: true,
      },
      context,
    );
    assert.equal(again.user.id, other.user.id);
  });

  it('when the person is already provisioned (by this directory or another), then create is 409 uniqueness, not a second account', async () => {
    await created('taken@a.example', { externalId: 'ext-taken' });
    const second = await scimDirectory(f, f.orgA, 'Okta');
    const res = await second.scim.post(
      '/Users',
      userBody('taken@a.example', { externalId: 'okta-taken' }),
    );
    assert.equal(res.status, 409, res.text);
    assert.equal((res.body as { scimType: string }).scimType, 'uniqueness');
    const { rows } = await f.t.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE org_id = $1 AND lower(email) = 'taken@a.example'`,
      [f.orgA.id],
    );
    assert.equal(rows[0]!.n, 1);
  });

  it('when the admin API reads a directory-managed user, then it is marked, and renaming, reactivating or deleting it is 409 directory_managed', async () => {
    const user = await created('managed@a.example');
    const path = `/api/v1/orgs/${f.orgA.id}/users/${user.id}`;
    const got = await f.orgA.admin.get(path);
    assert.equal((got.body as { scim_directory_id: string }).scim_directory_id, directoryId);
    const rename = await f.orgA.admin.patch(path, { name: 'Someone Else' });
    assert.equal(rename.status, 409);
    assert.equal((rename.body as { code: string }).code, 'directory_managed');
    assert.equal((await f.orgA.admin.patch(path, { roles: ['ads:viewer'] })).status, 200);
    assert.equal((await f.orgA.admin.post(`${path}/deactivate`)).status, 200);
    const reactivate = await f.orgA.admin.post(`${path}/reactivate`);
    assert.equal(reactivate.status, 409);
    assert.equal((reactivate.body as { code: string }).code, 'directory_managed');
    const remove = await f.orgA.admin.delete(path);
    assert.equal(remove.status, 409);
    assert.equal((await f.orgA.admin.get(path)).status, 200);
  });

  it("when the admin API lists users by scim_directory_id, then it returns exactly the directory's users", async () => {
    const other = await scimDirectory(f, f.orgA, 'Other directory');
    const mine = await created('listed@a.example');
    const theirs = await other.scim.post('/Users', userBody('elsewhere@a.example'));
    assert.equal(theirs.status, 201, theirs.text);
    const list = await f.orgA.admin.get(
      `/api/v1/orgs/${f.orgA.id}/users?limit=200&scim_directory_id=${other.id}`,
    );
    assert.equal(list.status, 200, list.text);
    const ids = (list.body as { items: Array<{ id: string }> }).items.map((u) => u.id);
    assert.deepEqual(ids, [(theirs.body as { id: string }).id]);
    assert.ok(!ids.includes(mine.id));
    const bad = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/users?scim_directory_id=nope`);
    assert.equal(bad.status, 400);
  });
});
