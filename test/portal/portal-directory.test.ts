import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { scimClient, scimDirectory, scimDomains, userBody } from '../support/scim.js';

type Browser = ReturnType<typeof request.agent>;

const csrfOf = (page: string) => /name="csrf" value="([0-9a-f]{64})"/.exec(page)![1]!;
const tokenOf = (page: string) =>
  /<code data-copy="SCIM token" data-copy-label="[^"]*">([^<]+)<\/code>/.exec(page)?.[1] ?? null;
const countOf = (page: string, name: string) =>
  Number(new RegExp(`data-count="${name}">(\\d+)<`).exec(page)![1]);

describe('setup portal: Directory sync step', () => {
  const clock = createFakeClock(Date.UTC(2026, 5, 1, 9, 0, 0));
  let f: AdminFixture;

  before(async () => {
    f = await startAdminFixture({ clock });
    await scimDomains(f);
  });
  after(async () => {
    await f.t.close();
  });

  /** A portal session of org A for a link with these intents, in a new browser. */
  const portal = async (intents: string[]): Promise<Browser> => {
    clock.advance(1000);
    const made = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/portal-links`, { intents });
    assert.equal(made.status, 201, made.text);
    const token = new URL((made.body as { url: string }).url).searchParams.get('token')!;
    const browser = request.agent(f.t.app.http);
    const started = await browser.post('/portal/start').type('form').send({ token });
    assert.equal(started.status, 303, started.text);
    return browser;
  };
  const tokensOf = async (directoryId: string, org = f.orgA) =>
    (await org.admin.get(`/api/v1/orgs/${org.id}/scim-directories/${directoryId}/tokens`)).body as {
      items: { id: string; revoked_at: string | null }[];
    };

  it('sets up a directory, shows its token once, and the token works until it is revoked', async () => {
    const browser = await portal(['directory_sync']);
    const empty = await browser.get('/portal/directory');
    assert.equal(empty.status, 200, empty.text);
    assert.match(empty.text, /Set up directory sync/);
    assert.match(String(empty.headers['content-security-policy']), /script-src 'self'/);
    const csrf = csrfOf(empty.text);

    const created = await browser
      .post('/portal/directory')
      .type('form')
      .send({ csrf, name: 'Entra ID' });
    assert.equal(created.status, 303, created.text);
    const listed = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/scim-directories`);
    const dir = (listed.body as { items: { id: string; scim_base_path: string }[] }).items[0]!;
    const baseUrl = `${f.t.config.server.issuer}${dir.scim_base_path}`;
    const page = await browser.get('/portal/directory');
    assert.ok(
      page.text.includes(
        `<code data-copy="SCIM base URL" data-copy-label="Copy the SCIM base URL">${baseUrl}</code>`,
      ),
    );
    assert.doesNotMatch(page.text, /Set up directory sync/);
    for (const idp of ['Entra ID', 'Okta', 'Google Workspace', 'OneLogin', 'JumpCloud'])
      assert.ok(page.text.includes(idp), idp);
    assert.match(page.text, /third-party/);

    const issued = await browser
      .post(`/portal/directory/${dir.id}/tokens`)
      .type('form')
      .send({ csrf });
    assert.equal(issued.status, 200, issued.text);
    assert.equal(issued.headers['cache-control'], 'no-store');
    const secret = tokenOf(issued.text)!;
    assert.match(secret, /^scim_/);
    // Shown once: the step's page never has it again.
    const reloaded = await browser.get('/portal/directory');
    assert.equal(tokenOf(reloaded.text), null);
    assert.ok(!reloaded.text.includes(secret));

    // The token shown really opens the directory's SCIM endpoint.
    const scim = scimClient(f.t.app.http, dir.id, secret);
    assert.equal((await scim.get('/Users')).status, 200);
    assert.equal((await scim.post('/Users', userBody('ada@a.example'))).status, 201);
    const status = await browser.get('/portal/directory');
    assert.equal(countOf(status.text, 'users'), 1);
    assert.equal(countOf(status.text, 'active_users'), 1);
    assert.equal(countOf(status.text, 'groups'), 0);

    const tokenId = (await tokensOf(dir.id)).items[0]!.id;
    assert.ok(status.text.includes(`/portal/directory/${dir.id}/tokens/${tokenId}/revoke`));
    const revoked = await browser
      .post(`/portal/directory/${dir.id}/tokens/${tokenId}/revoke`)
      .type('form')
      .send({ csrf });
    assert.equal(revoked.status, 303, revoked.text);
    assert.equal((await scim.get('/Users')).status, 401);
    const audit = await f.t.app.db.query<{ type: string; actor_type: string }>(
      "SELECT type, actor_type FROM audit_events WHERE org_id = $1 AND type LIKE 'admin.scim_directory.%' ORDER BY id",
      [f.orgA.id],
    );
    assert.deepEqual(
      audit.rows.map((r) => [r.type, r.actor_type]).sort(),
      [
        ['admin.scim_directory.created', 'portal_session'],
        ['admin.scim_directory.token_issued', 'portal_session'],
        ['admin.scim_directory.token_revoked', 'portal_session'],
      ].sort(),
    );
  });

  it("answers 404 for another org's directory and token ids, and changes nothing", async () => {
    const other = await scimDirectory(f, f.orgB, 'B directory');
    const tokenId = (await tokensOf(other.id, f.orgB)).items[0]!.id;
    const browser = await portal(['directory_sync']);
    const csrf = csrfOf((await browser.get('/portal/directory')).text);
    const issued = await browser
      .post(`/portal/directory/${other.id}/tokens`)
      .type('form')
      .send({ csrf });
    assert.equal(issued.status, 404);
    assert.equal(tokenOf(issued.text), null);
    const revoked = await browser
      .post(`/portal/directory/${other.id}/tokens/${tokenId}/revoke`)
      .type('form')
      .send({ csrf });
    assert.equal(revoked.status, 404);
    assert.equal(
      (await browser.post('/portal/directory/nope/tokens').type('form').send({ csrf })).status,
      404,
    );
    assert.deepEqual(
      (await tokensOf(other.id, f.orgB)).items.map((t) => t.revoked_at),
      [null],
    );
    assert.equal((await other.scim.get('/Users')).status, 200);
  });

  it('refuses a form without its CSRF token (403) and does nothing', async () => {
    const browser = await portal(['directory_sync']);
    const page = await browser.get('/portal/directory');
    const dirId = /action="\/portal\/directory\/([0-9a-f-]{36})\/tokens"/.exec(page.text)![1]!;
    const before = (await tokensOf(dirId)).items.length;
    assert.equal(
      (await browser.post(`/portal/directory/${dirId}/tokens`).type('form').send({})).status,
      403,
    );
    assert.equal(
      (await browser.post('/portal/directory').type('form').send({ name: 'X' })).status,
      403,
    );
    const live = (await tokensOf(dirId)).items.length;
    assert.equal(live, before);
    assert.equal(
      (
        await browser
          .post(`/portal/directory/${dirId}/tokens/${dirId}/revoke`)
          .type('form')
          .send({ csrf: 'f'.repeat(64) })
      ).status,
      403,
    );
    const listed = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/scim-directories`);
    assert.equal((listed.body as { items: unknown[] }).items.length, 1);
  });

  it('when the browser asks for German, then the step and a refused name are German, and the answer to the form post sends the switcher back to the step', async () => {
    const browser = await portal(['directory_sync']);
    const page = await browser.get('/portal/directory').set('accept-language', 'de-DE');
    assert.equal(page.headers['content-language'], 'de');
    assert.match(page.text, /<html lang="de" dir="ltr">/);
    assert.match(page.text, /<h1>Verzeichnissynchronisierung<\/h1>/);
    assert.match(page.text, /Synchronisierungsstatus/);
    const refused = await browser
      .post('/portal/directory')
      .set('accept-language', 'de-DE')
      .type('form')
      .send({ csrf: csrfOf(page.text), name: '   ' });
    assert.equal(refused.status, 400, refused.text);
    assert.match(
      refused.text,
      /id="name-error"[^>]*>\s*Geben Sie einen Namen mit 1 bis 200 Zeichen ein\./,
    );
    assert.ok(refused.text.includes(`return_to=${encodeURIComponent('/portal/directory')}`));
    assert.ok(!refused.text.includes(`return_to=${encodeURIComponent('/login')}`));
  });

  it('is not found for a link without the directory_sync intent', async () => {
    const browser = await portal(['domain_verification']);
    const home = await browser.get('/portal');
    assert.ok(!home.text.includes('href="/portal/directory"'));
    assert.equal((await browser.get('/portal/directory')).status, 404);
    const csrf = csrfOf((await browser.get('/portal/domains')).text);
    const created = await browser.post('/portal/directory').type('form').send({ csrf, name: 'X' });
    assert.equal(created.status, 404);
    const listed = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/scim-directories`);
    assert.equal((listed.body as { items: unknown[] }).items.length, 1);
  });
});
