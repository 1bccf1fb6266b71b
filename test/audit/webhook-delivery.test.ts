import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  toPublicEvent,
  verifyWebhookSignature,
  type AuditEventRow,
  type AuditEventType,
} from '../../src/audit/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { startLocalServer, type LocalServer } from '../support/local-http.js';
import { assertMatchesSpec } from '../support/openapi.js';

const SYSTEM = { type: 'system' as const, id: null };
/**
 * One registered type per case, none of which this file's admin calls emit: a case's
 * webhook subscribes to its own type and sees only the events that case records.
 */
const TYPE = {
  first: 'saml.certificate.expiring',
  wanted: 'admin.connection.metadata_refreshed',
  unwanted: 'admin.connection.metadata_refresh_failed',
  flaky: 'auth.logout.started',
  redirect: 'auth.logout.succeeded',
  down: 'auth.logout.failed',
  dead: 'token.refresh_reuse_detected',
  replay: 'privacy.export',
  paused: 'key.rotated',
  log_check: 'admin.domain.verification_failed',
  rotated: 'admin.client.deleted',
} as const satisfies Record<string, AuditEventType>;
const MAX_ATTEMPTS = 3;

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}

type DeliveryBody = {
  id: string;
  event_id: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
};

describe('audit webhooks: signed deliveries, retries, dead letters, replay', () => {
  const clock = createFakeClock(Date.now());
  let f: AdminFixture;
  let receiver: LocalServer;
  /** What the receiver answers. */
  let answer = 200;
  const received: Received[] = [];

  const nowSeconds = () => Math.floor(clock.nowMs() / 1000);
  const hooks = (tail = '') => `/api/v1/orgs/${f.orgA.id}/webhooks${tail}`;
  const createWebhook = async (body: Record<string, unknown>) => {
    const res = await f.orgA.admin.post(hooks(), body);
    assert.equal(res.status, 201, res.text);
    return res.body as { id: string; secret: string };
  };
  const record = (type: AuditEventType, data: Record<string, unknown> = {}) =>
    f.t.app.audit.record(f.t.app.db, { type, orgId: f.orgA.id, actor: SYSTEM, data });
  const relayAndSend = async () => {
    await f.t.app.auditRelay.runOnce();
    return f.t.app.webhookSender.runOnce();
  };
  const deliveryOf = async (webhookId: string, eventId: string) =>
    (
      await f.t.app.db.query<{
        id: string;
        status: string;
        attempts: number;
        next_attempt_at: Date;
        last_status: number | null;
        last_error: string | null;
      }>('SELECT * FROM audit_webhook_deliveries WHERE webhook_id = $1 AND event_id = $2', [
        webhookId,
        eventId,
      ])
    ).rows[0];
  const storedEvent = async (id: string) =>
    (await f.t.app.db.query<AuditEventRow>('SELECT * FROM audit_events WHERE id = $1', [id]))
      .rows[0]!;
  const receivedAt = (path: string) => received.filter((r) => r.path === path);
  /** The Standard Webhooks headers of a request, as the library takes them. */
  const standardHeaders = (r: Received) => ({
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  });
  /**
   * Verified by the standardwebhooks library, as a receiver would (it reads the real
   * clock: call it while the fake clock is near the real one). Returns the parsed body.
   */
  const verifiedByLibrary = (secret: string, r: Received) =>
    new Webhook(secret).verify(r.body, standardHeaders(r));

  before(async () => {
    receiver = await startLocalServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered: answer,
        });
        res.writeHead(answer).end();
      });
    });
    f = await startAdminFixture({
      clock,
      env: {
        LATCHKEY_AUDIT_RELAY_INTERVAL_MS: '3600000',
        LATCHKEY_AUDIT_WEBHOOKS_INTERVAL_MS: '3600000',
        LATCHKEY_AUDIT_WEBHOOKS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        LATCHKEY_AUDIT_WEBHOOKS_BACKOFF_BASE_SECONDS: '5',
        LATCHKEY_AUDIT_WEBHOOKS_BACKOFF_CAP_SECONDS: '3600',
      },
    });
    // Whatever the fixture's own setup recorded is relayed before any webhook exists.
    await f.t.app.auditRelay.runOnce();
  });
  after(async () => {
    await f?.t.close();
    await receiver?.close();
  });

  it('when an event is recorded, then the receiver gets it as JSON, signed, with its id and type, and verifies the signature', async () => {
    answer = 200;
    const webhook = await createWebhook({ url: `${receiver.url}/all` });
    const eventId = await record(TYPE.first, { hello: 'world' });
    await relayAndSend();

    const got = receivedAt('/all');
    // The webhook's own creation event, and the recorded one (a batch is sent concurrently).
    assert.deepEqual(got.map((r) => r.headers['latchkey-event-type']).sort(), [
      'admin.webhook.created',
      TYPE.first,
    ]);
    const delivery = got.find((r) => r.headers['latchkey-event-type'] === TYPE.first)!;
    assert.equal(delivery.headers['latchkey-event-id'], eventId);
    assert.equal(delivery.headers['content-type'], 'application/json');
    assert.match(String(delivery.headers['latchkey-delivery-id']), /^[0-9a-f-]{36}$/);
    // Standard Webhooks: the message id is the delivery's, signed at the sender's clock.
    assert.equal(delivery.headers['webhook-id'], delivery.headers['latchkey-delivery-id']);
    assert.equal(delivery.headers['webhook-timestamp'], String(nowSeconds()));
    assert.match(String(delivery.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(verifiedByLibrary(webhook.secret, delivery), JSON.parse(delivery.body));
    // The library refuses a tampered body, id or timestamp, and another secret.
    const headers = standardHeaders(delivery);
    const assertRefused = (secret: string, body: string, h: Record<string, string>) =>
      assert.throws(() => new Webhook(secret).verify(body, h), WebhookVerificationError);
    assertRefused(webhook.secret, delivery.body.replace('world', 'w0rld'), headers);
    assertRefused(webhook.secret, delivery.body, { ...headers, 'webhook-id': eventId });
    assertRefused(webhook.secret, delivery.body, {
      ...headers,
      'webhook-timestamp': String(nowSeconds() - 1),
    });
    assertRefused(`whsec_${Buffer.alloc(32, 9).toString('base64')}`, delivery.body, headers);
    // The deprecated header is still sent, and still verifies.
    assert.equal(
      verifyWebhookSignature(
        webhook.secret,
        delivery.headers['latchkey-signature'] as string,
        delivery.body,
        { toleranceSeconds: 300, nowSeconds: nowSeconds() },
      ),
      true,
    );
    assert.deepEqual(JSON.parse(delivery.body), toPublicEvent(await storedEvent(eventId)));
    const row = await deliveryOf(webhook.id, eventId);
    assert.equal(row?.status, 'delivered');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.last_status, 200);
    assert.equal(delivery.headers['webhook-id'], row?.id);

    // Nothing is sent twice once delivered.
    assert.equal(await relayAndSend(), 0);
    assert.equal(receivedAt('/all').length, 2);
    await f.orgA.admin.patch(hooks(`/${webhook.id}`), { status: 'disabled' });
  });

  it('when the deprecated signature is checked with the wrong secret, a tampered body or too late, then it fails', () => {
    const delivery = receivedAt('/all').find(
      (r) => r.headers['latchkey-event-type'] === TYPE.first,
    )!;
    const header = delivery.headers['latchkey-signature'] as string;
    const options = { toleranceSeconds: 300, nowSeconds: nowSeconds() };
    assert.equal(
      verifyWebhookSignature('whsec_not-the-secret', header, delivery.body, options),
      false,
    );
    const tampered = delivery.body.replace('world', 'w0rld');
    const secretless = verifyWebhookSignature('', header, tampered, options);
    assert.equal(secretless, false);
    assert.equal(
      verifyWebhookSignature('whsec_x', header, delivery.body, {
        toleranceSeconds: 300,
        nowSeconds: nowSeconds() + 3600,
      }),
      false,
    );
  });

  it('when a webhook lists event types, then only those are delivered', async () => {
    answer = 200;
    const webhook = await createWebhook({
      url: `${receiver.url}/filtered`,
      event_types: [TYPE.wanted],
    });
    await record(TYPE.unwanted);
    const wanted = await record(TYPE.wanted);
    await relayAndSend();
    assert.deepEqual(
      receivedAt('/filtered').map((r) => r.headers['latchkey-event-id']),
      [wanted],
    );
    await f.orgA.admin.patch(hooks(`/${webhook.id}`), { status: 'disabled' });
  });

  it('when the receiver answers 503, then the delivery is retried with growing backoff and delivered once the receiver is back', async () => {
    answer = 503;
    const webhook = await createWebhook({
      url: `${receiver.url}/flaky`,
      event_types: [TYPE.flaky],
    });
    const eventId = await record(TYPE.flaky);
    await relayAndSend();
    let row = await deliveryOf(webhook.id, eventId);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.last_status, 503);
    assert.equal(row?.last_error, 'http_status: 503');
    // Equal jitter: between half and all of 5 s after the first failure.
    let wait = row.next_attempt_at.getTime() - clock.nowMs();
    assert.ok(wait >= 2500 && wait <= 5000, `first backoff ${wait} ms`);

    // Not due yet: nothing is sent.
    assert.equal(await f.t.app.webhookSender.runOnce(), 0);
    assert.equal(receivedAt('/flaky').length, 1);

    clock.advance(5000);
    assert.equal(await f.t.app.webhookSender.runOnce(), 1);
    row = await deliveryOf(webhook.id, eventId);
    assert.equal(row?.attempts, 2);
    wait = row.next_attempt_at.getTime() - clock.nowMs();
    assert.ok(wait >= 5000 && wait <= 10_000, `second backoff ${wait} ms`);

    answer = 200;
    clock.advance(10_000);
    assert.equal(await f.t.app.webhookSender.runOnce(), 1);
    row = await deliveryOf(webhook.id, eventId);
    assert.equal(row?.status, 'delivered');
    assert.equal(row?.attempts, 3);
    const attempts = receivedAt('/flaky');
    assert.deepEqual(
      attempts.map((r) => r.answered),
      [503, 503, 200],
    );
    // Every attempt is signed afresh and carries the same event, under the same
    // webhook-id (the delivery's): what a receiver deduplicates on.
    for (const attempt of attempts) {
      assert.equal(attempt.headers['latchkey-event-id'], eventId);
      assert.equal(attempt.headers['webhook-id'], row.id);
      assert.deepEqual(verifiedByLibrary(webhook.secret, attempt), JSON.parse(attempt.body));
      assert.ok(
        verifyWebhookSignature(
          webhook.secret,
          attempt.headers['latchkey-signature'] as string,
          attempt.body,
          {
            toleranceSeconds: 300,
            nowSeconds: nowSeconds(),
          },
        ),
      );
    }
    await f.orgA.admin.patch(hooks(`/${webhook.id}`), { status: 'disabled' });
  });

  it('when the secret is rotated, then the next delivery is signed with the new secret only (no overlap)', async () => {
    answer = 200;
    const webhook = await createWebhook({
      url: `${receiver.url}/rotated`,
      event_types: [TYPE.rotated],
    });
    const res = await f.orgA.admin.post(hooks(`/${webhook.id}/rotate-secret`));
    assert.equal(res.status, 200, res.text);
    const rotated = (res.body as { secret: string }).secret;
    assert.match(rotated, /^whsec_[A-Za-z0-9+/]{43}=$/);
    await record(TYPE.rotated);
    await relayAndSend();
    const [delivery] = receivedAt('/rotated');
    assert.ok(delivery);
    assert.equal(String(delivery.headers['webhook-signature']).split(' ').length, 1);
    assert.deepEqual(verifiedByLibrary(rotated, delivery), JSON.parse(delivery.body));
    assert.throws(() => verifiedByLibrary(webhook.secret, delivery), WebhookVerificationError);
    await f.orgA.admin.patch(hooks(`/${webhook.id}`), { status: 'disabled' });
  });

  it('when the receiver answers with a redirect, then it is not followed: the delivery failed and is retried', async () => {
    const redirecting = await startLocalServer((req, res) => {
      received.push({
        path: `redirecting${req.url ?? ''}`,
        headers: req.headers,
        body: '',
        answered: 302,
      });
      res.writeHead(302, { location: `${receiver.url}/elsewhere` }).end();
    });
    try {
      const webhook = await createWebhook({
        url: `${redirecting.url}/moved`,
        event_types: [TYPE.redirect],
      });
      const eventId = await record(TYPE.redirect);
      await relayAndSend();
      const row = await deliveryOf(webhook.id, eventId);
      assert.equal(row?.status, 'pending');
      assert.equal(row?.last_status, 302);
      assert.equal(row?.last_error, 'http_status: 302');
      assert.equal(receivedAt('redirecting/moved').length, 1);
      assert.equal(receivedAt('/elsewhere').length, 0, 'the redirect was not followed');
    } finally {
      await redirecting.close();
    }
  });

  it('when the receiver is down (nothing listens), then the attempt fails and is retried like any other', async () => {
    const closed = await startLocalServer((_req, res) => res.end());
    const url = `${closed.url}/gone`;
    await closed.close();
    const webhook = await createWebhook({ url, event_types: [TYPE.down] });
    const eventId = await record(TYPE.down);
    await relayAndSend();
    const row = await deliveryOf(webhook.id, eventId);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.last_status, null);
    // The kind of failure only: nothing that would tell an admin how a host resolves.
    assert.equal(
      row?.last_error,
      'delivery failed: the receiver could not be reached or is not allowed',
    );
    await f.orgA.admin.delete(hooks(`/${webhook.id}`));
  });

  it('when every attempt fails, then the delivery is dead, listed as a dead letter, and an admin retry delivers it', async () => {
    answer = 500;
    const attempts = async () => {
      const text = await f.t.app.metrics.registry.metrics();
      const count = (outcome: string) =>
        Number(
          text
            .split('\n')
            .find((l) =>
              l.startsWith(`latchkey_audit_webhook_attempts_total{outcome="${outcome}"}`),
            )
            ?.split(' ')[1] ?? 0,
        );
      return { retry: count('retry'), dead: count('dead') };
    };
    const before = await attempts();
    const webhook = await createWebhook({
      url: `${receiver.url}/dead`,
      event_types: [TYPE.dead],
    });
    const eventId = await record(TYPE.dead);
    await relayAndSend();
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      clock.advance(3600_000);
      await f.t.app.webhookSender.runOnce();
    }
    const row = await deliveryOf(webhook.id, eventId);
    assert.equal(row?.status, 'dead');
    assert.equal(row?.attempts, MAX_ATTEMPTS);
    // /metrics counts every failed attempt: all but the last as a retry, the last as dead
    // (at least: earlier tests' failing deliveries are retried by the same passes).
    const after = await attempts();
    assert.ok(after.retry - before.retry >= MAX_ATTEMPTS - 1, 'retries counted');
    assert.ok(after.dead - before.dead >= 1, 'the dead letter counted');
    clock.advance(3600_000);
    assert.equal(
      await f.t.app.webhookSender.runOnce(),
      0,
      'a dead delivery is not retried by itself',
    );

    const dead = await f.orgA.admin.get(hooks(`/${webhook.id}/deliveries?status=dead`));
    assert.equal(dead.status, 200);
    assertMatchesSpec(dead, 'get', '/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries');
    const items = (dead.body as { items: DeliveryBody[] }).items;
    assert.deepEqual(
      items.map((d) => [d.event_id, d.status, d.attempts, d.last_status]),
      [[eventId, 'dead', MAX_ATTEMPTS, 500]],
    );
    const pending = await f.orgA.admin.get(hooks(`/${webhook.id}/deliveries?status=pending`));
    assert.deepEqual((pending.body as { items: unknown[] }).items, []);

    answer = 200;
    const retry = await f.orgA.admin.post(hooks(`/${webhook.id}/deliveries/${items[0]!.id}/retry`));
    assert.equal(retry.status, 202, retry.text);
    assertMatchesSpec(
      retry,
      'post',
      '/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}/retry',
    );
    assert.equal((retry.body as DeliveryBody).status, 'pending');
    assert.equal((retry.body as DeliveryBody).attempts, 0);
    assert.equal(await f.t.app.webhookSender.runOnce(), 1);
    assert.equal((await deliveryOf(webhook.id, eventId))?.status, 'delivered');
    assert.equal(receivedAt('/dead').at(-1)?.answered, 200);
    const audited = await f.t.app.db.query<{ type: string }>(
      "SELECT type FROM audit_events WHERE target_id = $1 AND type = 'admin.webhook.delivery_retried'",
      [webhook.id],
    );
    assert.equal(audited.rows.length, 1);
  });

  it('when an admin replays after an event id, then every later event of the org (of its types) is delivered again', async () => {
    answer = 200;
    const webhook = await createWebhook({
      url: `${receiver.url}/replay`,
      event_types: [TYPE.replay],
    });
    // Event ids are UUIDv7: ordered by millisecond, random within one, so time moves on.
    const first = await record(TYPE.replay, { n: 1 });
    clock.advance(1);
    const second = await record(TYPE.replay, { n: 2 });
    clock.advance(1);
    const third = await record(TYPE.replay, { n: 3 });
    await relayAndSend();
    assert.equal(receivedAt('/replay').length, 3);

    const res = await f.orgA.admin.post(hooks(`/${webhook.id}/replay`), { after: first });
    assert.equal(res.status, 202, res.text);
    assertMatchesSpec(res, 'post', '/api/v1/orgs/{orgId}/webhooks/{webhookId}/replay');
    assert.deepEqual(res.body, { replayed: 2, last_event_id: third, more: false });
    assert.equal(await f.t.app.webhookSender.runOnce(), 2);
    assert.deepEqual(
      receivedAt('/replay')
        .slice(3)
        .map((r) => String(r.headers['latchkey-event-id']))
        // A batch is sent concurrently: no order is promised.
        .sort(),
      [second, third].sort(),
    );
    // A replayed delivery keeps its webhook-id: a receiver that stored it skips it.
    const idOf = (r: Received) =>
      `${String(r.headers['latchkey-event-id'])} ${String(r.headers['webhook-id'])}`;
    const sent = receivedAt('/replay');
    const originals = sent.slice(0, 3).filter((r) => r.headers['latchkey-event-id'] !== first);
    assert.deepEqual(sent.slice(3).map(idOf).sort(), originals.map(idOf).sort());
    const audited = await f.t.app.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM audit_events WHERE target_id = $1 AND type = 'admin.webhook.replayed'",
      [webhook.id],
    );
    assert.deepEqual(audited.rows[0]?.data, {
      after: first,
      replayed: 2,
      last_event_id: third,
      more: false,
    });
  });

  it('when a webhook is disabled, then its pending deliveries wait and nothing new is queued; enabled again, they go out', async () => {
    answer = 200;
    const webhook = await createWebhook({
      url: `${receiver.url}/paused`,
      event_types: [TYPE.paused],
    });
    const queued = await record(TYPE.paused);
    await f.t.app.auditRelay.runOnce();
    assert.equal((await deliveryOf(webhook.id, queued))?.status, 'pending');
    const disabled = await f.orgA.admin.patch(hooks(`/${webhook.id}`), { status: 'disabled' });
    assert.equal(disabled.status, 200);
    const whileDisabled = await record(TYPE.paused);
    await relayAndSend();
    assert.equal(await deliveryOf(webhook.id, whileDisabled), undefined);
    assert.equal(receivedAt('/paused').length, 0);

    const enabled = await f.orgA.admin.patch(hooks(`/${webhook.id}`), { status: 'active' });
    assert.equal(enabled.status, 200);
    await relayAndSend();
    assert.deepEqual(
      receivedAt('/paused').map((r) => r.headers['latchkey-event-id']),
      [queued],
    );
    await f.orgA.admin.patch(hooks(`/${webhook.id}`), { status: 'disabled' });
  });

  it('when deliveries ran, then no secret was ever logged', async () => {
    const res = await f.orgA.admin.post(hooks(), { url: `${receiver.url}/log-check` });
    const secret = (res.body as { secret: string }).secret;
    await record(TYPE.log_check);
    await relayAndSend();
    assert.ok(f.t.logs.text.includes('audit webhook delivery'));
    assert.ok(!f.t.logs.text.includes(secret));
    assert.ok(!f.t.logs.text.includes('whsec_'));
  });
});
