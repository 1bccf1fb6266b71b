import { rfc3339 } from '../platform/admin/index.js';
import type { Webhook, WebhookDelivery } from './webhook.js';

/** The JSON shape of a webhook (snake_case). It never holds the secret nor its ciphertext. */
export const presentWebhook = (webhook: Webhook) => ({
  id: webhook.id,
  org_id: webhook.orgId,
  url: webhook.url,
  event_types: webhook.eventTypes,
  status: webhook.status,
  created_at: rfc3339(webhook.createdAt),
  updated_at: rfc3339(webhook.updatedAt),
});

export const presentDelivery = (delivery: WebhookDelivery) => ({
  id: delivery.id,
  webhook_id: delivery.webhookId,
  event_id: delivery.eventId,
  event_type: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  next_attempt_at: delivery.status === 'pending' ? rfc3339(delivery.nextAttemptAt) : null,
  last_status: delivery.lastStatus,
  last_error: delivery.lastError,
  created_at: rfc3339(delivery.createdAt),
  delivered_at: rfc3339(delivery.deliveredAt),
});
