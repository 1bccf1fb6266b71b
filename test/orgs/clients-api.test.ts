import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const CLIENTS = '/api/v1/clients';
const CLIENT = '/api/v1/clients/{clientId}';
const SECRETS = '/api/v1/clients/{clientId}/secrets';
const CLIENT_ID_SHAPE = /^lkc_[A-Za-z0-9_-]{22}$/;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const UNKNOWN_ID = 'lkc_AAAAAAAAAAAAAAAAAAAAAA';

interface ClientBody {
  id: string;
  name: string;
  type: string;
  status: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  backchannel_logout_uri: string | null;
  allowed_scopes: string[];
  allowed_audiences: string[];
  access_token_ttl_seconds: number;
  secrets: Array<{ id: string; created_at: string; expires_at: string | null }>;
  created_at: string;
  updated_at: string;
  client_secret?: string;
}

const webApp = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ads Manager',
  type: 'confidential',
  redirect_uris: ['https://ads.example.com/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  ...overrides,
});

const fieldsOf = (res: request.Response) => {
  const body = res.body as { code: string; errors?: Array<{ field: string }> };
  assert.equal(res.status, 400, res.text);
  assert.equal(body.code, 'validation_failed');
  return [...new Set((body.errors ?? []).map((e) => e.field))].sort();
};

describe('admin API: OAuth clients', () => {
  let f: AdminFixture;
  const clock = createFakeClock(Date.UTC(2026, 2, 1, 12));
  before(async () => {
    f = await startAdminFixture({ clock });
  });
  after(async () => {
    await f.t.close();
  });

  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await f.platform.post(CLIENTS, webApp(overrides));
    assert.equal(res.status, 201, res.text);
    return res.body as ClientBody;
  };

  describe('happy paths', () => {
    it('when a platform admin registers a confidential client, then 201 with Location, ETag, defaults and a secret shown once', async () => {
      const res = await f.platform.post(CLIENTS, webApp());
      assert.equal(res.status, 201);
      assertMatchesSpec(res, 'post', CLIENTS);
      const client = res.body as ClientBody;
      assert.match(client.id, CLIENT_ID_SHAPE);
      assert.equal(res.headers.location, `/api/v1/clients/${client.id}`);
      assert.equal(res.headers.etag, '"1"');
      assert.match(client.client_secret ?? '', SECRET_SHAPE);
      assert.equal(client.status, 'active');
      assert.deepEqual(client.allowed_scopes, ['openid', 'profile', 'email', 'offline_access']);
      assert.equal(client.access_token_ttl_seconds, 300);
      assert.deepEqual(client.post_logout_redirect_uris, []);
      assert.deepEqual(client.allowed_audiences, []);
      assert.equal(client.backchannel_logout_uri, null);
      assert.equal(client.secrets.length, 1);
      assert.equal(client.secrets[0]!.expires_at, null);
      assert.equal(client.created_at, clock.now().toISOString());

      const got = await f.platform.get(`${CLIENTS}/${client.id}`);
      assert.equal(got.status, 200);
      assertMatchesSpec(got, 'get', CLIENT);
      assert.equal(got.headers.etag, '"1"');
      const { client_secret: _secret, ...withoutSecret } = client;
      assert.deepEqual(got.body, withoutSecret);
      assert.ok(!got.text.includes(client.client_secret!));
    });

    it('when every optional field is given, then each is stored exactly as given', async () => {
      const body = webApp({
        name: 'Reporting API',
        redirect_uris: ['https://ads.example.com/cb?tenant=1', 'http://127.0.0.1:8123/cb'],
        post_logout_redirect_uris: ['https://ads.example.com/bye', 'http://localhost/bye'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        backchannel_logout_uri: 'https://ads.example.com/backchannel?x=1',
        allowed_scopes: ['openid', 'ads:read', 'ads:write'],
        allowed_audiences: ['https://ads-api.example.com', 'urn:ads:reports', 'reporting-api'],
        access_token_ttl_seconds: 3600,
      });
      const client = await create(body);
      for (const key of Object.keys(body) as Array<keyof typeof body>) {
        if (key === 'type') continue;
        assert.deepEqual(client[key as keyof ClientBody], body[key], key);
      }
      const loopbacks = await create({ redirect_uris: ['http://[::1]:9000/cb'] });
      assert.deepEqual(loopbacks.redirect_uris, ['http://[::1]:9000/cb']);
    });

    it('when a public client is registered, then it gets no secret', async () => {
      const res = await f.platform.post(
        CLIENTS,
        webApp({ name: 'Ads mobile', type: 'public', redirect_uris: ['http://127.0.0.1/cb'] }),
      );
      assert.equal(res.status, 201);
      assertMatchesSpec(res, 'post', CLIENTS);
      const client = res.body as ClientBody;
      assert.equal('client_secret' in client, false);
      assert.deepEqual(client.secrets, []);
      const { rows } = await f.t.app.db.query(
        'SELECT id FROM oauth_client_secrets WHERE client_id = $1',
        [client.id],
      );
      assert.equal(rows.length, 0);
    });

    it('when a backend service uses only client_credentials, then it needs no redirect URI', async () => {
      const client = await create({
        name: 'Billing job',
        redirect_uris: [],
        grant_types: ['client_credentials'],
        allowed_scopes: [],
        allowed_audiences: ['billing'],
      });
      assert.deepEqual(client.grant_types, ['client_credentials']);
      assert.match(client.client_secret ?? '', SECRET_SHAPE);
    });

    it('when a client is updated with the current ETag, then the change is saved and the ETag moves', async () => {
      const client = await create();
      const res = await f.platform.patch(
        `${CLIENTS}/${client.id}`,
        {
          name: 'Ads Manager (EU)',
          status: 'disabled',
          redirect_uris: ['https://eu.ads.example.com/callback'],
          backchannel_logout_uri: 'https://eu.ads.example.com/logout',
          access_token_ttl_seconds: 120,
        },
        '"1"',
      );
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'patch', CLIENT);
      assert.equal(res.headers.etag, '"2"');
      const updated = res.body as ClientBody;
      assert.equal(updated.name, 'Ads Manager (EU)');
      assert.equal(updated.status, 'disabled');
      assert.deepEqual(updated.redirect_uris, ['https://eu.ads.example.com/callback']);
      assert.equal(updated.access_token_ttl_seconds, 120);
      assert.deepEqual(updated.grant_types, client.grant_types);
      const cleared = await f.platform.patch(`${CLIENTS}/${client.id}`, {
        backchannel_logout_uri: null,
        status: 'active',
      });
      assert.equal(cleared.status, 200);
      assert.equal((cleared.body as ClientBody).backchannel_logout_uri, null);
      assert.equal((cleared.body as ClientBody).status, 'active');
    });

    it('when there are more clients than a page holds, then cursors walk every one exactly once', async () => {
      for (let i = 0; i < 5; i++) await create({ name: `paged ${i}` });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await f.platform.get(`${CLIENTS}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        assertMatchesSpec(res, 'get', CLIENTS);
        assert.ok(!res.text.includes('client_secret'));
        const body = res.body as { items: ClientBody[]; next_cursor: string | null };
        assert.ok(body.items.length <= 2);
        seen.push(...body.items.map((c) => c.id));
        cursor = body.next_cursor;
        pages += 1;
      } while (cursor && pages < 100);
      assert.ok(pages > 2);
      assert.equal(new Set(seen).size, seen.length, 'no client twice');
      const everything = await f.platform.get(`${CLIENTS}?limit=200`);
      const all = (everything.body as { items: ClientBody[] }).items.map((c) => c.id);
      assert.deepEqual(seen, all);
      const { rows } = await f.t.app.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM oauth_clients',
      );
      assert.equal(seen.length, rows[0]!.n);
    });

    it('when a client is deleted, then 204, it is gone with its secrets, and the deletion is audited', async () => {
      const client = await create();
      clock.advance(1000); // audit events are ordered by their time-ordered ids
      const res = await f.platform.delete(`${CLIENTS}/${client.id}`);
      assert.equal(res.status, 204);
      assertMatchesSpec(res, 'delete', CLIENT);
      const gone = await f.platform.get(`${CLIENTS}/${client.id}`);
      assert.equal(gone.status, 404);
      assertMatchesSpec(gone, 'get', CLIENT);
      assert.equal((await f.platform.delete(`${CLIENTS}/${client.id}`)).status, 404);
      const secrets = await f.t.app.db.query(
        'SELECT id FROM oauth_client_secrets WHERE client_id = $1',
        [client.id],
      );
      assert.equal(secrets.rows.length, 0);
      const { rows } = await f.t.app.db.query<{ type: string; org_id: string | null }>(
        'SELECT type, org_id FROM audit_events WHERE target_id = $1 ORDER BY id',
        [client.id],
      );
      assert.deepEqual(
        rows.map((r) => r.type),
        ['admin.client.created', 'admin.client.deleted'],
      );
      assert.ok(rows.every((r) => r.org_id === null));
    });
  });

  describe('secret rotation', () => {
    it('when a secret is rotated, then a new one is shown once and the old one gets the overlap window', async () => {
      const client = await create();
      const oldSecretId = client.secrets[0]!.id;
      clock.advance(5_000);
      const res = await f.platform.post(`${CLIENTS}/${client.id}/secrets`, {
        overlap_seconds: 600,
      });
      assert.equal(res.status, 201, res.text);
      assertMatchesSpec(res, 'post', SECRETS);
      assert.equal(res.headers.location, `/api/v1/clients/${client.id}`);
      assert.equal(res.headers.etag, '"2"');
      const rotated = res.body as ClientBody;
      assert.match(rotated.client_secret ?? '', SECRET_SHAPE);
      assert.notEqual(rotated.client_secret, client.client_secret);
      const old = rotated.secrets.find((s) => s.id === oldSecretId);
      assert.equal(old?.expires_at, new Date(clock.nowMs() + 600_000).toISOString());
      const current = rotated.secrets.filter((s) => s.expires_at === null);
      assert.equal(current.length, 1);
      assert.notEqual(current[0]!.id, oldSecretId);

      const got = await f.platform.get(`${CLIENTS}/${client.id}`);
      assert.ok(!got.text.includes(rotated.client_secret!));
      assert.ok(!got.text.includes('client_secret'));
    });

    it('when no body is sent, then the default overlap is one day', async () => {
      const client = await create();
      const res = await f.platform.post(`${CLIENTS}/${client.id}/secrets`);
      assert.equal(res.status, 201, res.text);
      const old = (res.body as ClientBody).secrets.find((s) => s.id === client.secrets[0]!.id);
      assert.equal(old?.expires_at, new Date(clock.nowMs() + 86_400_000).toISOString());
    });

    it('when the overlap is over, then the next rotation deletes the expired secret', async () => {
      const client = await create();
      await f.platform.post(`${CLIENTS}/${client.id}/secrets`, { overlap_seconds: 60 });
      clock.advance(61_000);
      const res = await f.platform.post(`${CLIENTS}/${client.id}/secrets`, {
        overlap_seconds: 0,
      });
      assert.equal(res.status, 201);
      const secrets = (res.body as ClientBody).secrets;
      assert.equal(secrets.length, 1, 'the expired one and the one expired at once are gone');
      assert.equal(secrets[0]!.expires_at, null);
    });

    it('when a public client is asked to rotate, then 409 client_not_confidential', async () => {
      const client = await create({ type: 'public', name: 'SPA' });
      const res = await f.platform.post(`${CLIENTS}/${client.id}/secrets`, {});
      assert.equal(res.status, 409);
      assert.equal((res.body as { code: string }).code, 'client_not_confidential');
      assertMatchesSpec(res, 'post', SECRETS);
    });

    it('when the overlap is out of range or a field is unknown, then 400 naming it', async () => {
      const client = await create();
      for (const [body, field] of [
        [{ overlap_seconds: -1 }, 'overlap_seconds'],
        [{ overlap_seconds: 2_592_001 }, 'overlap_seconds'],
        [{ overlap_seconds: 1.5 }, 'overlap_seconds'],
        [{ client_secret: 'A'.repeat(43) }, 'client_secret'],
      ] as const) {
        const res = await f.platform.post(`${CLIENTS}/${client.id}/secrets`, body);
        assert.deepEqual(fieldsOf(res), [field], JSON.stringify(body));
        assertMatchesSpec(res, 'post', SECRETS);
      }
      const after = await f.platform.get(`${CLIENTS}/${client.id}`);
      assert.equal((after.body as ClientBody).secrets.length, 1);
    });
  });

  describe('validation', () => {
    it('when required fields are missing or of the wrong kind, then 400 naming each', async () => {
      const res = await f.platform.post(CLIENTS, { type: 'other' });
      assertMatchesSpec(res, 'post', CLIENTS);
      assert.deepEqual(fieldsOf(res), ['grant_types', 'name', 'redirect_uris', 'type']);
      const blank = await f.platform.post(CLIENTS, webApp({ name: '   ' }));
      assert.deepEqual(fieldsOf(blank), ['name']);
    });

    it('when a redirect URI breaks a rule, then 400 on that URI', async () => {
      for (const uri of [
        '/callback',
        'ads.example.com/callback',
        'https://ads.example.com/callback#frag',
        'https://ads.example.com/callback#',
        'https://*.example.com/callback',
        'https://ads.example.com/*',
        'https://user@ads.example.com/callback',
        'https://user:pw@ads.example.com/callback',
        'http://ads.example.com/callback',
        'http://127.0.0.1.nip.io/callback',
        'com.example.ads:/callback',
        'javascript:alert(1)',
        'https://ads.example.com/call back',
        'https:ads.example.com/callback',
        'x'.repeat(2001),
      ]) {
        const res = await f.platform.post(
          CLIENTS,
          webApp({ redirect_uris: ['https://ok.example.com/cb', uri] }),
        );
        assert.deepEqual(fieldsOf(res), ['redirect_uris.1'], uri);
        const logout = await f.platform.post(CLIENTS, webApp({ post_logout_redirect_uris: [uri] }));
        assert.deepEqual(fieldsOf(logout), ['post_logout_redirect_uris.0'], uri);
      }
    });

    it('when there are more than 20 redirect URIs or one repeats, then 400 on the list', async () => {
      const many = Array.from({ length: 21 }, (_, i) => `https://ads.example.com/cb/${i}`);
      assert.deepEqual(fieldsOf(await f.platform.post(CLIENTS, webApp({ redirect_uris: many }))), [
        'redirect_uris',
      ]);
      assert.equal(
        (await f.platform.post(CLIENTS, webApp({ redirect_uris: many.slice(0, 20) }))).status,
        201,
      );
      const twice = ['https://ads.example.com/cb', 'https://ads.example.com/cb'];
      assert.deepEqual(fieldsOf(await f.platform.post(CLIENTS, webApp({ redirect_uris: twice }))), [
        'redirect_uris',
      ]);
    });

    it('when grant types do not fit together, then 400 naming the field at fault', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ redirect_uris: [] }, ['redirect_uris']],
        [{ grant_types: ['refresh_token'] }, ['grant_types']],
        [{ grant_types: ['refresh_token', 'client_credentials'] }, ['grant_types']],
        [{ type: 'public', grant_types: ['client_credentials'] }, ['grant_types']],
        [{ grant_types: [] }, ['grant_types']],
        [{ grant_types: ['password'] }, ['grant_types.0']],
        [{ grant_types: ['implicit'] }, ['grant_types.0']],
        [{ grant_types: ['authorization_code', 'authorization_code'] }, ['grant_types']],
      ];
      for (const [overrides, fields] of cases) {
        const res = await f.platform.post(CLIENTS, webApp(overrides));
        assert.deepEqual(fieldsOf(res), fields, JSON.stringify(overrides));
        assertMatchesSpec(res, 'post', CLIENTS);
      }
    });

    it('when the back-channel logout URI is not https (http only to loopback in dev), then 400', async () => {
      for (const uri of [
        'http://ads.example.com/logout',
        'https://ads.example.com/logout#x',
        'https://u@ads.example.com/logout',
        'https://*.example.com/logout',
        'relative/logout',
      ]) {
        const res = await f.platform.post(CLIENTS, webApp({ backchannel_logout_uri: uri }));
        assert.deepEqual(fieldsOf(res), ['backchannel_logout_uri'], uri);
      }
      // The test config allows plain-http loopback (outbound.allowHttpLoopback).
      const dev = await create({ backchannel_logout_uri: 'http://localhost:4000/logout' });
      assert.equal(dev.backchannel_logout_uri, 'http://localhost:4000/logout');
    });

    it('when a scope is not an RFC 6749 scope token or an audience is malformed, then 400 on it', async () => {
      for (const scope of ['two words', 'quo"te', 'back\\slash', '', 'tab\t', 'é']) {
        const res = await f.platform.post(CLIENTS, webApp({ allowed_scopes: ['openid', scope] }));
        assert.deepEqual(fieldsOf(res), ['allowed_scopes.1'], scope);
      }
      const repeated = await f.platform.post(
        CLIENTS,
        webApp({ allowed_scopes: ['openid', 'openid'] }),
      );
      assert.deepEqual(fieldsOf(repeated), ['allowed_scopes']);
      for (const audience of ['has space', '', '-leading', 'https://a b', 'not a uri:']) {
        const res = await f.platform.post(CLIENTS, webApp({ allowed_audiences: [audience] }));
        assert.deepEqual(fieldsOf(res), ['allowed_audiences.0'], audience);
      }
    });

    it('when the access-token lifetime is outside 60..3600 s or not whole, then 400', async () => {
      for (const ttl of [59, 3601, 300.5, '300']) {
        const res = await f.platform.post(CLIENTS, webApp({ access_token_ttl_seconds: ttl }));
        assert.deepEqual(fieldsOf(res), ['access_token_ttl_seconds'], String(ttl));
      }
      assert.equal((await create({ access_token_ttl_seconds: 60 })).access_token_ttl_seconds, 60);
    });

    it('when an update would break a combination rule, then 400 and nothing changes', async () => {
      const client = await create();
      const path = `${CLIENTS}/${client.id}`;
      assert.deepEqual(fieldsOf(await f.platform.patch(path, { redirect_uris: [] })), [
        'redirect_uris',
      ]);
      assert.deepEqual(fieldsOf(await f.platform.patch(path, { grant_types: ['refresh_token'] })), [
        'grant_types',
      ]);
      assert.deepEqual(
        fieldsOf(await f.platform.patch(path, { redirect_uris: ['http://ads.example.com/x'] })),
        ['redirect_uris.0'],
      );
      assert.deepEqual(fieldsOf(await f.platform.patch(path, { status: 'deleted' })), ['status']);
      const spa = await create({ type: 'public', name: 'SPA' });
      const res = await f.platform.patch(`${CLIENTS}/${spa.id}`, {
        grant_types: ['authorization_code', 'client_credentials'],
      });
      assert.deepEqual(fieldsOf(res), ['grant_types']);
      assertMatchesSpec(res, 'patch', CLIENT);
      const after = await f.platform.get(path);
      assert.equal(after.headers.etag, '"1"');
    });

    it('when limit or cursor are not valid, then 400 naming them', async () => {
      const uuidCursor = Buffer.from('01900000-0000-7000-8000-000000000000').toString('base64url');
      for (const query of ['limit=0', 'limit=201', 'cursor=not-a-cursor', `cursor=${uuidCursor}`]) {
        const res = await f.platform.get(`${CLIENTS}?${query}`);
        assert.equal(res.status, 400, query);
        assertMatchesSpec(res, 'get', CLIENTS);
      }
    });
  });

  describe('mass assignment', () => {
    it('when a create body smuggles id, status, secret or tenancy fields, then 400 unknown field and nothing is created', async () => {
      const { rows: before } = await f.t.app.db.query('SELECT id FROM oauth_clients');
      for (const smuggled of [
        { id: UNKNOWN_ID },
        { client_id: UNKNOWN_ID },
        { status: 'disabled' },
        { client_secret: 'A'.repeat(43) },
        { secrets: [] },
        { org_id: f.orgA.id },
        { scope: 'platform:admin' },
        { version: 7 },
        { created_at: '2020-01-01T00:00:00Z' },
      ]) {
        const res = await f.platform.post(CLIENTS, { ...webApp(), ...smuggled });
        assert.equal(res.status, 400, JSON.stringify(smuggled));
        assertMatchesSpec(res, 'post', CLIENTS);
        const errors = (res.body as { errors: Array<{ field: string; message: string }> }).errors;
        assert.deepEqual(errors, [{ field: Object.keys(smuggled)[0]!, message: 'unknown field' }]);
      }
      const { rows: after } = await f.t.app.db.query('SELECT id FROM oauth_clients');
      assert.equal(after.length, before.length);
    });

    it('when an update smuggles type, id, secrets or tenancy fields, then 400 unknown field and nothing changes', async () => {
      const client = await create();
      const path = `${CLIENTS}/${client.id}`;
      const before = await f.platform.get(path);
      for (const smuggled of [
        { type: 'public' },
        { id: UNKNOWN_ID },
        { client_secret: 'A'.repeat(43) },
        { secrets: [] },
        { org_id: f.orgA.id },
        { role: 'admin' },
        { updated_at: '2020-01-01T00:00:00Z' },
      ]) {
        const res = await f.platform.patch(path, { name: 'x', ...smuggled });
        assert.equal(res.status, 400, JSON.stringify(smuggled));
        const errors = (res.body as { errors: Array<{ field: string; message: string }> }).errors;
        assert.deepEqual(errors, [{ field: Object.keys(smuggled)[0]!, message: 'unknown field' }]);
      }
      const after = await f.platform.get(path);
      assert.deepEqual(after.body, before.body);
      assert.equal(after.headers.etag, before.headers.etag);
    });
  });

  describe('authority', () => {
    it('when an org admin uses any verb on clients, then 403 insufficient_scope, whether the id exists or not', async () => {
      const client = await create();
      const before = await f.platform.get(`${CLIENTS}/${client.id}`);
      const attempts: Array<[string, string, () => Promise<request.Response>]> = [
        ['post', CLIENTS, () => f.orgA.admin.post(CLIENTS, webApp())],
        ['post', CLIENTS, () => f.orgA.admin.post(CLIENTS, { bogus: true })],
        ['get', CLIENTS, () => f.orgA.admin.get(CLIENTS)],
        ['get', CLIENTS, () => f.orgA.admin.get(`${CLIENTS}?cursor=garbage`)],
      ];
      for (const id of [client.id, UNKNOWN_ID, 'not-a-client-id']) {
        const path = `${CLIENTS}/${id}`;
        attempts.push(
          ['get', CLIENT, () => f.orgA.admin.get(path)],
          ['patch', CLIENT, () => f.orgA.admin.patch(path, { name: 'pwned' })],
          ['patch', CLIENT, () => f.orgA.admin.patch(path, { name: 'pwned' }, 'garbage')],
          ['delete', CLIENT, () => f.orgA.admin.delete(path)],
          ['post', SECRETS, () => f.orgA.admin.post(`${path}/secrets`, {})],
        );
      }
      for (const [i, [method, template, attempt]] of attempts.entries()) {
        const res = await attempt();
        assert.equal(res.status, 403, `attempt ${i}: ${method} ${template}`);
        assert.equal((res.body as { code: string }).code, 'insufficient_scope');
        assertMatchesSpec(res, method, template);
        assert.ok(!res.text.includes(client.id));
      }
      const after = await f.platform.get(`${CLIENTS}/${client.id}`);
      assert.deepEqual(after.body, before.body);
      const { rows } = await f.t.app.db.query(`SELECT id FROM oauth_clients WHERE name = 'pwned'`);
      assert.equal(rows.length, 0);
    });

    it('when a platform admin names an unknown or malformed client id with any verb, then the same 404 not_found', async () => {
      for (const id of [UNKNOWN_ID, 'not-a-client-id', '01900000-0000-7000-8000-000000000000']) {
        const path = `${CLIENTS}/${id}`;
        const responses: Array<[string, string, request.Response]> = [
          ['get', CLIENT, await f.platform.get(path)],
          ['patch', CLIENT, await f.platform.patch(path, { name: 'x' })],
          ['delete', CLIENT, await f.platform.delete(path)],
          ['post', SECRETS, await f.platform.post(`${path}/secrets`, {})],
        ];
        for (const [method, template, res] of responses) {
          assert.equal(res.status, 404, `${method} ${path}`);
          assert.equal((res.body as { code: string }).code, 'not_found');
          assertMatchesSpec(res, method, template);
        }
      }
    });
  });

  describe('optimistic concurrency', () => {
    it('when If-Match names an old version, then 412 and the newer write stands', async () => {
      const client = await create();
      const path = `${CLIENTS}/${client.id}`;
      const first = await f.platform.patch(path, { name: 'first writer' }, '"1"');
      assert.equal(first.status, 200);
      const second = await f.platform.patch(path, { name: 'second writer' }, '"1"');
      assert.equal(second.status, 412);
      assert.equal((second.body as { code: string }).code, 'precondition_failed');
      assertMatchesSpec(second, 'patch', CLIENT);
      assert.equal(((await f.platform.get(path)).body as ClientBody).name, 'first writer');
      assert.equal((await f.platform.patch(path, { name: 'x' }, 'nonsense')).status, 412);
      // A rotation changes the representation (its secrets), so it moves the ETag too.
      await f.platform.post(`${path}/secrets`, {});
      assert.equal((await f.platform.patch(path, { name: 'late' }, '"2"')).status, 412);
      assert.equal((await f.platform.patch(path, { name: 'fresh' }, '"3"')).status, 200);
    });
  });

  describe('secrets and audit', () => {
    it('when secrets are issued, then they appear in no later response, log line or audit row, and only as argon2id verifiers', async () => {
      const client = await create({ name: 'Secretive' });
      const rotated = await f.platform.post(`${CLIENTS}/${client.id}/secrets`, {});
      const secrets = [client.client_secret!, (rotated.body as ClientBody).client_secret!];
      const responses = [
        await f.platform.get(`${CLIENTS}/${client.id}`),
        await f.platform.get(`${CLIENTS}?limit=200`),
        await f.platform.patch(`${CLIENTS}/${client.id}`, { name: 'Still secretive' }),
      ];
      const { rows: verifiers } = await f.t.app.db.query<{ verifier: string }>(
        'SELECT verifier FROM oauth_client_secrets WHERE client_id = $1',
        [client.id],
      );
      assert.equal(verifiers.length, 2);
      const { rows: audit } = await f.t.app.db.query('SELECT * FROM audit_events');
      const auditText = JSON.stringify(audit);
      for (const secret of secrets) {
        for (const res of responses) assert.ok(!res.text.includes(secret));
        assert.ok(!f.t.logs.text.includes(secret), 'not logged');
        assert.ok(!auditText.includes(secret), 'not audited');
        for (const { verifier } of verifiers) {
          assert.match(verifier, /^\$argon2id\$/);
          assert.ok(!verifier.includes(secret));
        }
      }
    });

    it('when a client is created, updated and rotated, then each change has one audit event with what changed', async () => {
      const client = await create({ name: 'Audited' });
      clock.advance(1000); // audit events are ordered by their time-ordered ids
      const updated = await f.platform.patch(`${CLIENTS}/${client.id}`, {
        access_token_ttl_seconds: 900,
        status: 'disabled',
      });
      clock.advance(1000);
      const rotated = await f.platform.post(`${CLIENTS}/${client.id}/secrets`, {
        overlap_seconds: 30,
      });
      const { rows } = await f.t.app.db.query<{
        type: string;
        org_id: string | null;
        actor_type: string;
        target_type: string;
        request_id: string;
        data: Record<string, unknown>;
      }>('SELECT * FROM audit_events WHERE target_id = $1 ORDER BY id', [client.id]);
      assert.deepEqual(
        rows.map((r) => r.type),
        ['admin.client.created', 'admin.client.updated', 'admin.client.secret_rotated'],
      );
      for (const row of rows) {
        assert.equal(row.org_id, null);
        assert.equal(row.actor_type, 'api_key');
        assert.equal(row.target_type, 'oauth_client');
      }
      const created = rows[0]!.data as { before: null; after: Record<string, unknown> };
      assert.equal(created.before, null);
      assert.equal(created.after.name, 'Audited');
      assert.equal(created.after.type, 'confidential');
      assert.equal(rows[1]!.request_id, updated.headers['x-request-id']);
      assert.deepEqual(rows[1]!.data, {
        before: { status: 'active', accessTokenTtlSeconds: 300 },
        after: { status: 'disabled', accessTokenTtlSeconds: 900 },
      });
      const newSecret = (rotated.body as ClientBody).secrets.find((s) => s.expires_at === null);
      assert.equal(rows[2]!.data.secretId, newSecret!.id);
      assert.equal(rows[2]!.data.overlapSeconds, 30);
    });
  });
});
