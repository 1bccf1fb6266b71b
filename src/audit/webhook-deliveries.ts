// The delivery side of the webhook admin API (WebhookService in webhook-service.ts):
// listing deliveries, replaying the trail into them, retrying one.
import { adminEvent, notFound, type AdminPrincipal } from '../platform/admin/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import type { RequestContext } from '../platform/request-context.js';
import { parseInput } from '../platform/validation.js';
import type { AuditLog } from './audit-log.js';
import type { AuditEventType } from './event-types.js';
import type { WebhookDelivery } from './webhook.js';
import type { webhookInputs } from './webhook-input.js';
import { webhookStore, type StoredWebhook } from './webhook-store.js';

/** At most this many events are re-enqueued by one replay call; `more` says to go on. */
export const REPLAY_MAX_EVENTS = 10_000;

export interface ReplayResult {
  replayed: number;
  /** The id of the last event re-enqueued (the cursor for the next call), or null. */
  lastEventId: string | null;
  more: boolean;
}

/** What the webhook service's calls share. */
export interface WebhookContext {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  inputs: ReturnType<typeof webhookInputs>;
  /** The org's webhook, refused (404) to another org's key and when missing. */
  load: (orgId: string, webhookId: string, principal: AdminPrincipal) => Promise<StoredWebhook>;
}

/** An admin's audit event about a webhook. */
export const webhookEvent = (
  type: AuditEventType,
  orgId: string,
  webhookId: string,
  principal: AdminPrincipal,
  context: RequestContext,
) => adminEvent(principal, context, { type, orgId, target: { type: 'webhook', id: webhookId } });

export interface WebhookDeliveryCalls {
  listDeliveries(
    orgId: string,
    webhookId: string,
    query: unknown,
    principal: AdminPrincipal,
    page: PageRequest,
  ): Promise<Page<WebhookDelivery>>;
  /** The org's events after the cursor (of the webhook's types) become pending deliveries. */
  replay(
    orgId: string,
    webhookId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<ReplayResult>;
  /** A delivery (typically dead) is pending again, due now, with a fresh attempt budget. */
  retryDelivery(
    orgId: string,
    webhookId: string,
    deliveryId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<WebhookDelivery>;
}

export function createWebhookDeliveryCalls(ctx: WebhookContext): WebhookDeliveryCalls {
  const { db, audit, clock, inputs, load } = ctx;
  return {
    async listDeliveries(orgId, webhookId, query, principal, page) {
      await load(orgId, webhookId, principal);
      const { status } = parseInput(inputs.DeliveryStatus, query, 'query');
      const rows = await webhookStore(db).listDeliveries(webhookId, status ?? null, page);
      return toPage(rows, page, (d) => d.id);
    },

    async replay(orgId, webhookId, body, principal, context) {
      const { webhook } = await load(orgId, webhookId, principal);
      const { after } = parseInput(inputs.Replay, body);
      return db.transaction(async (tx) => {
        const store = webhookStore(tx);
        const ids = await store.eventIdsAfter(
          orgId,
          after,
          webhook.eventTypes,
          REPLAY_MAX_EVENTS + 1,
        );
        const more = ids.length > REPLAY_MAX_EVENTS;
        const eventIds = ids.slice(0, REPLAY_MAX_EVENTS);
        const nowMs = clock.nowMs();
        await store.enqueue(
          webhookId,
          eventIds.map((eventId) => ({ id: uuidv7(nowMs), eventId })),
          new Date(nowMs),
        );
        const result = { replayed: eventIds.length, lastEventId: eventIds.at(-1) ?? null, more };
        await audit.record(tx, {
          ...webhookEvent('admin.webhook.replayed', orgId, webhookId, principal, context),
          data: { after, replayed: result.replayed, last_event_id: result.lastEventId, more },
        });
        return result;
      });
    },

    async retryDelivery(orgId, webhookId, deliveryId, principal, context) {
      await load(orgId, webhookId, principal);
      return db.transaction(async (tx) => {
        const store = webhookStore(tx);
        const before = await store.getDelivery(webhookId, deliveryId);
        if (!before || !(await store.requeueDelivery(webhookId, deliveryId, clock.now()))) {
          throw notFound('delivery');
        }
        await audit.record(tx, {
          ...webhookEvent('admin.webhook.delivery_retried', orgId, webhookId, principal, context),
          data: {
            delivery_id: deliveryId,
            event_id: before.eventId,
            before: { status: before.status, attempts: before.attempts },
          },
        });
        const after = await store.getDelivery(webhookId, deliveryId);
        if (!after) throw notFound('delivery');
        return after;
      });
    },
  };
}
