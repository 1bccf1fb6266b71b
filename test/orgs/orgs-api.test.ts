import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createApiKeyService } from '../../src/orgs/index.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const ORGS = '/api/v1/orgs';
const ORG = '/api/v1/orgs/{orgId}';

describe('admin API: orgs', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
  });
  after(async () => {
    await f.t.close();
  });

  describe('authentication', () => {
    it('when no key, a malformed key or a wrong secret is sent, then 401 with WWW-Authenticate', async () => {
      const wrongSecret = f.platformKey.slice(0, -4) + 'AAAA';
      for (const header of [
        undefined,
        'Bearer nope',
        `Bearer ${wrongSecret}`,
        `Basic ${f.platformKey}`,
      ]) {
        const r = request(f.t.app.http).get(ORGS);
        if (header) r.set('Authorization', header);
        const res = await r;
        assert.equal(res.status, 401, String(header));
        assert.equal((res.body as { code: string }).code, 'unauthorized');
        assert.match(res.headers['www-authenticate'] ?? '', /^Bearer/);
        assertMatchesSpec(res, 'get', ORGS);
      }
    });

    it('when an unauthenticated request has a malformed body, then it is 401, not parsed', async () => {
      const res = await request(f.t.app.http)
        .post(ORGS)
        .set('Content-Type', 'application/json')
        .send('{oops');
      assert.equal(res.status, 401);
    });
  });

  describe('happy paths', () => {
    it('when a platform admin creates an org, then 201 with Location, ETag and default settings', async () => {
      const res = await f.platform.post(ORGS, { slug: 'globex', name: 'Globex Corp' });
      assert.equal(res.status, 201);
      assertMatchesSpec(res, 'post', ORGS);
      const org = res.body as { id: string; settings: Record<string, unknown>; status: string };
      assert.equal(res.headers.location, `/api/v1/orgs/${org.id}`);
      assert.equal(res.headers.etag, '"1"');
      assert.equal(org.status, 'active');
      assert.deepEqual(org.settings, {
        session_idle_timeout_seconds: 3600,
        session_absolute_lifetime_seconds: 43200,
        max_sessions_per_user: 10,
        require_verified_email: true,
        require_mfa: false,
        require_phishing_resistant: false,
        audit_ip: 'full',
        audit_retention_days: 365,
        login_starts_per_ip_per_minute: null,
        login_starts_per_minute: null,
      });
      assert.match(org.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      const got = await f.platform.get(`/api/v1/orgs/${org.id}`);
      assert.equal(got.status, 200);
      assertMatchesSpec(got, 'get', ORG);
      assert.deepEqual(got.body, res.body);
    });

    it('when an org admin updates its own org with the current ETag, then the change is saved', async () => {
      const current = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}`);
      const res = await f.orgA.admin.patch(
        `/api/v1/orgs/${f.orgA.id}`,
        { name: 'Org A, renamed', settings: { max_sessions_per_user: 3 } },
        current.headers.etag,
      );
      assert.equal(res.status, 200);
      assertMatchesSpec(res, 'patch', ORG);
      const org = res.body as {
        name: string;
        settings: { max_sessions_per_user: number; session_idle_timeout_seconds: number };
      };
      assert.equal(org.name, 'Org A, renamed');
      assert.equal(org.settings.max_sessions_per_user, 3);
      assert.equal(org.settings.session_idle_timeout_seconds, 3600);
      assert.notEqual(res.headers.etag, current.headers.etag);
    });

    it('when orgs are listed, then a platform admin sees all of them and an org admin only its own', async () => {
      const all = await f.platform.get(`${ORGS}?limit=200`);
      assert.equal(all.status, 200);
      assertMatchesSpec(all, 'get', ORGS);
      const ids = (all.body as { items: Array<{ id: string }> }).items.map((o) => o.id);
      assert.ok(ids.includes(f.orgA.id) && ids.includes(f.orgB.id));
      const mine = await f.orgA.admin.get(ORGS);
      assert.deepEqual(
        (mine.body as { items: Array<{ id: string }> }).items.map((o) => o.id),
        [f.orgA.id],
      );
    });

    it('when there are more orgs than a page holds, then cursors walk every one exactly once', async () => {
      for (let i = 0; i < 5; i++) await f.makeOrg(`paged-${i}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await f.platform.get(`${ORGS}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        assertMatchesSpec(res, 'get', ORGS);
        const body = res.body as { items: Array<{ id: string }>; next_cursor: string | null };
        assert.ok(body.items.length <= 2);
        seen.push(...body.items.map((o) => o.id));
        cursor = body.next_cursor;
        pages += 1;
      } while (cursor && pages < 50);
      assert.ok(pages > 2);
      assert.equal(new Set(seen).size, seen.length, 'no org twice');
      assert.deepEqual(seen, [...seen].sort(), 'oldest first');
      const everything = await f.platform.get(`${ORGS}?limit=200`);
      assert.equal(seen.length, (everything.body as { items: unknown[] }).items.length);
    });

    it('when a platform admin deletes an org, then it is disabled, its keys stop working, and it can still be read', async () => {
      const victim = await f.makeOrg('doomed');
      assert.equal((await victim.admin.get(`/api/v1/orgs/${victim.id}`)).status, 200);
      const res = await f.platform.delete(`/api/v1/orgs/${victim.id}`);
      assert.equal(res.status, 204);
      assertMatchesSpec(res, 'delete', ORG);
      const after = await f.platform.get(`/api/v1/orgs/${victim.id}`);
      assert.equal((after.body as { status: string }).status, 'disabled');
      // In this process the org key's cached verification goes with the org: refused now.
      assert.equal((await victim.admin.get(`/api/v1/orgs/${victim.id}`)).status, 401);
      // Another process trusts its cached verification for at most apiKeyCacheSeconds; a
      // fresh verification (new process) refuses it.
      const freshProcess = createApiKeyService({
        db: f.t.app.db,
        audit: f.t.app.audit,
        clock: f.t.app.clock,
        cacheSeconds: 0,
      });
      assert.equal(await freshProcess.authenticate(victim.keySecret), null);
      const { rows } = await f.t.app.db.query<{ type: string }>(
        `SELECT type FROM audit_events WHERE org_id = $1 ORDER BY id`,
        [victim.id],
      );
      assert.deepEqual(
        rows.map((r) => r.type),
        ['admin.org.created', 'admin.apikey.created', 'admin.org.deleted'],
      );
    });
  });

  describe('validation and mass assignment', () => {
    it('when fields are missing, malformed or out of range, then 400 validation_failed naming each field', async () => {
      const res = await f.platform.post(ORGS, {
        slug: 'Bad Slug!',
        settings: { session_idle_timeout_seconds: 5, max_sessions_per_user: 0 },
      });
      assert.equal(res.status, 400);
      assertMatchesSpec(res, 'post', ORGS);
      const body = res.body as { code: string; errors: Array<{ field: string }> };
      assert.equal(body.code, 'validation_failed');
      const fields = body.errors.map((e) => e.field).sort();
      assert.deepEqual(fields, [
        'name',
        'settings.max_sessions_per_user',
        'settings.session_idle_timeout_seconds',
        'slug',
      ]);
    });

    it('when an org key changes the audit settings of its own org, then 403 and nothing changes; other settings it may change', async () => {
      const before = await f.platform.get(`/api/v1/orgs/${f.orgB.id}`);
      for (const settings of [{ audit_retention_days: 1 }, { audit_ip: 'none' }]) {
        const res = await f.orgB.admin.patch(`/api/v1/orgs/${f.orgB.id}`, { settings });
        assert.equal(res.status, 403, JSON.stringify(settings));
        assert.equal((res.body as { code: string }).code, 'insufficient_scope');
      }
      const after = await f.platform.get(`/api/v1/orgs/${f.orgB.id}`);
      assert.deepEqual(after.body, before.body);
      const allowed = await f.orgB.admin.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: { max_sessions_per_user: 7 },
      });
      assert.equal(allowed.status, 200);
    });

    it('when audit settings are out of range, then 400 naming each; in range, then they are kept', async () => {
      const bad = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: { audit_ip: 'half', audit_retention_days: 0 },
      });
      assert.equal(bad.status, 400);
      assert.deepEqual(
        (bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort(),
        ['settings.audit_ip', 'settings.audit_retention_days'],
      );
      const good = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: { audit_ip: 'truncated', audit_retention_days: 30 },
      });
      assert.equal(good.status, 200);
      assertMatchesSpec(good, 'patch', ORG);
      const settings = (good.body as { settings: Record<string, unknown> }).settings;
      assert.equal(settings.audit_ip, 'truncated');
      assert.equal(settings.audit_retention_days, 30);
    });

    it('when an org key changes the sign-in limits of its own org, then 403 and nothing changes', async () => {
      const before = await f.platform.get(`/api/v1/orgs/${f.orgB.id}`);
      for (const settings of [
        { login_starts_per_ip_per_minute: 5000 },
        { login_starts_per_minute: 100_000 },
        { login_starts_per_ip_per_minute: null },
        { login_starts_per_minute: null },
      ]) {
        const res = await f.orgB.admin.patch(`/api/v1/orgs/${f.orgB.id}`, { settings });
        assert.equal(res.status, 403, JSON.stringify(settings));
        assertMatchesSpec(res, 'patch', ORG);
        assert.equal((res.body as { code: string }).code, 'insufficient_scope');
      }
      const after = await f.platform.get(`/api/v1/orgs/${f.orgB.id}`);
      assert.deepEqual(after.body, before.body);
    });

    it('when sign-in limits are out of range, then 400 naming each; in range, then a platform admin sets them, GET shows them and null resets them', async () => {
      for (const [settings, fields] of [
        [
          { login_starts_per_ip_per_minute: 0, login_starts_per_minute: 0 },
          ['settings.login_starts_per_ip_per_minute', 'settings.login_starts_per_minute'],
        ],
        [
          { login_starts_per_ip_per_minute: 1_000_001, login_starts_per_minute: 10_000_001 },
          ['settings.login_starts_per_ip_per_minute', 'settings.login_starts_per_minute'],
        ],
        [{ login_starts_per_ip_per_minute: 2.5 }, ['settings.login_starts_per_ip_per_minute']],
        [{ login_starts_per_minute: '100' }, ['settings.login_starts_per_minute']],
      ] as const) {
        const bad = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, { settings });
        assert.equal(bad.status, 400, JSON.stringify(settings));
        assertMatchesSpec(bad, 'patch', ORG);
        assert.deepEqual(
          (bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort(),
          fields,
        );
      }
      const good = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: {
          login_starts_per_ip_per_minute: 1_000_000,
          login_starts_per_minute: 10_000_000,
        },
      });
      assert.equal(good.status, 200);
      assertMatchesSpec(good, 'patch', ORG);
      const got = await f.orgB.admin.get(`/api/v1/orgs/${f.orgB.id}`);
      assertMatchesSpec(got, 'get', ORG);
      const settings = (got.body as { settings: Record<string, unknown> }).settings;
      assert.equal(settings.login_starts_per_ip_per_minute, 1_000_000);
      assert.equal(settings.login_starts_per_minute, 10_000_000);
      const reset = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: { login_starts_per_ip_per_minute: null },
      });
      assert.equal(reset.status, 200);
      assertMatchesSpec(reset, 'patch', ORG);
      const after = (reset.body as { settings: Record<string, unknown> }).settings;
      assert.equal(after.login_starts_per_ip_per_minute, null);
      assert.equal(after.login_starts_per_minute, 10_000_000);
      const cleared = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: { login_starts_per_minute: null },
      });
      assert.equal(cleared.status, 200);
      assert.equal(
        (cleared.body as { settings: Record<string, unknown> }).settings.login_starts_per_minute,
        null,
      );
    });

    it('when a platform admin creates an org with sign-in limits, then they are kept', async () => {
      const res = await f.platform.post(ORGS, {
        slug: 'initech-nat',
        name: 'Initech',
        settings: { login_starts_per_ip_per_minute: 2000, login_starts_per_minute: null },
      });
      assert.equal(res.status, 201);
      assertMatchesSpec(res, 'post', ORGS);
      const settings = (res.body as { settings: Record<string, unknown> }).settings;
      assert.equal(settings.login_starts_per_ip_per_minute, 2000);
      assert.equal(settings.login_starts_per_minute, null);
    });

    it('when the idle timeout exceeds the absolute lifetime, then 400 on that field', async () => {
      const res = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: { session_idle_timeout_seconds: 50_000 },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(
        (res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field),
        ['settings.session_idle_timeout_seconds'],
      );
    });

    it('when a body smuggles id, status, org_id, scope or role, then 400 and nothing changes', async () => {
      const before = await f.orgB.admin.get(`/api/v1/orgs/${f.orgB.id}`);
      for (const smuggled of [
        { id: f.orgA.id },
        { status: 'disabled' },
        { org_id: f.orgA.id },
        { scope: 'platform:admin' },
        { role: 'admin' },
        { slug: 'stolen' },
      ]) {
        const res = await f.orgB.admin.patch(`/api/v1/orgs/${f.orgB.id}`, {
          name: 'x',
          ...smuggled,
        });
        assert.equal(res.status, 400, JSON.stringify(smuggled));
        const errors = (res.body as { errors: Array<{ field: string; message: string }> }).errors;
        assert.deepEqual(errors, [{ field: Object.keys(smuggled)[0]!, message: 'unknown field' }]);
      }
      const keyRes = await f.orgB.admin.post(`/api/v1/orgs/${f.orgB.id}/api-keys`, {
        name: 'k',
        scope: 'platform:admin',
      });
      assert.equal(keyRes.status, 400);
      const after = await f.orgB.admin.get(`/api/v1/orgs/${f.orgB.id}`);
      assert.deepEqual(after.body, before.body);
    });

    it('when a slug is taken, then 409 org_slug_taken', async () => {
      const res = await f.platform.post(ORGS, { slug: 'org-a', name: 'Again' });
      assert.equal(res.status, 409);
      assert.equal((res.body as { code: string }).code, 'org_slug_taken');
      assertMatchesSpec(res, 'post', ORGS);
    });

    it('when limit or cursor are not valid, then 400 naming them', async () => {
      for (const query of ['limit=0', 'limit=201', 'limit=abc', 'cursor=not-a-cursor']) {
        const res = await f.platform.get(`${ORGS}?${query}`);
        assert.equal(res.status, 400, query);
        assertMatchesSpec(res, 'get', ORGS);
      }
    });
  });

  describe('tenant isolation', () => {
    it("when an org admin uses another org's id with any verb, then 404 exactly like an unknown id", async () => {
      const unknown = '01900000-0000-7000-8000-000000000000';
      for (const id of [f.orgB.id, unknown, 'not-a-uuid']) {
        const path = `/api/v1/orgs/${id}`;
        const responses = [
          ['GET', await f.orgA.admin.get(path)],
          ['PATCH', await f.orgA.admin.patch(path, { name: 'pwned' })],
          ['DELETE', await f.orgA.admin.delete(path)],
          ['GET keys', await f.orgA.admin.get(`${path}/api-keys`)],
          ['POST keys', await f.orgA.admin.post(`${path}/api-keys`, { name: 'backdoor' })],
        ] as const;
        for (const [verb, res] of responses) {
          assert.equal(res.status, 404, `${verb} ${path}`);
          assert.equal((res.body as { code: string }).code, 'not_found');
          assert.equal((res.body as { detail: string }).detail.includes(f.orgB.id), false);
        }
      }
      const b = await f.platform.get(`/api/v1/orgs/${f.orgB.id}`);
      assert.notEqual((b.body as { name: string }).name, 'pwned');
    });

    it('when an org admin tries platform-only operations, then 403 insufficient_scope', async () => {
      const create = await f.orgA.admin.post(ORGS, { slug: 'rogue', name: 'Rogue' });
      assert.equal(create.status, 403);
      assert.equal((create.body as { code: string }).code, 'insufficient_scope');
      assertMatchesSpec(create, 'post', ORGS);
      assert.equal((await f.orgA.admin.delete(`/api/v1/orgs/${f.orgA.id}`)).status, 403);
      assert.equal((await f.orgA.admin.post('/api/v1/api-keys', { name: 'escalate' })).status, 403);
      assert.equal((await f.orgA.admin.get('/api/v1/api-keys')).status, 403);
    });
  });

  describe('optimistic concurrency', () => {
    it('when If-Match names an old version, then 412 and the newer write stands', async () => {
      const read = await f.platform.get(`/api/v1/orgs/${f.orgB.id}`);
      const first = await f.platform.patch(
        `/api/v1/orgs/${f.orgB.id}`,
        { name: 'first writer' },
        read.headers.etag,
      );
      assert.equal(first.status, 200);
      const second = await f.platform.patch(
        `/api/v1/orgs/${f.orgB.id}`,
        { name: 'second writer' },
        read.headers.etag,
      );
      assert.equal(second.status, 412);
      assert.equal((second.body as { code: string }).code, 'precondition_failed');
      assertMatchesSpec(second, 'patch', ORG);
      const now = await f.platform.get(`/api/v1/orgs/${f.orgB.id}`);
      assert.equal((now.body as { name: string }).name, 'first writer');
      const garbage = await f.platform.patch(
        `/api/v1/orgs/${f.orgB.id}`,
        { name: 'x' },
        'nonsense',
      );
      assert.equal(garbage.status, 412);
    });
  });

  describe('audit', () => {
    it('when an org changes, then one audit event holds actor, target and exactly what changed', async () => {
      const res = await f.platform.patch(`/api/v1/orgs/${f.orgB.id}`, {
        settings: { require_verified_email: false },
      });
      assert.equal(res.status, 200);
      const { rows } = await f.t.app.db.query<{
        actor_type: string;
        actor_id: string;
        target_id: string;
        data: { before: unknown; after: unknown };
        request_id: string;
      }>(
        `SELECT * FROM audit_events WHERE org_id = $1 AND type = 'admin.org.updated' ORDER BY id DESC LIMIT 1`,
        [f.orgB.id],
      );
      const event = rows[0]!;
      assert.equal(event.actor_type, 'api_key');
      assert.equal(event.target_id, f.orgB.id);
      assert.equal(event.request_id, res.headers['x-request-id']);
      assert.deepEqual(event.data, {
        before: { requireVerifiedEmail: true },
        after: { requireVerifiedEmail: false },
      });
    });
  });
});
