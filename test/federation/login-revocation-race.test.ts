import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const ISSUER = 'https://latchkey.test';

/**
 * ASVS V3.3.x / V4.1.x: when an admin deletes an org or deactivates a user, no session of
 * theirs survives, including one whose login was in flight at that moment (the sweep of
 * sessions runs right after the status change; a login that had already checked the
 * status must not open a session the sweep missed).
 */
describe('a login in flight while its org is deleted or its user deactivated', () => {
  let t: TestApp;
  let idp: FakeIdp;
  let slug = 0;

  before(async () => {
    idp = await startFakeIdp();
    t = await startTestApp({ env: { LATCHKEY_SERVER_ISSUER: ISSUER } });
  });
  after(async () => {
    await t.close();
    await idp.close();
  });

  const http = () => request(t.app.http);

  /** An org with a verified domain and an active connection to the fake IdP. */
  async function newOrg() {
    slug += 1;
    const domain = `org${slug}.test`;
    const org = await t.app.orgs.create({ slug: `org${slug}`, name: `Org ${slug}` }, platform, ctx);
    await verifiedDomain(t, org.id, domain);
    await activeOidcConnection(t, org.id, idp, { name: 'IdP' });
    return { orgId: org.id, domain };
  }

  /** Logs in, running `meanwhile` just after the user is provisioned (before the session). */
  async function loginWhile(domain: string, meanwhile: (userId: string) => Promise<void>) {
    idp.next({ sub: 'alice', email: `alice@${domain}`, email_verified: true, name: 'Alice' });
    const start = await http().get(`/login?login_hint=alice%40${domain}&return_to=%2Faccount`);
    assert.equal(start.status, 303, start.text);
    const tx = (start.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    const back = await fetch(start.headers.location!, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    const users = t.app.users;
    const original = users.provisionFromIdentity.bind(users);
    users.provisionFromIdentity = async (...args) => {
      const result = await original(...args);
      await meanwhile(result.user.id);
      return result;
    };
    try {
      return await http()
        .get(callback.pathname + callback.search)
        .set('cookie', tx);
    } finally {
      users.provisionFromIdentity = original;
    }
  }

  const sessionToken = (res: request.Response) =>
    ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? [])
      .map((c) => /^__Host-latchkey=([^;]+)/.exec(c)?.[1])
      .find(Boolean) ?? null;

  it('when the org is deleted while a login is completing, then no session of the org is left and the account page is not served', async () => {
    const { orgId, domain } = await newOrg();
    const res = await loginWhile(domain, async () => {
      await t.app.orgs.remove(orgId, null, platform, ctx);
    });
    const token = sessionToken(res);
    assert.deepEqual(
      await t.app.sessions.listForOrg(orgId),
      [],
      'no live session in a deleted org',
    );
    if (token) {
      const page = await http().get('/account').set('cookie', `__Host-latchkey=${token}`);
      assert.notEqual(page.status, 200, 'the account page of a deleted org');
    }
  });

  it('when the user is deactivated while their login is completing, then no session of theirs is left', async () => {
    const { orgId, domain } = await newOrg();
    let userId = '';
    const res = await loginWhile(domain, async (id) => {
      userId = id;
      await t.app.users.deactivate(orgId, id, platform, ctx);
    });
    assert.deepEqual(await t.app.sessions.listForUser(orgId, userId), []);
    assert.equal(res.status, 400, 'the login fails');
    assert.equal(sessionToken(res), null, 'no session cookie');
    assert.match(res.text, /user_deactivated/);
  });

  it('when a session of a deleted org is presented (a sweep that failed), then the account page refuses it', async () => {
    const { orgId, domain } = await newOrg();
    const res = await loginWhile(domain, () => Promise.resolve());
    const token = sessionToken(res)!;
    // The org is marked deleted, but its sessions were not swept (Redis failed then).
    await t.app.db.query(`UPDATE orgs SET status = 'disabled' WHERE id = $1`, [orgId]);
    const page = await http().get('/account').set('cookie', `__Host-latchkey=${token}`);
    assert.equal(page.status, 403, page.text);
  });
});
