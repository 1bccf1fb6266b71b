import type { Clock } from '../platform/clock.js';
import type { SecretBox } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { guardedFetch, type HostLookup, type OutboundPolicy } from '../platform/net/index.js';
import { batchJob, type BatchJob } from '../platform/background-job.js';
import { AUDIT_EVENT_COLUMNS, toPublicEvent, type AuditEventRow } from './public-event.js';
import { secretContext } from './webhook-service.js';
import { signWebhook, SIGNATURE_HEADER, standardWebhookHeaders } from './webhook-signature.js';

/**
 * Sends due webhook deliveries: claims a batch (FOR UPDATE SKIP LOCKED, then a lease on
 * next_attempt_at so no other process takes them while they are in flight), POSTs each
 * event as JSON through the SSRF-guarded fetch, signed in the Standard Webhooks format
 * (webhook-signature.ts), and records the outcome. 2xx is delivered; anything else
 * (another status, a timeout, a refused address) is retried with exponential backoff
 * and jitter, until maxAttempts attempts have failed: the delivery is then dead (the
 * dead-letter list of the API, retried or replayed by an admin). A process that dies
 * mid-delivery leaves the lease to expire, and the delivery is sent again: receivers
 * deduplicate on webhook-id, the delivery's id (one per webhook and event, kept by
 * retries and replays).
 */
export type WebhookSender = BatchJob;

export interface WebhookSenderSettings {
  batchSize: number;
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffCapSeconds: number;
  requestTimeoutMs: number;
}

export interface DeliveryOutcome {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  attempt: number;
  outcome: 'delivered' | 'retry' | 'dead';
  status: number | null;
  error: string | null;
}

interface SendResult {
  ok: boolean;
  /** No later attempt can succeed. */
  final?: boolean;
  status: number | null;
  error: string | null;
}

interface Claimed {
  id: string;
  webhook_id: string;
  event_id: string;
  attempts: number;
  url: string;
  secret_ciphertext: string;
}

/** Exponential backoff with equal jitter: between half and all of base·2^(n-1), capped. */
export function backoffMs(
  attempt: number,
  settings: Pick<WebhookSenderSettings, 'backoffBaseSeconds' | 'backoffCapSeconds'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    settings.backoffCapSeconds * 1000,
    settings.backoffBaseSeconds * 1000 * 2 ** Math.min(attempt - 1, 30),
  );
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * What an org admin is shown of a failed delivery: the kind of failure only. The guarded
 * fetch's own messages tell "does not resolve" from "resolves to a refused address", which
 * would let an admin map internal host names.
 */
const describe = (error: unknown) =>
  error instanceof AppError && error.code === 'outbound_timeout'
    ? 'timeout: the receiver did not answer in time'
    : 'delivery failed: the receiver could not be reached or is not allowed';

/** Takes a batch of due deliveries of active webhooks, leased until nowMs + leaseMs. */
async function claimDue(
  db: Database,
  nowMs: number,
  leaseMs: number,
  batchSize: number,
): Promise<Claimed[]> {
  const { rows } = await db.query<Claimed>(
    `WITH due AS (
       SELECT d.id FROM audit_webhook_deliveries d
       JOIN audit_webhooks w ON w.id = d.webhook_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.status = 'active'
       ORDER BY d.next_attempt_at, d.id
       LIMIT $3
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE audit_webhook_deliveries d SET next_attempt_at = $2
     FROM due, audit_webhooks w
     WHERE d.id = due.id AND w.id = d.webhook_id
     RETURNING d.id, d.webhook_id, d.event_id, d.attempts, w.url, w.secret_ciphertext`,
    [new Date(nowMs), new Date(nowMs + leaseMs), batchSize],
  );
  return rows;
}

const loadEvents = async (db: Database, ids: string[]) => {
  const { rows } = await db.query<AuditEventRow>(
    `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events e WHERE e.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
};

export function createWebhookSender(deps: {
  db: Database;
  clock: Clock;
  secretBox: SecretBox;
  outbound: OutboundPolicy;
  settings: WebhookSenderSettings;
  lookup?: HostLookup;
  random?: () => number;
  onDelivery?: (outcome: DeliveryOutcome) => void;
  onError?: (error: unknown) => void;
}): WebhookSender {
  const { db, clock, secretBox, settings } = deps;
  const policy: OutboundPolicy = { ...deps.outbound, timeoutMs: settings.requestTimeoutMs };
  // A claimed delivery is not due again before its request has surely ended.
  const leaseMs = settings.requestTimeoutMs + 60_000;

  const claim = () => claimDue(db, clock.nowMs(), leaseMs, settings.batchSize);

  const record = async (delivery: Claimed, result: SendResult): Promise<DeliveryOutcome> => {
    const attempt = delivery.attempts + 1;
    const now = clock.now();
    const outcome = result.ok
      ? 'delivered'
      : result.final || attempt >= settings.maxAttempts
        ? 'dead'
        : 'retry';
    const next = new Date(now.getTime() + backoffMs(attempt, settings, deps.random));
    await db.query(
      `UPDATE audit_webhook_deliveries SET attempts = $2, status = $3, last_status = $4,
         last_error = $5, next_attempt_at = $6, delivered_at = $7
       WHERE id = $1 AND status = 'pending'`,
      [
        delivery.id,
        attempt,
        outcome === 'retry' ? 'pending' : outcome,
        result.status,
        result.error,
        outcome === 'retry' ? next : now,
        outcome === 'delivered' ? now : null,
      ],
    );
    return {
      deliveryId: delivery.id,
      webhookId: delivery.webhook_id,
      eventId: delivery.event_id,
      attempt,
      outcome,
      status: result.status,
      error: result.error,
    };
  };

  const send = async (delivery: Claimed, event: AuditEventRow | undefined) => {
    // Purged by retention before it could be delivered: nothing left to send.
    if (!event)
      return { ok: false, status: null, error: 'event_purged: the event is no longer kept' };
    const body = JSON.stringify(toPublicEvent(event));
    let secret: string;
    try {
      secret = secretBox.open(delivery.secret_ciphertext, secretContext(delivery.webhook_id));
    } catch {
      // The key-encryption key changed: rotating the webhook's secret mends it.
      return { ok: false, status: null, error: 'secret_unreadable: rotate the webhook secret' };
    }
    const timestampSeconds = Math.floor(clock.nowMs() / 1000);
    try {
      const res = await guardedFetch(delivery.url, policy, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Latchkey-Webhooks/1',
          // A webhook has one secret at a time (rotation replaces it): one signature.
          ...standardWebhookHeaders([secret], delivery.id, timestampSeconds, body),
          // Deprecated, sent for one more release beside the standard headers.
          [SIGNATURE_HEADER]: signWebhook(secret, body, timestampSeconds),
          'Latchkey-Event-Id': event.id,
          'Latchkey-Event-Type': event.type,
          'Latchkey-Delivery-Id': delivery.id,
        },
        body,
        lookup: deps.lookup,
        // A 3xx is a failed delivery (retried, then dead), never followed.
        followRedirects: false,
      });
      const ok = res.status >= 200 && res.status < 300;
      return { ok, status: res.status, error: ok ? null : `http_status: ${res.status}` };
    } catch (error) {
      return { ok: false, status: null, error: describe(error) };
    }
  };

  const runBatch = async () => {
    const claimed = await claim();
    if (!claimed.length) return 0;
    const events = await loadEvents(
      db,
      claimed.map((d) => d.event_id),
    );
    await Promise.all(
      claimed.map(async (delivery) => {
        const outcome = await record(delivery, await send(delivery, events.get(delivery.event_id)));
        deps.onDelivery?.(outcome);
      }),
    );
    return claimed.length;
  };

  // runOnce sends every delivery due now (at most maxBatches batches): the count tried.
  return batchJob(runBatch, {
    batchSize: settings.batchSize,
    maxBatchesPerPass: 10,
    onError: deps.onError,
  });
}
