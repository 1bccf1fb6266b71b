import type { Registry } from 'prom-client';
import { declareMetrics } from './declare-metrics.js';

/**
 * How the audit trail leaves Latchkey: events relayed from the audit trail (its own
 * outbox: src/audit/relay.ts) to the Redis stream, webhook delivery attempts by outcome,
 * and the relay's backlog (read at every scrape; the metric names say "outbox" as they
 * did when it was a table of its own). A growing backlog or oldest age means consumers of the stream and the
 * webhooks are falling behind what has been committed.
 */
export interface AuditDeliveryMetrics {
  countRelayed(events: number): void;
  countWebhookAttempt(outcome: 'delivered' | 'retry' | 'dead'): void;
}

export interface RelayBacklog {
  events: number;
  /** occurred_at of the oldest event still waiting, or null when none waits. */
  oldestAtMs: number | null;
}

export function registerAuditDeliveryMetrics(
  registry: Registry,
  backlog: () => Promise<RelayBacklog>,
  nowMs: () => number,
  onError: (error: unknown) => void,
): AuditDeliveryMetrics {
  const metric = declareMetrics(registry);
  const relayed = metric.counter(
    'latchkey_audit_events_relayed_total',
    'Audit events relayed to the Redis stream (and queued for webhooks).',
  );
  const attempts = metric.counter(
    'latchkey_audit_webhook_attempts_total',
    'Audit webhook delivery attempts by outcome: delivered, retry (failed, tried again later) or dead (failed for the last time).',
    ['outcome'],
  );
  // Scraped together: one query answers both gauges. When it fails (Postgres down), the
  // last backlog read stands, and its oldest event keeps ageing: a stuck relay still
  // shows as a growing age, not a frozen one.
  let pending: Promise<RelayBacklog | null> | null = null;
  let last: RelayBacklog | null = null;
  const read = () => {
    pending ??= backlog()
      .then((current) => (last = current))
      .catch((error: unknown) => {
        onError(error);
        return last;
      })
      .finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
  metric.gauge(
    'latchkey_audit_outbox_events',
    'Committed audit events not yet relayed to the stream and webhooks (all processes).',
    async function () {
      const current = await read();
      if (current) this.set(current.events);
    },
  );
  metric.gauge(
    'latchkey_audit_outbox_oldest_age_seconds',
    'Age of the oldest committed audit event not yet relayed; 0 when none waits.',
    async function () {
      const current = await read();
      if (current)
        this.set(
          current.oldestAtMs === null ? 0 : Math.max(0, (nowMs() - current.oldestAtMs) / 1000),
        );
    },
  );
  return {
    countRelayed(events) {
      if (events > 0) relayed.inc(events);
    },
    countWebhookAttempt(outcome) {
      attempts.inc({ outcome });
    },
  };
}
