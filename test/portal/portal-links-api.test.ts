import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFakeClock } from '../../src/platform/clock.js';
import { sha256Hex } from '../../src/platform/crypto/index.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const LIST = '/api/v1/orgs/{orgId}/portal-links';
const ONE = '/api/v1/orgs/{orgId}/portal-links/{linkId}';
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const DAY_MS = 24 * 3600 * 1000;

interface LinkBody {
  id: string;
  org_id: string;
  intents: string[];
  status: string;
  return_url: string | null;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  url?: string;
}

describe('admin API: portal links', () => {
  const clock = createFakeClock(Date.UTC(2026, 5, 1, 9, 0, 0));
  let f: AdminFixture;
  const linksOf = (orgId: string) => `/api/v1/orgs/${orgId}/portal-links`;

  before(async () => {
    f = await startAdminFixture({ clock });
  });
  after(async () => {
    await f.t.close();
  });

  const create = async (body: object, client = f.orgA.admin, orgId = f.orgA.id) => {
    // Ids are time-ordered: one a second keeps the list's order the order of creation.
    clock.advance(1000);
    const res = await client.post(linksOf(orgId), body);
    assert.equal(res.status, 201, res.text);
    return { res, body: res.body as LinkBody };
  };
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

  it('when an org admin makes a link, then 201 with its URL shown once, 5 days by default, only a digest stored, audited', async () => {
    const { res, body } = await create({ intents: ['domain_verification', 'sso'] });
    assertMatchesSpec(res, 'post', LIST);
    assert.equal(res.headers.location, `/api/v1/orgs/${f.orgA.id}/portal-links/${body.id}`);
    assert.equal(body.org_id, f.orgA.id);
    assert.deepEqual(body.intents, ['domain_verification', 'sso']);
    assert.equal(body.status, 'active');
    assert.equal(body.expires_at, new Date(clock.now().getTime() + 5 * DAY_MS).toISOString());
    assert.match(
      body.url!,
      /^http:\/\/localhost:3000\/portal\/start\?token=lkp_[0-9a-f]{32}_[\w-]{43}$/,
    );

    const token = tokenOf(body.url!);
    const row = (
      await f.t.app.db.query<{ digest: string }>('SELECT * FROM portal_links WHERE id = $1', [
        body.id,
      ])
    ).rows[0]!;
    assert.equal(row.digest, sha256Hex(token));
    assert.ok(!JSON.stringify(row).includes(token.slice(-43)));

    const got = await f.orgA.admin.get(`${linksOf(f.orgA.id)}/${body.id}`);
    assert.equal(got.status, 200);
    assertMatchesSpec(got, 'get', ONE);
    assert.equal((got.body as LinkBody).url, undefined);

    const audit = (
      await f.t.app.db.query(
        `SELECT type, actor_type, data FROM audit_events WHERE target_id = $1 ORDER BY id`,
        [body.id],
      )
    ).rows;
    assert.deepEqual(
      audit.map((r) => [r.type, r.actor_type]),
      [['admin.portal_link.created', 'api_key']],
    );
    assert.ok(!JSON.stringify(audit).includes(token));
  });

  it('when the body is wrong, then 400 names the field: no intent, an unknown or repeated one, a lifetime over the maximum, a plain-http or userinfo return URL', async () => {
    const cases: Array<[object, string]> = [
      [{ intents: [] }, 'intents'],
      [{}, 'intents'],
      [{ intents: ['billing'] }, 'intents.0'],
      [{ intents: ['sso', 'sso'] }, 'intents'],
      [{ intents: ['sso'], lifetime_seconds: 31 * 24 * 3600 }, 'lifetime_seconds'],
      [{ intents: ['sso'], lifetime_seconds: 10 }, 'lifetime_seconds'],
      [{ intents: ['sso'], return_url: 'http://ads.example.com/done' }, 'return_url'],
      [{ intents: ['sso'], return_url: 'https://ads.example.com@evil.example/' }, 'return_url'],
      [{ intents: ['sso'], return_url: 'javascript:alert(1)' }, 'return_url'],
      [{ intents: ['sso'], extra: true }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await f.orgA.admin.post(linksOf(f.orgA.id), body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assertMatchesSpec(res, 'post', LIST);
      if (field)
        assert.ok(
          (res.body as { errors: Array<{ field: string }> }).errors.some((e) => e.field === field),
          `${JSON.stringify(body)}: ${res.text}`,
        );
    }
  });

  it('when a link asks for its own lifetime and an https or loopback return URL, then both are kept', async () => {
    const { body } = await create({
      intents: ['audit_logs'],
      lifetime_seconds: 30 * 24 * 3600,
      return_url: 'https://ads.example.com/setup/done?step=1',
    });
    assert.equal(body.expires_at, new Date(clock.now().getTime() + 30 * DAY_MS).toISOString());
    assert.equal(body.return_url, 'https://ads.example.com/setup/done?step=1');
    // outbound.allowHttpLoopback is on in tests, as in development.
    const local = await create({ intents: ['sso'], return_url: 'http://localhost:8080/done' });
    assert.equal(local.body.return_url, 'http://localhost:8080/done');
  });

  it('when links are listed, then each has its status (active, used, expired, revoked) and none its URL', async () => {
    const org = await f.makeOrg('list-org');
    const active = await create({ intents: ['sso'] }, org.admin, org.id);
    const used = await create({ intents: ['sso'] }, org.admin, org.id);
    const expired = await create({ intents: ['sso'], lifetime_seconds: 60 }, org.admin, org.id);
    const revoked = await create({ intents: ['sso'] }, org.admin, org.id);
    await f.t.app.db.query('UPDATE portal_links SET used_at = now() WHERE id = $1', [used.body.id]);
    assert.equal((await org.admin.delete(`${linksOf(org.id)}/${revoked.body.id}`)).status, 204);
    clock.advance(61_000);

    const res = await org.admin.get(`${linksOf(org.id)}?limit=10`);
    assert.equal(res.status, 200);
    assertMatchesSpec(res, 'get', LIST);
    const items = (res.body as { items: LinkBody[] }).items;
    assert.deepEqual(
      items.map((l) => [l.id, l.status]),
      [
        [active.body.id, 'active'],
        [used.body.id, 'used'],
        [expired.body.id, 'expired'],
        [revoked.body.id, 'revoked'],
      ],
    );
    assert.ok(!res.text.includes('lkp_'));
    assert.ok(!res.text.includes('token'));
  });

  it('when a link is revoked, then 204, idempotent, audited once', async () => {
    const { body } = await create({ intents: ['sso'] });
    const path = `${linksOf(f.orgA.id)}/${body.id}`;
    const first = await f.orgA.admin.delete(path);
    assert.equal(first.status, 204);
    assertMatchesSpec(first, 'delete', ONE);
    assert.equal((await f.orgA.admin.delete(path)).status, 204);
    const revokes = (
      await f.t.app.db.query(
        `SELECT 1 FROM audit_events WHERE target_id = $1 AND type = 'admin.portal_link.revoked'`,
        [body.id],
      )
    ).rows;
    assert.equal(revokes.length, 1);
    assert.equal(((await f.orgA.admin.get(path)).body as LinkBody).status, 'revoked');
  });

  it("when another org's key names this org or its link, then 404 for every verb", async () => {
    const { body } = await create({ intents: ['sso'] });
    const item = `${linksOf(f.orgA.id)}/${body.id}`;
    const answers = [
      await f.orgB.admin.post(linksOf(f.orgA.id), { intents: ['sso'] }),
      await f.orgB.admin.get(linksOf(f.orgA.id)),
      await f.orgB.admin.get(item),
      await f.orgB.admin.delete(item),
      // Its own org, the other org's link id.
      await f.orgB.admin.get(`${linksOf(f.orgB.id)}/${body.id}`),
      await f.orgB.admin.delete(`${linksOf(f.orgB.id)}/${body.id}`),
      await f.orgA.admin.get(`${linksOf(f.orgA.id)}/${UNKNOWN_ID}`),
      await f.orgA.admin.delete(`${linksOf(f.orgA.id)}/not-a-uuid`),
    ];
    assert.deepEqual(
      answers.map((r) => r.status),
      answers.map(() => 404),
    );
    assert.equal(((await f.orgA.admin.get(item)).body as LinkBody).status, 'active');
  });
});
