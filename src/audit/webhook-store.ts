import {
  orgRows,
  type ChangeColumns,
  type Queryable,
  type WriteResult,
} from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';
import type { DeliveryStatus, Webhook, WebhookDelivery, WebhookStatus } from './webhook.js';

interface WebhookRow {
  id: string;
  org_id: string;
  url: string;
  event_types: string[] | null;
  secret_ciphertext: string;
  status: WebhookStatus;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** A webhook with its sealed secret, which only the sender ever opens. */
export interface StoredWebhook {
  webhook: Webhook;
  secretCiphertext: string;
}

const toStored = (row: WebhookRow): StoredWebhook => ({
  webhook: {
    id: row.id,
    orgId: row.org_id,
    url: row.url,
    eventTypes: row.event_types,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  },
  secretCiphertext: row.secret_ciphertext,
});

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  webhookId: row.webhook_id,
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastStatus: row.last_status,
  lastError: row.last_error,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
});

export interface WebhookChanges {
  url?: string;
  /** undefined: unchanged; null: every type. */
  eventTypes?: string[] | null;
  status?: WebhookStatus;
  secretCiphertext?: string;
}

export type { WriteResult };

const CHANGE_COLUMNS: ChangeColumns<WebhookChanges> = {
  set: `url = COALESCE($4, url),
    event_types = CASE WHEN $5 THEN $6::text[] ELSE event_types END,
    status = COALESCE($7, status),
    secret_ciphertext = COALESCE($8, secret_ciphertext)`,
  values: (changes) => [
    changes.url ?? null,
    changes.eventTypes !== undefined,
    changes.eventTypes ?? null,
    changes.status ?? null,
    changes.secretCiphertext ?? null,
  ],
};

const DELIVERY_SELECT = `SELECT d.*, e.type AS event_type
  FROM audit_webhook_deliveries d LEFT JOIN audit_events e ON e.id = d.event_id`;

/**
 * Webhooks and their deliveries in SQL (PostgreSQL or PGlite), over a pool or a transaction.
 * Every method taking an org id sees that org's rows only; the delivery methods take a
 * webhook id the caller has already found in its org. Contract:
 * test/contracts/webhook-store.contract.test.ts.
 */
export interface WebhookStore {
  insert(webhook: Webhook, secretCiphertext: string): Promise<void>;
  get(orgId: string, id: string): Promise<StoredWebhook | null>;
  /** Oldest first. */
  list(orgId: string, page: PageRequest): Promise<Webhook[]>;
  update(
    orgId: string,
    id: string,
    changes: WebhookChanges,
    at: Date,
    expectedVersion: number,
  ): Promise<WriteResult<StoredWebhook>>;
  /** Deletes the webhook and, by cascade, its deliveries; with an expected version, only that version. */
  delete(orgId: string, id: string, expectedVersion: number | null): Promise<boolean>;
  /** Oldest first; optionally only those in one status. */
  listDeliveries(
    webhookId: string,
    status: DeliveryStatus | null,
    page: PageRequest,
  ): Promise<WebhookDelivery[]>;
  getDelivery(webhookId: string, deliveryId: string): Promise<WebhookDelivery | null>;
  /** Makes a delivery pending and due at `at`, with a fresh attempt budget. */
  requeueDelivery(webhookId: string, deliveryId: string, at: Date): Promise<boolean>;
  /** The org's event ids after `afterId` (of the given types, or all), in chain order. */
  eventIdsAfter(
    orgId: string,
    afterId: string,
    types: string[] | null,
    limit: number,
  ): Promise<string[]>;
  /** One pending delivery per event, due at `at`; existing ones start over. */
  enqueue(
    webhookId: string,
    deliveries: { id: string; eventId: string }[],
    at: Date,
  ): Promise<void>;
}

/** The org's event ids after `afterId` (of the given types, or all), oldest first. */
async function eventIdsAfter(
  q: Queryable,
  orgId: string,
  afterId: string,
  types: string[] | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    // In chain order (commit order), after the cursor event's place in the chain; a
    // cursor event no longer there (purged) stands for the last one made before it.
    `SELECT id FROM audit_events
     WHERE chain_id = $1 AND chain_seq > coalesce(
         (SELECT chain_seq FROM audit_events WHERE chain_id = $1 AND id = $2),
         (SELECT coalesce(max(chain_seq), 0) FROM audit_events WHERE chain_id = $1 AND id <= $2))
       AND ($3::text[] IS NULL OR type = ANY($3::text[]))
     ORDER BY chain_seq LIMIT $4`,
    [orgId, afterId, types, limit],
  );
  return rows.map((row) => row.id);
}

export function webhookStore(q: Queryable): WebhookStore {
  const table = orgRows(q, 'audit_webhooks', toStored, CHANGE_COLUMNS);

  return {
    async insert(webhook: Webhook, secretCiphertext: string): Promise<void> {
      await q.query(
        `INSERT INTO audit_webhooks (id, org_id, url, event_types, secret_ciphertext, status,
           created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          webhook.id,
          webhook.orgId,
          webhook.url,
          webhook.eventTypes,
          secretCiphertext,
          webhook.status,
          webhook.createdAt,
          webhook.updatedAt,
          webhook.version,
        ],
      );
    },

    get: table.get,

    /** Oldest first. */
    async list(orgId: string, page: PageRequest) {
      return (await table.page(orgId, page)).map((stored) => stored.webhook);
    },

    update: table.update,

    /** Deletes the webhook and, by cascade, its deliveries. */
    delete: table.deleteVersioned,

    /** Oldest first; optionally only those in one status. */
    async listDeliveries(webhookId: string, status: DeliveryStatus | null, page: PageRequest) {
      const { rows } = await q.query<DeliveryRow>(
        `${DELIVERY_SELECT}
         WHERE d.webhook_id = $1 AND ($2::text IS NULL OR d.status = $2)
           AND ($3::uuid IS NULL OR d.id > $3::uuid)
         ORDER BY d.id LIMIT $4`,
        [webhookId, status, page.afterId, page.limit + 1],
      );
      return rows.map(toDelivery);
    },

    async getDelivery(webhookId: string, deliveryId: string) {
      const { rows } = await q.query<DeliveryRow>(
        `${DELIVERY_SELECT} WHERE d.id = $1 AND d.webhook_id = $2`,
        [deliveryId, webhookId],
      );
      return rows[0] ? toDelivery(rows[0]) : null;
    },

    /** Makes a delivery pending and due at `at`, with a fresh attempt budget. */
    async requeueDelivery(webhookId: string, deliveryId: string, at: Date) {
      const { rows } = await q.query<{ id: string }>(
        `UPDATE audit_webhook_deliveries SET status = 'pending', attempts = 0,
           next_attempt_at = $3, last_error = NULL, last_status = NULL, delivered_at = NULL
         WHERE id = $1 AND webhook_id = $2 RETURNING id`,
        [deliveryId, webhookId, at],
      );
      return rows.length > 0;
    },

    eventIdsAfter: (orgId, afterId, types, limit) => eventIdsAfter(q, orgId, afterId, types, limit),

    /** One pending delivery per event, due at `at`; existing ones start over. */
    async enqueue(webhookId: string, deliveries: { id: string; eventId: string }[], at: Date) {
      if (!deliveries.length) return;
      await q.query(
        `INSERT INTO audit_webhook_deliveries (id, webhook_id, event_id, attempts, next_attempt_at,
           status, created_at)
         SELECT d.id, $1, d.event_id, 0, $4, 'pending', $4
         FROM unnest($2::uuid[], $3::uuid[]) AS d (id, event_id)
         ON CONFLICT (webhook_id, event_id) DO UPDATE SET status = 'pending', attempts = 0,
           next_attempt_at = EXCLUDED.next_attempt_at, last_error = NULL, last_status = NULL,
           delivered_at = NULL`,
        [webhookId, deliveries.map((d) => d.id), deliveries.map((d) => d.eventId), at],
      );
    },
  };
}
