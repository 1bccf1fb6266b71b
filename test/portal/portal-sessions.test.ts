import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { insertUser } from '../support/sql-fixtures.js';

type Browser = ReturnType<typeof request.agent>;

const csrfOf = (page: string) => /name="csrf" value="([0-9a-f]{64})"/.exec(page)![1]!;
const POLICY = { idleTimeoutSeconds: 600, absoluteLifetimeSeconds: 3600, maxSessionsPerUser: 5 };
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/**
 * The portal's Sessions step (issue 18): the org's live sessions, and ending one or all of
 * a user's through the admin API's session service, audited as the portal session.
 */
describe('setup portal sessions step', () => {
  let f: AdminFixture;
  let browser: Browser;
  let csrf: string;

  before(async () => {
    f = await startAdminFixture();
    const link = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/portal-links`, {
      intents: ['sessions'],
    });
    assert.equal(link.status, 201, link.text);
    browser = await open(new URL((link.body as { url: string }).url).searchParams.get('token')!);
    // A live session, so that the page has forms (and their CSRF token).
    await signedIn(f.orgA.id, 'first@list.example');
    const page = await browser.get('/portal/sessions');
    assert.equal(page.status, 200, page.text);
    csrf = csrfOf(page.text);
  });
  after(async () => {
    await f.t.close();
  });

  const open = async (token: string) => {
    const agent: Browser = request.agent(f.t.app.http);
    assert.equal((await agent.get(`/portal/start?token=${token}`)).status, 200);
    assert.equal((await agent.post('/portal/start').type('form').send({ token })).status, 303);
    return agent;
  };
  /** A user of the org with `count` live sessions (real ones: the session service's own). */
  const signedIn = async (orgId: string, email: string, count = 1) => {
    const user = await insertUser(f.t.app.db, orgId, { email, name: `Name of ${email}` });
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const opened = await f.t.app.sessions.open(
        { userId: user.id, orgId, connectionId: null, amr: ['fed'], policy: POLICY },
        { requestId: null, ip: '203.0.113.7', userAgent: CHROME_MAC },
      );
      tokens.push(opened.token);
    }
    return { user, tokens };
  };
  const idOf = async (token: string) => (await f.t.app.sessions.validate(token))!.id;
  const endedBy = async (sessionId: string) =>
    (
      await f.t.app.db.query<{ actor_type: string }>(
        "SELECT actor_type FROM audit_events WHERE type = 'session.ended' AND target_id = $1",
        [sessionId],
      )
    ).rows.map((r) => r.actor_type);

  it("when opened, then the page lists the org's live sessions only, with who, device and IP, and filters by email", async () => {
    const mine = await signedIn(f.orgA.id, 'ada@list.example');
    const theirs = await signedIn(f.orgB.id, 'bob@other.example');
    const page = await browser.get('/portal/sessions');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('ada@list.example'));
    assert.ok(page.text.includes('Name of ada@list.example'));
    assert.ok(page.text.includes('Chrome on macOS'));
    assert.ok(page.text.includes('203.0.113.7'));
    assert.ok(page.text.includes(`/portal/sessions/${await idOf(mine.tokens[0]!)}/end`));
    assert.ok(!page.text.includes('bob@other.example'));
    assert.ok(!page.text.includes(await idOf(theirs.tokens[0]!)));

    await signedIn(f.orgA.id, 'carl@list.example');
    const exact = await browser.get('/portal/sessions?email=ada@list.example');
    assert.ok(exact.text.includes('ada@list.example'));
    assert.ok(!exact.text.includes('carl@list.example'));
    const prefix = await browser.get('/portal/sessions?email=carl');
    assert.ok(prefix.text.includes('carl@list.example'));
    assert.ok(!prefix.text.includes('ada@list.example'));
    // Paged as the API pages: limit and the cursor of the last session seen.
    const first = await browser.get('/portal/sessions?email=&limit=1');
    const next = /href="(\/portal\/sessions\?limit=1&amp;cursor=[\w-]+)"/.exec(first.text);
    assert.ok(next, first.text);
    const second = await browser.get(next[1]!.replace(/&amp;/g, '&'));
    assert.equal(second.status, 200);
    assert.notEqual(
      /action="\/portal\/sessions\/([\w-]{43})\/end"/.exec(second.text)![1],
      /action="\/portal\/sessions\/([\w-]{43})\/end"/.exec(first.text)![1],
    );
  });

  it('when one session is ended, then it is invalid at once and audited as the portal session', async () => {
    const { tokens } = await signedIn(f.orgA.id, 'end-one@list.example', 2);
    const id = await idOf(tokens[0]!);
    const ended = await browser.post(`/portal/sessions/${id}/end`).type('form').send({ csrf });
    assert.equal(ended.status, 303);
    assert.equal(ended.headers.location, '/portal/sessions?ended=1');
    assert.equal(await f.t.app.sessions.validate(tokens[0]!), null);
    assert.notEqual(await f.t.app.sessions.validate(tokens[1]!), null);
    assert.deepEqual(await endedBy(id), ['portal_session']);
    const page = await browser.get(ended.headers.location);
    assert.ok(page.text.includes('One session ended.'));
    // Ended already (a double submit): the same answer, not audited twice.
    const again = await browser.post(`/portal/sessions/${id}/end`).type('form').send({ csrf });
    assert.equal(again.status, 303);
    assert.deepEqual(await endedBy(id), ['portal_session']);
  });

  it("when a user's sessions are ended, then all of theirs end and nobody else's", async () => {
    const target = await signedIn(f.orgA.id, 'end-all@list.example', 3);
    const bystander = await signedIn(f.orgA.id, 'stays@list.example');
    const ended = await browser
      .post(`/portal/users/${target.user.id}/sessions/end`)
      .type('form')
      .send({ csrf });
    assert.equal(ended.status, 303);
    assert.equal(ended.headers.location, '/portal/sessions?ended=3');
    for (const token of target.tokens) assert.equal(await f.t.app.sessions.validate(token), null);
    assert.notEqual(await f.t.app.sessions.validate(bystander.tokens[0]!), null);
  });

  it("when another org's session or user is named, then 404 and its sessions stay valid", async () => {
    const theirs = await signedIn(f.orgB.id, 'other@other.example');
    const id = await idOf(theirs.tokens[0]!);
    const one = await browser.post(`/portal/sessions/${id}/end`).type('form').send({ csrf });
    assert.equal(one.status, 404);
    const all = await browser
      .post(`/portal/users/${theirs.user.id}/sessions/end`)
      .type('form')
      .send({ csrf });
    assert.equal(all.status, 404);
    const bogus = await browser
      .post('/portal/sessions/not-a-session/end')
      .type('form')
      .send({ csrf });
    assert.equal(bogus.status, 404);
    assert.notEqual(await f.t.app.sessions.validate(theirs.tokens[0]!), null);
    assert.deepEqual(await endedBy(id), []);
  });

  it('when a form has no CSRF token, then 403 and nothing ends', async () => {
    const { user, tokens } = await signedIn(f.orgA.id, 'csrf@list.example');
    const id = await idOf(tokens[0]!);
    assert.equal(
      (await browser.post(`/portal/sessions/${id}/end`).type('form').send({})).status,
      403,
    );
    const all = await browser.post(`/portal/users/${user.id}/sessions/end`).type('form').send({});
    assert.equal(all.status, 403);
    assert.notEqual(await f.t.app.sessions.validate(tokens[0]!), null);
  });

  it('when the link does not allow the sessions step, then its routes are not found', async () => {
    const link = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/portal-links`, {
      intents: ['domain_verification'],
    });
    const other = await open(
      new URL((link.body as { url: string }).url).searchParams.get('token')!,
    );
    const home = await other.get('/portal');
    assert.ok(!home.text.includes('href="/portal/sessions"'));
    const token = csrfOf((await other.get('/portal/domains')).text);
    const { user, tokens } = await signedIn(f.orgA.id, 'intent@list.example');
    assert.equal((await other.get('/portal/sessions')).status, 404);
    const id = await idOf(tokens[0]!);
    const one = await other.post(`/portal/sessions/${id}/end`).type('form').send({ csrf: token });
    assert.equal(one.status, 404);
    const all = await other
      .post(`/portal/users/${user.id}/sessions/end`)
      .type('form')
      .send({ csrf: token });
    assert.equal(all.status, 404);
    assert.notEqual(await f.t.app.sessions.validate(tokens[0]!), null);
  });
});
