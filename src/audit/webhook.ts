/** An org's audit webhook: where its audit events are POSTed, signed. */
export type WebhookStatus = 'active' | 'disabled';

export interface Webhook {
  id: string;
  orgId: string;
  url: string;
  /** null: every event type. */
  eventTypes: string[] | null;
  status: WebhookStatus;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  /** null when the event has been purged by retention. */
  eventType: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** `whsec_` + 32 random bytes in standard base64 (the Standard Webhooks form). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
