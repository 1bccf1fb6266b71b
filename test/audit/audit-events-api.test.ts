import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'superagent';
import { createFakeClock } from '../../src/platform/clock.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { startAdminFixture, type AdminClient, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const LIST = '/api/v1/orgs/{orgId}/audit-events';
const EXPORT = '/api/v1/orgs/{orgId}/audit-events/export';

interface AuditEventBody {
  id: string;
  org_id: string | null;
  occurred_at: string;
  type: string;
  schema_version: number;
  actor: { type: string; id: string | null };
  target: { type: string; id: string } | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown>;
}
type PageBody = { items: AuditEventBody[]; next_cursor: string | null };
interface Problem {
  code: string;
  errors?: Array<{ field: string; message: string }>;
}

/** The NDJSON body as text (superagent does not buffer types it does not know). */
const asText = (res: Response, done: (error: Error | null, body: string) => void) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => done(null, text));
};
const linesOf = (body: unknown) =>
  String(body)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEventBody);

describe('admin API: audit events', () => {
  /** The org's event ids in chain order (chain_seq: commit order). */
  const chainOrder = async (orgId: string) =>
    (
      await f.t.app.db.query<{ id: string }>(
        'SELECT id FROM audit_events WHERE chain_id = $1 ORDER BY chain_seq',
        [orgId],
      )
    ).rows.map((r) => r.id);

  const start = Date.UTC(2026, 2, 1);
  const clock = createFakeClock(start);
  let f: AdminFixture;
  let orgAKeyId: string;

  const listPath = (orgId: string, query: Record<string, string> = {}) =>
    `/api/v1/orgs/${orgId}/audit-events?${new URLSearchParams(query).toString()}`;
  const exportPath = (orgId: string, query: Record<string, string> = {}) =>
    `/api/v1/orgs/${orgId}/audit-events/export?${new URLSearchParams(query).toString()}`;

  /** Every page of a query, following next_cursor; each page checked against the spec. */
  const allPages = async (
    client: AdminClient,
    orgId: string,
    query: Record<string, string> = {},
  ) => {
    const items: AuditEventBody[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await client.get(listPath(orgId, { ...query, ...(cursor ? { cursor } : {}) }));
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'get', LIST);
      const page = res.body as PageBody;
      items.push(...page.items);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    return { items, pages };
  };
  const exportOf = async (client: AdminClient, orgId: string, query = {}) => {
    const res = await client.get(exportPath(orgId, query)).buffer(true).parse(asText);
    return res;
  };

  before(async () => {
    f = await startAdminFixture({ clock, resolveTxt: () => Promise.resolve([]) });
    const keys = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/api-keys`);
    orgAKeyId = (keys.body as { items: Array<{ id: string }> }).items[0]!.id;
    // Real flows, a second apart: domains added (one failing verification), the org
    // renamed, in both orgs.
    for (const [org, name] of [
      [f.orgA, 'a'],
      [f.orgB, 'b'],
    ] as const) {
      clock.advance(1000);
      const added = await org.admin.post(`/api/v1/orgs/${org.id}/domains`, {
        domain: `${name}-audit.example`,
      });
      assert.equal(added.status, 201, added.text);
      clock.advance(1000);
      const verify = await org.admin.post(
        `/api/v1/orgs/${org.id}/domains/${(added.body as { id: string }).id}/verify`,
      );
      assert.equal(verify.status, 422);
      clock.advance(1000);
      const renamed = await f.platform.patch(`/api/v1/orgs/${org.id}`, { name: `Org ${name}!` });
      assert.equal(renamed.status, 200, renamed.text);
    }
  });
  after(async () => {
    await f.t.close();
  });

  it("when an org admin lists its org's events, then oldest first, only its org, each as the spec says", async () => {
    const { items } = await allPages(f.orgA.admin, f.orgA.id);
    assert.ok(items.length >= 4);
    assert.ok(items.every((event) => event.org_id === f.orgA.id));
    const types = items.map((event) => event.type);
    for (const type of [
      'admin.org.created',
      'admin.apikey.created',
      'admin.domain.added',
      'admin.domain.verification_failed',
      'admin.org.updated',
    ]) {
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    }
    const ids = items.map((event) => event.id);
    assert.deepEqual(ids, await chainOrder(f.orgA.id), 'oldest first, in chain (commit) order');
    const byPlatform = await allPages(f.platform, f.orgA.id);
    assert.deepEqual(
      byPlatform.items.map((event) => event.id),
      ids,
      'a platform admin sees the same trail',
    );
  });

  it('when each filter is given, then exactly the events it selects are listed', async () => {
    const { items: all } = await allPages(f.orgA.admin, f.orgA.id, { limit: '500' });
    const failure = all.find((event) => event.outcome === 'failure')!;
    const domainAdded = all.find((event) => event.type === 'admin.domain.added')!;
    const cases: Array<[Record<string, string>, (event: AuditEventBody) => boolean]> = [
      [{ type: 'admin.org.updated' }, (e) => e.type === 'admin.org.updated'],
      [{ type: 'admin.domain.*' }, (e) => e.type.startsWith('admin.domain.')],
      [
        { type: 'admin.org.*,admin.apikey.created' },
        (e) => e.type.startsWith('admin.org.') || e.type === 'admin.apikey.created',
      ],
      // A prefix is of whole segments: "admin.*" is not "admin" + anything.
      [{ type: 'admin.*' }, (e) => e.type.startsWith('admin.')],
      [{ actor_type: 'api_key' }, (e) => e.actor.type === 'api_key'],
      [{ actor_id: orgAKeyId }, (e) => e.actor.id === orgAKeyId],
      [{ target_type: 'domain' }, (e) => e.target?.type === 'domain'],
      [{ target_id: domainAdded.target!.id }, (e) => e.target?.id === domainAdded.target!.id],
      [{ outcome: 'failure' }, (e) => e.outcome === 'failure'],
      [{ outcome: 'success' }, (e) => e.outcome === 'success'],
      // since is inclusive, until exclusive, at the instant of one event.
      [{ since: failure.occurred_at }, (e) => e.occurred_at >= failure.occurred_at],
      [{ until: failure.occurred_at }, (e) => e.occurred_at < failure.occurred_at],
      [
        { since: failure.occurred_at, until: new Date(start + 60_000).toISOString() },
        (e) => e.occurred_at >= failure.occurred_at,
      ],
      [
        { actor_type: 'api_key', target_type: 'domain', outcome: 'success' },
        (e) => e.actor.type === 'api_key' && e.target?.type === 'domain' && e.outcome === 'success',
      ],
    ];
    for (const [query, selects] of cases) {
      const { items } = await allPages(f.orgA.admin, f.orgA.id, query);
      const expected = all.filter(selects).map((event) => event.id);
      assert.deepEqual(
        items.map((event) => event.id),
        expected,
        `filter ${JSON.stringify(query)}`,
      );
      if (!['admin', 'since', 'until'].some((k) => JSON.stringify(query).includes(k))) {
        assert.ok(expected.length > 0, `filter ${JSON.stringify(query)} selects something`);
      }
    }
  });

  it('when a time zone offset is given, then it means the same instant as UTC', async () => {
    const { items: all } = await allPages(f.orgA.admin, f.orgA.id, { limit: '500' });
    const pivot = all.find((event) => event.type === 'admin.org.updated')!;
    const utc = new Date(pivot.occurred_at);
    // The same instant, written two hours east of UTC.
    const local = new Date(utc.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    const { items } = await allPages(f.orgA.admin, f.orgA.id, { since: local });
    assert.equal(items[0]?.id, pivot.id);
  });

  describe('pagination', () => {
    let orgC: Awaited<ReturnType<AdminFixture['makeOrg']>>;
    before(async () => {
      orgC = await f.makeOrg('org-c');
      // 60 renames, one every 10 seconds; then all 60 in the same millisecond (UUIDv7
      // ids of one millisecond still have one order).
      for (let i = 0; i < 60; i++) {
        clock.advance(10_000);
        const res = await orgC.admin.patch(`/api/v1/orgs/${orgC.id}`, { name: `C ${i}` });
        assert.equal(res.status, 200, res.text);
      }
      clock.advance(10_000);
      for (let i = 0; i < 60; i++) {
        const res = await orgC.admin.patch(`/api/v1/orgs/${orgC.id}`, { name: `C same ${i}` });
        assert.equal(res.status, 200, res.text);
      }
    });

    it('when a trail spans many pages, then the cursor walks it once, in order, either way', async () => {
      const whole = await orgC.admin.get(listPath(orgC.id, { limit: '500' }));
      assert.equal(whole.status, 200);
      const all = (whole.body as PageBody).items.map((event) => event.id);
      assert.equal((whole.body as PageBody).next_cursor, null);
      assert.ok(all.length >= 122, `${all.length} events`);
      assert.deepEqual(all, await chainOrder(orgC.id), 'the chain order (commit order)');

      const paged = await allPages(orgC.admin, orgC.id, { limit: '7' });
      assert.equal(paged.pages, Math.ceil(all.length / 7));
      assert.deepEqual(
        paged.items.map((event) => event.id),
        all,
      );

      const desc = await allPages(orgC.admin, orgC.id, { limit: '9', order: 'desc' });
      assert.deepEqual(
        desc.items.map((event) => event.id),
        [...all].reverse(),
      );
    });

    it('when a time window is paged, then the pages hold exactly the window', async () => {
      const since = new Date(start + 20_000).toISOString();
      const until = new Date(clock.nowMs()).toISOString();
      const { items: all } = await allPages(orgC.admin, orgC.id, { limit: '500' });
      const expected = all
        .filter((event) => event.occurred_at >= since && event.occurred_at < until)
        .map((event) => event.id);
      assert.ok(expected.length > 10 && expected.length < all.length);
      const paged = await allPages(orgC.admin, orgC.id, { since, until, limit: '4' });
      assert.deepEqual(
        paged.items.map((event) => event.id),
        expected,
      );
    });

    it('when limit is left out, then 50; above 500, then 400 on limit', async () => {
      const defaultPage = await orgC.admin.get(listPath(orgC.id));
      assert.equal((defaultPage.body as PageBody).items.length, 50);
      assert.ok((defaultPage.body as PageBody).next_cursor);
      const tooMany = await orgC.admin.get(listPath(orgC.id, { limit: '501' }));
      assert.equal(tooMany.status, 400);
      assertMatchesSpec(tooMany, 'get', LIST);
      assert.deepEqual(
        (tooMany.body as Problem).errors?.map((e) => e.field),
        ['limit'],
      );
    });

    it('when the NDJSON export is read, then it has exactly the lines the pages hold, each an API item', async () => {
      const query = { type: 'admin.org.*' };
      const { items } = await allPages(orgC.admin, orgC.id, query);
      const res = await exportOf(orgC.admin, orgC.id, query);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/x-ndjson');
      assert.match(String(res.headers['content-disposition']), /^attachment; filename=/);
      assertMatchesSpec(res, 'get', EXPORT);
      assert.ok(String(res.body).endsWith('\n'));
      const lines = linesOf(res.body);
      assert.equal(lines.length, items.length);
      assert.deepEqual(lines, items);

      const desc = linesOf((await exportOf(orgC.admin, orgC.id, { ...query, order: 'desc' })).body);
      assert.deepEqual(desc, [...items].reverse());
    });
  });

  it('when an export is made, then audit.exported records the key, the filters and the count, and is not in that export', async () => {
    const query = { type: 'admin.domain.*', outcome: 'success' };
    const { items } = await allPages(f.orgA.admin, f.orgA.id, query);
    // A millisecond apart, so the two audit.exported events sort in the order made.
    clock.advance(1);
    const res = await exportOf(f.orgA.admin, f.orgA.id, query);
    assert.equal(res.status, 200);
    assert.equal(linesOf(res.body).length, items.length);

    clock.advance(1);
    const everything = linesOf((await exportOf(f.orgA.admin, f.orgA.id)).body);
    const exported = everything.filter((event) => event.type === 'audit.exported');
    assert.equal(exported.length, 1, 'the first export is in the second, the second is not');
    assert.deepEqual(exported[0]!.actor, { type: 'api_key', id: orgAKeyId });
    assert.deepEqual(exported[0]!.target, { type: 'org', id: f.orgA.id });
    assert.deepEqual(exported[0]!.data, {
      filters: { type: ['admin.domain.*'], outcome: 'success', order: 'asc' },
      count: items.length,
      format: 'ndjson',
    });
    const listed = await allPages(f.orgA.admin, f.orgA.id, { type: 'audit.exported' });
    assert.equal(listed.items.length, 2);
    assert.equal(listed.items[1]!.data.count, everything.length);
  });

  it('when an export spans several batches, then every event streams once, in order', async () => {
    const orgD = await f.makeOrg('org-d');
    // Volume through the app's own append path: 2,345 events, beyond two batches.
    await f.t.app.db.transaction(async (tx) => {
      for (let i = 0; i < 2345; i++) {
        if (i % 100 === 0) clock.advance(1);
        await f.t.app.audit.record(tx, {
          type: 'session.created',
          orgId: orgD.id,
          actor: { type: 'user', id: uuidv7() },
          target: { type: 'session', id: `s${i}` },
        });
      }
    });
    const res = await exportOf(orgD.admin, orgD.id, { type: 'session.created' });
    assert.equal(res.status, 200);
    const lines = linesOf(res.body);
    assert.equal(lines.length, 2345);
    const ids = lines.map((event) => event.id);
    assert.deepEqual(
      ids,
      (await chainOrder(orgD.id)).filter((id) => ids.includes(id)),
      'the chain order (commit order)',
    );
    assert.equal(new Set(ids).size, 2345);
    const { rows } = await f.t.app.db.query<{ data: { count: number } }>(
      `SELECT data FROM audit_events WHERE org_id = $1 AND type = 'audit.exported'`,
      [orgD.id],
    );
    assert.equal(rows[0]!.data.count, 2345);
  });

  it('when a filter is invalid, then 400 names each bad field, and an export records nothing', async () => {
    const cases: Array<[string, string[]]> = [
      ['since=yesterday', ['since']],
      ['until=2026-03-01T00:00:00', ['until']],
      ['since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z', ['until']],
      ['type=Admin.Org', ['type']],
      ['type=admin.*.created', ['type']],
      ['type=admin.org.created&type=admin.org.updated', ['type']],
      // Names no event carries (docs/audit-events.md): an exact name is not a prefix.
      ['type=admin', ['type']],
      ['type=admin.org.creatd', ['type']],
      ['type=admin.usr.*', ['type']],
      ['actor_type=robot&outcome=maybe', ['actor_type', 'outcome']],
      ['order=sideways', ['order']],
      ['target_type=User', ['target_type']],
      ['actor=someone', ['actor']],
      ['cursor=not-a-cursor', ['cursor']],
      ['limit=0', ['limit']],
    ];
    for (const [query, fields] of cases) {
      const res = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/audit-events?${query}`);
      assert.equal(res.status, 400, query);
      assertMatchesSpec(res, 'get', LIST);
      assert.equal((res.body as Problem).code, 'validation_failed');
      assert.deepEqual((res.body as Problem).errors?.map((e) => e.field).sort(), fields, query);
    }
    const before = await allPages(f.orgA.admin, f.orgA.id, { type: 'audit.exported' });
    const res = await f.orgA.admin.get(
      `/api/v1/orgs/${f.orgA.id}/audit-events/export?since=yesterday`,
    );
    assert.equal(res.status, 400);
    assertMatchesSpec(res, 'get', EXPORT);
    const afterwards = await allPages(f.orgA.admin, f.orgA.id, { type: 'audit.exported' });
    assert.equal(afterwards.items.length, before.items.length);
  });

  it('when the type filter names an event type or prefix Latchkey never emits, then 400 naming each, on the list and the export', async () => {
    const query = { type: 'admin.org.created,admin.org.craeted,admin.usr.*,session.*' };
    for (const [path, operation] of [
      [listPath(f.orgA.id, query), LIST],
      [exportPath(f.orgA.id, query), EXPORT],
    ] as const) {
      const res = await f.orgA.admin.get(path);
      assert.equal(res.status, 400, path);
      assertMatchesSpec(res, 'get', operation);
      assert.equal((res.body as Problem).code, 'validation_failed');
      const errors = (res.body as Problem).errors ?? [];
      assert.deepEqual(
        errors.map((e) => e.field),
        ['type'],
      );
      assert.match(
        errors[0]!.message,
        /unknown audit event types: admin\.org\.craeted, admin\.usr\.\*/,
      );
      assert.doesNotMatch(errors[0]!.message, /admin\.org\.created|session\.\*/);
    }
  });

  it("when an org key reaches for another org's trail, then 404 like any other org's resource", async () => {
    for (const path of [
      listPath(f.orgB.id),
      exportPath(f.orgB.id),
      listPath(uuidv7()),
      `/api/v1/orgs/not-a-uuid/audit-events`,
    ]) {
      const res = await f.orgA.admin.get(path);
      assert.equal(res.status, 404, path);
      assertMatchesSpec(res, 'get', path.includes('export') ? EXPORT : LIST);
    }
    const unknown = await f.platform.get(listPath(uuidv7()));
    assert.equal(unknown.status, 404);
    const unknownExport = await f.platform.get(exportPath(uuidv7()));
    assert.equal(unknownExport.status, 404);
    const anonymous = await f.orgA.admin
      .get(listPath(f.orgA.id))
      .set('Authorization', 'Bearer lk_nope');
    assert.equal(anonymous.status, 401);
    // Nothing of org B leaks into org A's own trail or export either.
    const mine = linesOf((await exportOf(f.orgA.admin, f.orgA.id)).body);
    assert.ok(mine.every((event) => event.org_id === f.orgA.id));
    const { rows } = await f.t.app.db.query(
      `SELECT 1 FROM audit_events WHERE org_id = $1 AND type = 'audit.exported'`,
      [f.orgB.id],
    );
    assert.equal(rows.length, 0, 'a refused export records nothing in the other org');
  });
});
