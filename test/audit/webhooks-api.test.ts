import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const LIST = '/api/v1/orgs/{orgId}/webhooks';
const ONE = '/api/v1/orgs/{orgId}/webhooks/{webhookId}';
const ROTATE = '/api/v1/orgs/{orgId}/webhooks/{webhookId}/rotate-secret';
const DELIVERIES = '/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries';
const REPLAY = '/api/v1/orgs/{orgId}/webhooks/{webhookId}/replay';
const RETRY = '/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}/retry';
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

type WebhookBody = {
  id: string;
  org_id: string;
  url: string;
  event_types: string[] | null;
  status: string;
  secret?: string;
};
type Problem = { code: string; errors?: Array<{ field: string; message: string }> };
const fieldsOf = (res: request.Response) =>
  ((res.body as Problem).errors ?? []).map((e) => e.field).sort();

describe('admin API: audit webhooks', () => {
  let f: AdminFixture;
  /** Every response after a secret was shown, to search for it at the end. */
  const seen: string[] = [];
  const secrets: string[] = [];
  const track = (res: request.Response) => {
    seen.push(res.text ?? '', JSON.stringify(res.headers));
    return res;
  };
  const path = (orgId: string, id?: string, tail = '') =>
    `/api/v1/orgs/${orgId}/webhooks${id ? `/${id}` : ''}${tail}`;
  const create = async (body: Record<string, unknown> = {}) => {
    const res = await f.orgA.admin.post(path(f.orgA.id), {
      url: 'https://hooks.example.com/latchkey',
      ...body,
    });
    assert.equal(res.status, 201, res.text);
    const webhook = res.body as WebhookBody;
    secrets.push(webhook.secret!);
    return webhook;
  };
  const auditOf = async (webhookId: string) =>
    (
      await f.t.app.db.query<{ type: string; data: Record<string, unknown>; actor_id: string }>(
        'SELECT type, data, actor_id FROM audit_events WHERE target_id = $1 ORDER BY id',
        [webhookId],
      )
    ).rows;

  before(async () => {
    f = await startAdminFixture({
      env: {
        LATCHKEY_AUDIT_RELAY_INTERVAL_MS: '3600000',
        LATCHKEY_AUDIT_WEBHOOKS_INTERVAL_MS: '3600000',
      },
    });
  });
  after(async () => {
    await f.t.close();
  });

  it('when an org admin creates a webhook, then 201 active with Location, ETag and the secret shown once', async () => {
    const res = await f.orgA.admin.post(path(f.orgA.id), {
      url: 'https://hooks.example.com/latchkey',
      event_types: ['admin.user.updated', 'auth.login.succeeded'],
    });
    assert.equal(res.status, 201, res.text);
    assertMatchesSpec(res, 'post', LIST);
    const webhook = res.body as WebhookBody;
    secrets.push(webhook.secret!);
    assert.match(webhook.secret!, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(res.headers.location, path(f.orgA.id, webhook.id));
    assert.equal(res.headers.etag, '"1"');
    assert.equal(webhook.status, 'active');
    assert.deepEqual(webhook.event_types, ['admin.user.updated', 'auth.login.succeeded']);

    const got = track(await f.orgA.admin.get(path(f.orgA.id, webhook.id)));
    assert.equal(got.status, 200);
    assertMatchesSpec(got, 'get', ONE);
    assert.equal((got.body as WebhookBody).secret, undefined);
    assert.deepEqual({ ...(got.body as WebhookBody), secret: webhook.secret }, webhook);

    const stored = await f.t.app.db.query<{ secret_ciphertext: string }>(
      'SELECT secret_ciphertext FROM audit_webhooks WHERE id = $1',
      [webhook.id],
    );
    assert.match(stored.rows[0]!.secret_ciphertext, /^v1\./);
    assert.ok(!stored.rows[0]!.secret_ciphertext.includes(webhook.secret!));

    const events = await auditOf(webhook.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['admin.webhook.created'],
    );
    const data = events[0]!.data as { after: Record<string, unknown> };
    assert.equal(data.after.secret, '[secret]');
    assert.equal(data.after.url, 'https://hooks.example.com/latchkey');
  });

  it('when webhooks are listed, then a page of them comes back without secrets', async () => {
    await create();
    const res = track(await f.orgA.admin.get(`${path(f.orgA.id)}?limit=1`));
    assert.equal(res.status, 200);
    assertMatchesSpec(res, 'get', LIST);
    const page = res.body as { items: WebhookBody[]; next_cursor: string | null };
    assert.equal(page.items.length, 1);
    assert.ok(page.next_cursor);
    const next = track(
      await f.orgA.admin.get(`${path(f.orgA.id)}?cursor=${page.next_cursor}&limit=200`),
    );
    assert.ok((next.body as { items: WebhookBody[] }).items.length >= 1);
    assert.ok(!next.text.includes('secret'));
  });

  it('when a webhook is updated with If-Match, then it changes, the version moves and it is audited; a stale ETag is 412', async () => {
    const webhook = await create();
    const res = track(
      await f.orgA.admin.patch(
        path(f.orgA.id, webhook.id),
        { url: 'https://hooks.example.com/v2', event_types: null, status: 'disabled' },
        '"1"',
      ),
    );
    assert.equal(res.status, 200, res.text);
    assertMatchesSpec(res, 'patch', ONE);
    assert.equal(res.headers.etag, '"2"');
    assert.equal((res.body as WebhookBody).url, 'https://hooks.example.com/v2');
    assert.equal((res.body as WebhookBody).status, 'disabled');
    const stale = await f.orgA.admin.patch(
      path(f.orgA.id, webhook.id),
      { status: 'active' },
      '"1"',
    );
    assert.equal(stale.status, 412);
    assertMatchesSpec(stale, 'patch', ONE);
    const events = await auditOf(webhook.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['admin.webhook.created', 'admin.webhook.updated'],
    );
    assert.deepEqual(events[1]!.data, {
      before: { url: 'https://hooks.example.com/latchkey', status: 'active' },
      after: { url: 'https://hooks.example.com/v2', status: 'disabled' },
    });
  });

  it('when the secret is rotated, then a new one is shown once and the old one is gone', async () => {
    const webhook = await create();
    const res = await f.orgA.admin.post(path(f.orgA.id, webhook.id, '/rotate-secret'));
    assert.equal(res.status, 200, res.text);
    assertMatchesSpec(res, 'post', ROTATE);
    const rotated = res.body as WebhookBody;
    secrets.push(rotated.secret!);
    assert.match(rotated.secret!, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(rotated.secret, webhook.secret);
    assert.equal(res.headers.etag, '"2"');
    const events = await auditOf(webhook.id);
    assert.equal(events.at(-1)!.type, 'admin.webhook.secret_rotated');
    assert.deepEqual(events.at(-1)!.data, {
      before: { secret: '[secret]' },
      after: { secret: '[secret]' },
    });
  });

  it('when a webhook is deleted, then it is gone (404 after) and the deletion is audited', async () => {
    const webhook = await create();
    const res = await f.orgA.admin.delete(path(f.orgA.id, webhook.id));
    assert.equal(res.status, 204);
    assertMatchesSpec(res, 'delete', ONE);
    const again = await f.orgA.admin.get(path(f.orgA.id, webhook.id));
    assert.equal(again.status, 404);
    assertMatchesSpec(again, 'get', ONE);
    assert.equal((await auditOf(webhook.id)).at(-1)!.type, 'admin.webhook.deleted');
  });

  it('when the URL is not https, points at a forbidden address or the body has unknown fields, then 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ url: 'http://hooks.example.com/x' }, ['url']],
      [{ url: 'https://10.0.0.7/x' }, ['url']],
      [{ url: 'https://169.254.169.254/latest' }, ['url']],
      [{ url: 'ftp://hooks.example.com/x' }, ['url']],
      [{ url: 'https://user:pw@hooks.example.com/x' }, ['url']],
      [{ url: 'https://hooks.example.com/x', status: 'active' }, ['status']],
      [{ url: 'https://hooks.example.com/x', event_types: [] }, ['event_types']],
      [{ url: 'https://hooks.example.com/x', event_types: ['Not A Type'] }, ['event_types.0']],
      [{ url: 'https://hooks.example.com/x', org_id: f.orgB.id }, ['org_id']],
    ];
    for (const [body, fields] of cases) {
      const res = await f.orgA.admin.post(path(f.orgA.id), body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assertMatchesSpec(res, 'post', LIST);
      assert.deepEqual(fieldsOf(res), fields, JSON.stringify(body));
    }
    // http to a loopback host is the development exception (outbound.allowHttpLoopback).
    const loopback = await create({ url: 'http://127.0.0.1:9/hook' });
    assert.equal(loopback.url, 'http://127.0.0.1:9/hook');
  });

  it('when a subscription names an event type Latchkey never emits, then 400 naming the type, on create and on update, and nothing is stored or changed', async () => {
    const messageOf = (res: request.Response) =>
      ((res.body as Problem).errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    const before = await f.t.app.db.query('SELECT count(*) AS n FROM audit_webhooks');
    const created = await f.orgA.admin.post(path(f.orgA.id), {
      url: 'https://hooks.example.com/typo',
      event_types: ['auth.login.succeeded', 'auth.login.succeded'],
    });
    assert.equal(created.status, 400);
    assertMatchesSpec(created, 'post', LIST);
    assert.match(String(created.headers['content-type']), /^application\/problem\+json/);
    assert.equal((created.body as Problem).code, 'validation_failed');
    assert.deepEqual(fieldsOf(created), ['event_types.1']);
    assert.match(messageOf(created), /unknown audit event type "auth\.login\.succeded"/);
    const after = await f.t.app.db.query('SELECT count(*) AS n FROM audit_webhooks');
    assert.deepEqual(after.rows, before.rows);

    const webhook = await create({ event_types: ['session.ended'] });
    const updated = await f.orgA.admin.patch(path(f.orgA.id, webhook.id), {
      event_types: ['session.ended', 'session.revoked'],
    });
    assert.equal(updated.status, 400);
    assertMatchesSpec(updated, 'patch', ONE);
    assert.deepEqual(fieldsOf(updated), ['event_types.1']);
    assert.match(messageOf(updated), /unknown audit event type "session\.revoked"/);
    const got = await f.orgA.admin.get(path(f.orgA.id, webhook.id));
    assert.deepEqual((got.body as WebhookBody).event_types, ['session.ended']);
    assert.equal(got.headers.etag, '"1"');
  });

  it("when org B's key reaches for org A's webhooks, then every operation is a plain 404", async () => {
    const webhook = await create();
    const b = f.orgB.admin;
    const responses = [
      [await b.get(path(f.orgA.id)), 'get', LIST],
      [await b.post(path(f.orgA.id), { url: 'https://evil.example.com' }), 'post', LIST],
      [await b.get(path(f.orgA.id, webhook.id)), 'get', ONE],
      [await b.patch(path(f.orgA.id, webhook.id), { status: 'disabled' }), 'patch', ONE],
      [await b.delete(path(f.orgA.id, webhook.id)), 'delete', ONE],
      [await b.post(path(f.orgA.id, webhook.id, '/rotate-secret')), 'post', ROTATE],
      [await b.get(path(f.orgA.id, webhook.id, '/deliveries?status=dead')), 'get', DELIVERIES],
      [await b.post(path(f.orgA.id, webhook.id, '/replay'), { after: UNKNOWN_ID }), 'post', REPLAY],
      [await b.post(path(f.orgA.id, webhook.id, `/deliveries/${UNKNOWN_ID}/retry`)), 'post', RETRY],
      // Org B's own path with org A's webhook id: unknown there too.
      [await b.get(path(f.orgB.id, webhook.id)), 'get', ONE],
      [await b.post(path(f.orgB.id, webhook.id, '/rotate-secret')), 'post', ROTATE],
    ] as const;
    for (const [res, method, template] of responses) {
      assert.equal(res.status, 404, `${method} ${template}: ${res.status} ${res.text}`);
      assertMatchesSpec(res, method, template);
      track(res);
    }
    const still = await f.orgA.admin.get(path(f.orgA.id, webhook.id));
    assert.equal((still.body as WebhookBody).status, 'active');
    const listB = await b.get(path(f.orgB.id));
    assert.equal(listB.status, 200);
    assert.deepEqual((listB.body as { items: unknown[] }).items, []);
    // The platform admin sees every org.
    const platform = await f.platform.get(path(f.orgA.id, webhook.id));
    assert.equal(platform.status, 200);
  });

  it('when deliveries are listed with an unknown status or field, then 400; a valid filter answers a page', async () => {
    const webhook = await create();
    const bad = await f.orgA.admin.get(path(f.orgA.id, webhook.id, '/deliveries?status=lost'));
    assert.equal(bad.status, 400);
    assertMatchesSpec(bad, 'get', DELIVERIES);
    assert.deepEqual(fieldsOf(bad), ['status']);
    const unknown = await f.orgA.admin.get(path(f.orgA.id, webhook.id, '/deliveries?foo=1'));
    assert.equal(unknown.status, 400);
    const ok = await f.orgA.admin.get(path(f.orgA.id, webhook.id, '/deliveries?status=dead'));
    assert.equal(ok.status, 200);
    assertMatchesSpec(ok, 'get', DELIVERIES);
    const retry = await f.orgA.admin.post(
      path(f.orgA.id, webhook.id, `/deliveries/${UNKNOWN_ID}/retry`),
    );
    assert.equal(retry.status, 404);
    const replay = await f.orgA.admin.post(path(f.orgA.id, webhook.id, '/replay'), {
      after: 'yesterday',
    });
    assert.equal(replay.status, 400);
    assertMatchesSpec(replay, 'post', REPLAY);
    assert.deepEqual(fieldsOf(replay), ['after']);
  });

  it('when everything is done, then no secret was ever returned after creation, logged or audited', async () => {
    assert.ok(secrets.length >= 5);
    const audit = await f.t.app.db.query<{ data: unknown }>('SELECT data FROM audit_events');
    const auditText = JSON.stringify(audit.rows);
    for (const secret of secrets) {
      for (const text of seen) assert.ok(!text.includes(secret), 'a secret was returned again');
      assert.ok(!f.t.logs.text.includes(secret), 'a secret was logged');
      assert.ok(!auditText.includes(secret), 'a secret was audited');
    }
  });
});
