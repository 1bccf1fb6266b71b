import {
  actorOf,
  assertOrgAccess,
  assertOrgVisible,
  notFound,
  staleWrite,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { randomToken, uuidv7 } from '../platform/ids.js';
import type { OutboundPolicy } from '../platform/net/index.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import type { RequestContext } from '../platform/request-context.js';
import { parseInput } from '../platform/validation.js';
import { changeSet, type AuditLog } from './audit-log.js';
import type { AuditEventType } from './event-types.js';
import {
  WEBHOOK_SECRET_PREFIX,
  type DeliveryStatus,
  type Webhook,
  type WebhookDelivery,
} from './webhook.js';
import { webhookInputs } from './webhook-input.js';
import { webhookStore, type WebhookChanges } from './webhook-store.js';

/** At most this many events are re-enqueued by one replay call; `more` says to go on. */
export const REPLAY_MAX_EVENTS = 10_000;

export interface WebhookWithSecret {
  webhook: Webhook;
  /** Shown once, in the create or rotate response; Latchkey keeps it sealed. */
  secret: string;
}

export interface ReplayResult {
  replayed: number;
  /** The id of the last event re-enqueued (the cursor for the next call), or null. */
  lastEventId: string | null;
  more: boolean;
}

export interface WebhookService {
  create(
    orgId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<WebhookWithSecret>;
  list(orgId: string, principal: AdminPrincipal, page: PageRequest): Promise<Page<Webhook>>;
  get(orgId: string, webhookId: string, principal: AdminPrincipal): Promise<Webhook>;
  update(
    orgId: string,
    webhookId: string,
    body: unknown,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Webhook>;
  /** Deletes the webhook and its deliveries (pending ones are never sent). */
  remove(
    orgId: string,
    webhookId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  rotateSecret(
    orgId: string,
    webhookId: string,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<WebhookWithSecret>;
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

/** The secret is bound to the webhook: its ciphertext opens in this row only. */
export const secretContext = (webhookId: string) => `audit-webhook:${webhookId}`;

const auditView = (webhook: Webhook, secretCiphertext: string) => ({
  url: webhook.url,
  event_types: webhook.eventTypes,
  status: webhook.status,
  secret: secretCiphertext,
});
const SECRET_FIELDS = ['secret'];

export function createWebhookService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  secretBox: SecretBox;
  outbound: OutboundPolicy;
}): WebhookService {
  const { db, audit, clock, secretBox } = deps;
  const inputs = webhookInputs(deps.outbound);
  const newSecret = () => `${WEBHOOK_SECRET_PREFIX}${randomToken(32)}`;

  const load = async (orgId: string, webhookId: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId, 'webhook');
    const stored = await webhookStore(db).get(orgId, webhookId);
    if (!stored) throw notFound('webhook');
    return stored;
  };

  const event = (
    type: AuditEventType,
    orgId: string,
    webhookId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ) => ({
    type,
    orgId,
    actor: actorOf(principal),
    target: { type: 'webhook', id: webhookId },
    context,
  });

  /** Applies changes under optimistic concurrency, audited as `type` with a change set. */
  const change = (
    type: AuditEventType,
    orgId: string,
    webhookId: string,
    before: { webhook: Webhook; secretCiphertext: string },
    changes: WebhookChanges,
    expected: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ) =>
    db.transaction(async (tx) => {
      const result = await webhookStore(tx).update(
        orgId,
        webhookId,
        changes,
        clock.now(),
        expected ?? before.webhook.version,
      );
      if (!result.ok) throw result.reason === 'stale' ? staleWrite() : notFound('webhook');
      await audit.record(tx, {
        ...event(type, orgId, webhookId, principal, context),
        data: changeSet(
          auditView(before.webhook, before.secretCiphertext),
          auditView(result.value.webhook, result.value.secretCiphertext),
          SECRET_FIELDS,
        ),
      });
      return result.value.webhook;
    });

  return {
    async create(orgId, body, principal, context) {
      await assertOrgVisible(db, principal, orgId);
      const input = parseInput(inputs.Create, body);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const webhook: Webhook = {
        id,
        orgId,
        url: input.url,
        eventTypes: input.event_types ?? null,
        status: 'active',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const secret = newSecret();
      const secretCiphertext = secretBox.seal(secret, secretContext(id));
      await db.transaction(async (tx) => {
        await webhookStore(tx).insert(webhook, secretCiphertext);
        await audit.record(tx, {
          ...event('admin.webhook.created', orgId, id, principal, context),
          data: changeSet(null, auditView(webhook, secretCiphertext), SECRET_FIELDS),
        });
      });
      return { webhook, secret };
    },

    async list(orgId, principal, page) {
      await assertOrgVisible(db, principal, orgId);
      return toPage(await webhookStore(db).list(orgId, page), page, (w) => w.id);
    },

    async get(orgId, webhookId, principal) {
      return (await load(orgId, webhookId, principal)).webhook;
    },

    async update(orgId, webhookId, body, expected, principal, context) {
      const before = await load(orgId, webhookId, principal);
      const input = parseInput(inputs.Update, body);
      if (expected !== null && expected !== before.webhook.version) throw staleWrite();
      const next = {
        ...before.webhook,
        url: input.url ?? before.webhook.url,
        eventTypes: input.event_types === undefined ? before.webhook.eventTypes : input.event_types,
        status: input.status ?? before.webhook.status,
      };
      const diff = changeSet(
        auditView(before.webhook, before.secretCiphertext),
        auditView(next, before.secretCiphertext),
      );
      // Nothing to change: no write, no event.
      if (!diff.after || Object.keys(diff.after).length === 0) return before.webhook;
      return change(
        'admin.webhook.updated',
        orgId,
        webhookId,
        before,
        { url: input.url, eventTypes: input.event_types, status: input.status },
        expected,
        principal,
        context,
      );
    },

    async remove(orgId, webhookId, expected, principal, context) {
      const before = await load(orgId, webhookId, principal);
      if (expected !== null && expected !== before.webhook.version) throw staleWrite();
      await db.transaction(async (tx) => {
        if (!(await webhookStore(tx).delete(orgId, webhookId, expected))) {
          throw (await webhookStore(tx).get(orgId, webhookId)) ? staleWrite() : notFound('webhook');
        }
        await audit.record(tx, {
          ...event('admin.webhook.deleted', orgId, webhookId, principal, context),
          data: changeSet(auditView(before.webhook, before.secretCiphertext), null, SECRET_FIELDS),
        });
      });
    },

    async rotateSecret(orgId, webhookId, expected, principal, context) {
      const before = await load(orgId, webhookId, principal);
      if (expected !== null && expected !== before.webhook.version) throw staleWrite();
      const secret = newSecret();
      const webhook = await change(
        'admin.webhook.secret_rotated',
        orgId,
        webhookId,
        before,
        { secretCiphertext: secretBox.seal(secret, secretContext(webhookId)) },
        expected,
        principal,
        context,
      );
      return { webhook, secret };
    },

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
          ...event('admin.webhook.replayed', orgId, webhookId, principal, context),
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
          ...event('admin.webhook.delivery_retried', orgId, webhookId, principal, context),
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

export type { DeliveryStatus };
