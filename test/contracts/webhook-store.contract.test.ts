import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Webhook } from '../../src/audit/webhook.js';
import { webhookStore, type WebhookStore } from '../../src/audit/webhook-store.js';
import type { Database } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { appendEvents, AT, insertOrg, later } from '../support/sql-fixtures.js';

const ZERO_ID = '00000000-0000-0000-0000-000000000000';

const newWebhook = (orgId: string, eventTypes: string[] | null = ['user.created']): Webhook => ({
  id: uuidv7(),
  orgId,
  url: 'https://hooks.example.com/latchkey',
  eventTypes,
  status: 'active',
  createdAt: AT,
  updatedAt: AT,
  version: 1,
});

forEachSqlBackend('WebhookStore contract', (open) => {
  let db: Database;
  let store: WebhookStore;
  let orgA: string;
  let orgB: string;

  before(async () => {
    db = open();
    store = webhookStore(db);
    orgA = (await insertOrg(db)).id;
    orgB = (await insertOrg(db)).id;
  });

  const inserted = async (orgId = orgA, eventTypes?: string[] | null) => {
    const webhook = newWebhook(orgId, eventTypes);
    await store.insert(webhook, 'sealed');
    return webhook;
  };

  /** A webhook of orgA with one pending delivery per new event of these types. */
  const withDeliveries = async (types: string[]) => {
    const webhook = await inserted();
    const eventIds = await appendEvents(db, orgA, types);
    const deliveries = eventIds.map((eventId) => ({ id: uuidv7(), eventId }));
    await store.enqueue(webhook.id, deliveries, later(5));
    return { webhook, deliveries };
  };

  it('when a webhook is inserted, then get returns it with its event types and sealed secret', async () => {
    const webhook = await inserted(orgA, ['user.created', 'user.deleted']);
    assert.deepEqual(await store.get(orgA, webhook.id), { webhook, secretCiphertext: 'sealed' });
    const everyType = await inserted(orgA, null);
    assert.equal((await store.get(orgA, everyType.id))?.webhook.eventTypes, null);
    await assert.rejects(store.insert(webhook, 'again'));
    assert.equal(await store.get(orgA, uuidv7()), null);
  });

  it('when get is asked through another org, then the webhook is not found', async () => {
    const webhook = await inserted(orgA);
    assert.equal(await store.get(orgB, webhook.id), null);
  });

  it('when list pages through an org, then it returns limit + 1 rows in id order after the cursor, and no other org’s', async () => {
    const org = (await insertOrg(db)).id;
    const mine = [await inserted(org), await inserted(org), await inserted(org)];
    await inserted(orgB);
    const ids = mine.map((w) => w.id).sort();
    assert.deepEqual(
      (await store.list(org, { limit: 1, afterId: null })).map((w) => w.id),
      ids.slice(0, 2),
    );
    assert.deepEqual(
      (await store.list(org, { limit: 5, afterId: ids[0]! })).map((w) => w.id),
      ids.slice(1),
    );
    assert.deepEqual(await store.list(uuidv7(), { limit: 5, afterId: null }), []);
  });

  it('when update names the current version, then the changes apply, undefined leaves a field and null means every type', async () => {
    const webhook = await inserted();
    const first = await store.update(
      orgA,
      webhook.id,
      { url: 'https://other.example.com/h', status: 'disabled', secretCiphertext: 'resealed' },
      later(60),
      1,
    );
    assert.ok(first.ok);
    assert.equal(first.value.webhook.url, 'https://other.example.com/h');
    assert.equal(first.value.webhook.status, 'disabled');
    assert.deepEqual(first.value.webhook.eventTypes, ['user.created']);
    assert.equal(first.value.secretCiphertext, 'resealed');
    assert.equal(first.value.webhook.version, 2);
    assert.equal(first.value.webhook.updatedAt.getTime(), later(60).getTime());
    const everyType = await store.update(orgA, webhook.id, { eventTypes: null }, later(61), 2);
    assert.ok(everyType.ok);
    assert.equal(everyType.value.webhook.eventTypes, null);
    const some = await store.update(orgA, webhook.id, { eventTypes: ['a.b', 'c.d'] }, later(62), 3);
    assert.ok(some.ok);
    assert.deepEqual(some.value.webhook.eventTypes, ['a.b', 'c.d']);
    assert.equal(some.value.webhook.url, 'https://other.example.com/h');
  });

  it('when update names an old version, then it is stale and nothing changes', async () => {
    const webhook = await inserted();
    assert.deepEqual(
      await store.update(orgA, webhook.id, { url: 'https://x.test/' }, later(1), 2),
      {
        ok: false,
        reason: 'stale',
      },
    );
    assert.deepEqual((await store.get(orgA, webhook.id))?.webhook, webhook);
    assert.deepEqual(await store.update(orgA, uuidv7(), {}, later(1), 1), {
      ok: false,
      reason: 'not_found',
    });
  });

  it('when update is asked through another org, then it is not found and nothing changes', async () => {
    const webhook = await inserted(orgA);
    assert.deepEqual(
      await store.update(orgB, webhook.id, { url: 'https://evil.test/' }, later(1), 1),
      { ok: false, reason: 'not_found' },
    );
    assert.deepEqual(await store.get(orgA, webhook.id), { webhook, secretCiphertext: 'sealed' });
  });

  it('when delete names the current version or none, then the webhook and its deliveries go; an old version deletes nothing', async () => {
    const { webhook, deliveries } = await withDeliveries(['user.created']);
    assert.equal(await store.delete(orgA, webhook.id, 2), false);
    assert.ok(await store.getDelivery(webhook.id, deliveries[0]!.id));
    assert.equal(await store.delete(orgA, webhook.id, 1), true);
    assert.equal(await store.get(orgA, webhook.id), null);
    assert.equal(await store.getDelivery(webhook.id, deliveries[0]!.id), null);
    const other = await inserted();
    assert.equal(await store.delete(orgA, other.id, null), true);
    assert.equal(await store.delete(orgA, other.id, null), false);
  });

  it('when delete is asked through another org, then nothing is deleted', async () => {
    const webhook = await inserted(orgA);
    assert.equal(await store.delete(orgB, webhook.id, null), false);
    assert.equal(await store.delete(orgB, webhook.id, 1), false);
    assert.ok(await store.get(orgA, webhook.id));
  });

  it('when events are enqueued, then each has a pending delivery due at the time given, with its event type', async () => {
    const { webhook, deliveries } = await withDeliveries(['user.created', 'user.deleted']);
    const listed = await store.listDeliveries(webhook.id, null, { limit: 10, afterId: null });
    assert.deepEqual(
      listed.map((d) => [d.id, d.eventId, d.eventType]),
      [
        [deliveries[0]!.id, deliveries[0]!.eventId, 'user.created'],
        [deliveries[1]!.id, deliveries[1]!.eventId, 'user.deleted'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    for (const d of listed) {
      assert.equal(d.webhookId, webhook.id);
      assert.equal(d.status, 'pending');
      assert.equal(d.attempts, 0);
      assert.equal(d.nextAttemptAt.getTime(), later(5).getTime());
      assert.equal(d.createdAt.getTime(), later(5).getTime());
      assert.equal(d.lastStatus, null);
      assert.equal(d.lastError, null);
      assert.equal(d.deliveredAt, null);
    }
    await store.enqueue(webhook.id, [], later(6));
    assert.equal(
      (await store.listDeliveries(webhook.id, null, { limit: 10, afterId: null })).length,
      2,
    );
  });

  it('when a delivery’s event is gone, then it reads with a null event type', async () => {
    const webhook = await inserted();
    const id = uuidv7();
    await store.enqueue(webhook.id, [{ id, eventId: uuidv7() }], later(1));
    assert.equal((await store.getDelivery(webhook.id, id))?.eventType, null);
  });

  it('when an event is enqueued again, then its delivery starts over and keeps its id', async () => {
    const { webhook, deliveries } = await withDeliveries(['user.created']);
    const { id, eventId } = deliveries[0]!;
    await db.query(
      `UPDATE audit_webhook_deliveries SET status = 'dead', attempts = 9, last_status = 500,
         last_error = 'boom', delivered_at = $2 WHERE id = $1`,
      [id, later(9)],
    );
    await store.enqueue(webhook.id, [{ id: uuidv7(), eventId }], later(20));
    const again = await store.getDelivery(webhook.id, id);
    assert.equal(again?.status, 'pending');
    assert.equal(again.attempts, 0);
    assert.equal(again.lastStatus, null);
    assert.equal(again.lastError, null);
    assert.equal(again.deliveredAt, null);
    assert.equal(again.nextAttemptAt.getTime(), later(20).getTime());
    assert.equal(
      (await store.listDeliveries(webhook.id, null, { limit: 10, afterId: null })).length,
      1,
    );
  });

  it('when listDeliveries filters by status and pages, then it returns that webhook’s deliveries only', async () => {
    const { webhook, deliveries } = await withDeliveries(['a.one', 'a.two', 'a.three']);
    await withDeliveries(['a.other']);
    const ids = deliveries.map((d) => d.id).sort();
    await db.query(`UPDATE audit_webhook_deliveries SET status = 'dead' WHERE id = $1`, [ids[0]]);
    const pending = await store.listDeliveries(webhook.id, 'pending', { limit: 10, afterId: null });
    assert.deepEqual(
      pending.map((d) => d.id),
      ids.slice(1),
    );
    const dead = await store.listDeliveries(webhook.id, 'dead', { limit: 10, afterId: null });
    assert.deepEqual(
      dead.map((d) => d.id),
      [ids[0]],
    );
    assert.deepEqual(
      (await store.listDeliveries(webhook.id, null, { limit: 1, afterId: ids[0]! })).map(
        (d) => d.id,
      ),
      ids.slice(1),
    );
    assert.deepEqual(await store.listDeliveries(uuidv7(), null, { limit: 10, afterId: null }), []);
  });

  it('when getDelivery or requeueDelivery names another webhook, then the delivery is not found and not changed', async () => {
    const { webhook, deliveries } = await withDeliveries(['user.created']);
    const other = await inserted();
    const { id } = deliveries[0]!;
    await db.query(`UPDATE audit_webhook_deliveries SET status = 'dead' WHERE id = $1`, [id]);
    assert.equal(await store.getDelivery(other.id, id), null);
    assert.equal(await store.requeueDelivery(other.id, id, later(30)), false);
    assert.equal((await store.getDelivery(webhook.id, id))?.status, 'dead');
  });

  it('when a delivery is requeued, then it is pending, due at the time given, with a fresh attempt budget', async () => {
    const { webhook, deliveries } = await withDeliveries(['user.created']);
    const { id } = deliveries[0]!;
    await db.query(
      `UPDATE audit_webhook_deliveries SET status = 'dead', attempts = 9, last_status = 500,
         last_error = 'boom' WHERE id = $1`,
      [id],
    );
    assert.equal(await store.requeueDelivery(webhook.id, id, later(30)), true);
    const requeued = await store.getDelivery(webhook.id, id);
    assert.equal(requeued?.status, 'pending');
    assert.equal(requeued.attempts, 0);
    assert.equal(requeued.lastStatus, null);
    assert.equal(requeued.lastError, null);
    assert.equal(requeued.nextAttemptAt.getTime(), later(30).getTime());
    assert.equal(await store.requeueDelivery(webhook.id, uuidv7(), later(30)), false);
  });

  it('when eventIdsAfter is asked, then it returns the org’s events after the cursor in chain order, of the types asked, up to the limit', async () => {
    const org = (await insertOrg(db)).id;
    const ids = await appendEvents(db, org, ['t.a', 't.b', 't.a', 't.c']);
    assert.deepEqual(await store.eventIdsAfter(org, ids[0]!, null, 10), ids.slice(1));
    assert.deepEqual(await store.eventIdsAfter(org, ids[0]!, null, 2), ids.slice(1, 3));
    assert.deepEqual(await store.eventIdsAfter(org, ids[0]!, ['t.a', 't.c'], 10), [ids[2], ids[3]]);
    assert.deepEqual(await store.eventIdsAfter(org, ids[3]!, null, 10), []);
    // A cursor no longer in the chain stands for the last event made before it.
    assert.deepEqual(await store.eventIdsAfter(org, ZERO_ID, null, 10), ids);
  });

  it('when eventIdsAfter is asked for another org, then it returns none of this org’s events', async () => {
    const org = (await insertOrg(db)).id;
    const other = (await insertOrg(db)).id;
    const ids = await appendEvents(db, org, ['t.a', 't.b']);
    const theirs = await appendEvents(db, other, ['t.a']);
    assert.deepEqual(await store.eventIdsAfter(other, ZERO_ID, null, 10), theirs);
    assert.deepEqual(await store.eventIdsAfter(other, ids[0]!, null, 10), theirs);
  });
});
