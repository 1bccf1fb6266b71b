import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFakeClock } from '../../src/platform/clock.js';
import type { AuditEventInput } from '../../src/audit/audit-log.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';

type Browser = ReturnType<typeof request.agent>;
type Org = Awaited<ReturnType<AdminFixture['makeOrg']>>;

const DAY = 86_400_000;
const SYSTEM = { type: 'system', id: null } as const;

describe('setup portal: the Audit log step', () => {
  const clock = createFakeClock(Date.UTC(2026, 5, 1, 9, 0, 0));
  let f: AdminFixture;
  let org: Org;
  let other: Org;
  let browser: Browser;

  const record = (orgId: string, events: Omit<AuditEventInput, 'orgId'>[]) =>
    f.t.app.db.transaction(async (tx) => {
      for (const event of events) await f.t.app.audit.record(tx, { ...event, orgId });
    });

  const open = async (target: Org, intents: string[]) => {
    const link = await target.admin.post(`/api/v1/orgs/${target.id}/portal-links`, { intents });
    assert.equal(link.status, 201, link.text);
    const token = new URL((link.body as { url: string }).url).searchParams.get('token')!;
    const agent: Browser = request.agent(f.t.app.http);
    const started = await agent.post('/portal/start').type('form').send({ token });
    assert.equal(started.status, 303, started.text);
    return agent;
  };

  /** The events the admin API lists for the same filters: the reference. */
  const apiIds = async (query: Record<string, string>) => {
    const res = await org.admin.get(
      `/api/v1/orgs/${org.id}/audit-events?${new URLSearchParams({ ...query, limit: '500' })}`,
    );
    assert.equal(res.status, 200, res.text);
    return (res.body as { items: { id: string }[] }).items.map((e) => e.id);
  };

  before(async () => {
    f = await startAdminFixture({ clock });
    org = await f.makeOrg('audit-portal');
    other = await f.makeOrg('audit-other');
    browser = await open(org, ['audit_logs']);
    // 2026-06-01: a sign-in that failed, and a target a spreadsheet would run.
    await record(org.id, [
      {
        type: 'auth.login.failed',
        actor: { type: 'user', id: null },
        target: { type: 'user', id: '=HYPERLINK("http://evil.example","x")' },
        outcome: 'failure',
        reason: '+bad_password',
      },
      { type: 'session.created', actor: SYSTEM, target: { type: 'session', id: 'sess-1' } },
    ]);
    clock.advance(2 * DAY); // 2026-06-03
    await record(org.id, [
      { type: 'session.ended', actor: SYSTEM, target: { type: 'session', id: 'sess-1' } },
      ...Array.from({ length: 60 }, (_, i) => ({
        type: 'token.issued' as const,
        actor: SYSTEM,
        target: { type: 'token', id: `tok-${i}` },
      })),
    ]);
    await record(other.id, [
      { type: 'session.created', actor: SYSTEM, target: { type: 'session', id: 'other-secret' } },
    ]);
  });
  after(async () => {
    await f.t.close();
  });

  it("when the step is opened, then it lists the org's events newest first and never another org's", async () => {
    const res = await browser.get('/portal/audit');
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /<h1>Audit log<\/h1>/);
    assert.match(res.text, /<form method="get" action="\/portal\/audit"/);
    assert.ok(res.text.indexOf('tok-59') < res.text.indexOf('tok-58'), 'newest first');
    assert.doesNotMatch(res.text, /other-secret/);
    const home = await browser.get('/portal');
    assert.match(home.text, /href="\/portal\/audit"/);
    // The other org's own portal shows its event.
    const theirs = await (await open(other, ['audit_logs'])).get('/portal/audit');
    assert.match(theirs.text, /other-secret/);
    assert.doesNotMatch(theirs.text, /tok-1/);
  });

  it('when filtered by type prefix, outcome or dates, then only the matching events are listed', async () => {
    const sessions = await browser.get('/portal/audit?type=session.*');
    assert.equal(sessions.status, 200, sessions.text);
    assert.match(sessions.text, /session\.created/);
    assert.match(sessions.text, /session\.ended/);
    assert.doesNotMatch(sessions.text, /tok-|auth\.login\.failed/);

    const failed = await browser.get('/portal/audit?outcome=failure');
    assert.match(failed.text, /auth\.login\.failed/);
    assert.match(failed.text, /failure \(\+bad_password\)/);
    assert.doesNotMatch(failed.text, /session\.created|tok-/);

    // "to" is a whole day, included; "from" starts at its midnight (UTC).
    const firstDay = await browser.get('/portal/audit?type=session.*&to=2026-06-01');
    assert.match(firstDay.text, /session\.created/);
    assert.doesNotMatch(firstDay.text, /session\.ended/);
    const thirdDay = await browser.get('/portal/audit?type=session.*&from=2026-06-02');
    assert.match(thirdDay.text, /session\.ended/);
    assert.doesNotMatch(thirdDay.text, /session\.created/);
  });

  it('when a filter is bad, then the page answers 400 naming the field and why, in its own words', async () => {
    const cases: [string, RegExp][] = [
      ['type=nosuch.*', /id="type-error"[^]*The audit log has no event type nosuch\.\*\./],
      ['type=Bad Type', /id="type-error"[^]*Enter up to 20 event types separated by commas/],
      ['from=2026-02-30', /id="from-error"[^]*Enter a date such as 2026-03-01\./],
      ['from=2026-06-03&to=2026-06-01', /id="to-error"[^]*must not be before the “From” day/],
      ['outcome=maybe', /id="outcome-error"[^]*Choose success or failure, or any\./],
      ['cursor=zzz', /This list of older events is no longer valid: filter again\./],
    ];
    for (const [query, reason] of cases) {
      const res = await browser.get(`/portal/audit?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.text, reason, query);
      assert.match(res.text, /<form method="get"/, 'the form stays, to fix it');
    }
    const typed = await browser.get('/portal/audit?type=nosuch.*');
    assert.match(typed.text, /id="type"[^>]*value="nosuch\.\*"[^>]*aria-invalid="true"/);
  });

  it('when there are more events than a page, then "older" pages through them all once', async () => {
    const first = await browser.get('/portal/audit?type=token.*');
    assert.equal(first.status, 200);
    const seen = [...first.text.matchAll(/tok-(\d+)/g)].map((m) => Number(m[1]));
    assert.equal(seen.length, 50);
    const older = /href="(\/portal\/audit\?[^"]*cursor=[^"]+)"/.exec(first.text)![1]!;
    assert.match(older, /type=token\.\*/, 'the filters carry over');
    const second = await browser.get(older.replace(/&amp;/g, '&'));
    assert.equal(second.status, 200);
    seen.push(...[...second.text.matchAll(/tok-(\d+)/g)].map((m) => Number(m[1])));
    assert.doesNotMatch(second.text, /cursor=/, 'the last page');
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: 60 }, (_, i) => i),
    );
  });

  it('when exported as JSON Lines, then it is exactly the filtered events, as a download, and audited', async () => {
    const res = await browser
      .get('/portal/audit/export?format=jsonl&type=session.*,auth.*&from=2026-06-01')
      .buffer(true)
      .parse((r, done) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => done(null, body));
      });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
    assert.equal(
      res.headers['content-disposition'],
      `attachment; filename="audit-events-${org.id}.jsonl"`,
    );
    const lines = String(res.body)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; org_id: string; actor: object; ip: unknown });
    const expected = await apiIds({ type: 'session.*,auth.*', since: '2026-06-01T00:00:00Z' });
    assert.deepEqual(
      lines.map((e) => e.id),
      expected,
    );
    assert.equal(expected.length, 3);
    assert.ok(lines.every((e) => e.org_id === org.id && 'actor' in e && 'ip' in e));

    const { rows } = await f.t.app.db.query<{ actor_type: string; data: Record<string, unknown> }>(
      `SELECT actor_type, data FROM audit_events WHERE org_id = $1 AND type = 'audit.exported'`,
      [org.id],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_type, 'portal_session');
    assert.deepEqual(rows[0]!.data, {
      filters: { type: ['session.*', 'auth.*'], since: '2026-06-01T00:00:00.000Z', order: 'asc' },
      count: 3,
      format: 'ndjson',
    });
  });

  it('when exported as CSV, then it is exactly the filtered events with formula cells neutralised', async () => {
    const res = await browser.get('/portal/audit/export?format=csv&outcome=failure');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(
      res.headers['content-disposition'],
      `attachment; filename="audit-events-${org.id}.csv"`,
    );
    const rows = res.text.split('\r\n').filter(Boolean);
    assert.equal(
      rows[0],
      'occurred_at,type,actor_type,actor_id,target_type,target_id,outcome,reason,request_id,ip,user_agent,data,id',
    );
    const expected = await apiIds({ outcome: 'failure' });
    assert.equal(rows.length - 1, expected.length);
    assert.ok(expected.every((id, i) => rows[i + 1]!.endsWith(`,${id}`)));
    const failed = rows.find((r) => r.includes('auth.login.failed'))!;
    assert.ok(failed.includes(`,"'=HYPERLINK(""http://evil.example"",""x"")",`), failed);
    assert.ok(failed.includes(",'+bad_password,"), failed);
    assert.ok(!/,[=+\-@]/.test(failed), 'no cell starts with a formula character');
  });

  it('when an export is asked wrongly or is too large, then 400 says why and nothing is recorded', async () => {
    const format = await browser.get('/portal/audit/export?format=xml');
    assert.equal(format.status, 400);
    assert.match(format.text, /Export as CSV or JSON Lines\./);
    const type = await browser.get('/portal/audit/export?format=csv&type=nosuch.*');
    assert.equal(type.status, 400);
    assert.match(type.text, /id="type-error"/);
    const before = await apiIds({ type: 'audit.exported' });
    // The cap the portal passes, through the same service (50,000 events are not made here).
    await assert.rejects(
      f.t.app.auditQuery.export(
        org.id,
        {},
        { scope: 'org:admin', keyId: 'k', orgId: org.id },
        { ip: null, userAgent: null, requestId: null },
        { format: 'csv', maxEvents: 10 },
      ),
      /export_too_large|at most 10/,
    );
    assert.deepEqual(await apiIds({ type: 'audit.exported' }), before);
  });

  it('when the link does not allow the step, or there is no session, then 404 or 401', async () => {
    const domainsOnly = await open(org, ['domain_verification']);
    for (const path of ['/portal/audit', '/portal/audit/export?format=csv']) {
      assert.equal((await domainsOnly.get(path)).status, 404, path);
      const none = await request(f.t.app.http).get(path);
      assert.equal(none.status, 401, path);
      assert.match(none.text, /Your setup session has ended/);
    }
  });
});
