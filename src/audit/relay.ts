import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import type { EventStream } from '../platform/redis/index.js';
import { batchJob, type BatchJob } from '../platform/background-job.js';
import { AUDIT_EVENT_COLUMNS, toPublicEvent, type AuditEventRow } from './public-event.js';

/** The Redis stream of every audit event, under redis.keyPrefix: `<prefix>audit:events`. */
export const AUDIT_STREAM = 'audit:events';

/**
 * The relay: moves committed audit events to the Redis stream and to the delivery queue of
 * each matching active webhook of the event's org. The events table is its own outbox: a
 * chain's committed events are always a prefix of it (every writer moves the chain's head
 * in the transaction that inserts its events, under the head's row lock), so the relay
 * keeps per chain the seq up to which it has relayed (audit_relay_positions) and relays
 * what lies between that and the head.
 *
 * One batch is one transaction: the positions of chains with events to relay are locked
 * (SKIP LOCKED, so several processes share the work, one chain each at a time; the chain
 * relayed longest ago first), their next events read, the deliveries inserted, the events
 * appended to the stream, the positions moved on, and only then is it committed.
 *
 * At least once, never lost: if the append succeeds and the commit does not (a crash, a
 * lost connection), the positions have not moved and the next pass appends the events
 * again. Stream consumers deduplicate on the `id` field; a webhook gets one delivery row
 * per (webhook, event) whatever the number of passes.
 */
export type AuditRelay = BatchJob;

export interface AuditRelaySettings {
  /** The most events (and chains) one batch relays. */
  batchSize: number;
  /** Approximate cap of the stream (XADD MAXLEN ~). */
  streamMaxLength: number;
}

/**
 * A batch: the next events of the chains due (at most $1 chains, $1 events each, $1 in
 * all), in chain order. A chain whose events between its position and its head were all
 * purged by retention comes back as one row without an event (its position then moves to
 * the head). The head and the events are read in one snapshot, so a chain read to its end
 * is read to the head read.
 */
const READ_BATCH = `WITH due AS (
  SELECT p.chain_id, p.seq, p.relayed_at, h.seq AS head
  FROM audit_relay_positions p JOIN audit_chain_heads h ON h.chain_id = p.chain_id
  WHERE h.seq > p.seq
  ORDER BY p.relayed_at NULLS FIRST, p.chain_id
  LIMIT $1
  FOR UPDATE OF p SKIP LOCKED
)
SELECT due.chain_id AS due_chain_id, due.head, e.chain_seq, ${AUDIT_EVENT_COLUMNS}
FROM due LEFT JOIN LATERAL (
  SELECT e.chain_seq, ${AUDIT_EVENT_COLUMNS} FROM audit_events e
  WHERE e.chain_id = due.chain_id AND e.chain_seq > due.seq
  ORDER BY e.chain_seq LIMIT $1
) e ON true
ORDER BY due.relayed_at NULLS FIRST, due.chain_id, e.chain_seq
LIMIT $1`;

type BatchRow = { due_chain_id: string; head: string | number; chain_seq: string | number } & (
  AuditEventRow | { [K in keyof AuditEventRow]: null }
);

/** Each chain's new position after a batch: its last event read, or its head when none was left. */
function positionsAfter(rows: BatchRow[]) {
  const positions = new Map<string, number>();
  for (const row of rows)
    positions.set(row.due_chain_id, Number(row.id === null ? row.head : row.chain_seq));
  return positions;
}

export function createAuditRelay(deps: {
  db: Database;
  stream: EventStream;
  clock: Clock;
  settings: AuditRelaySettings;
  /** Told how many events each committed batch relayed. */
  onRelayed?: (events: number) => void;
  onError?: (error: unknown) => void;
}): AuditRelay {
  const { db, stream, clock, settings } = deps;

  const enqueueDeliveries = async (tx: Queryable, events: AuditEventRow[]) => {
    const orgIds = [...new Set(events.map((e) => e.org_id).filter((id) => id !== null))];
    if (!orgIds.length) return;
    const { rows: webhooks } = await tx.query<{
      id: string;
      org_id: string;
      event_types: string[] | null;
    }>(
      `SELECT id, org_id, event_types FROM audit_webhooks
       WHERE status = 'active' AND org_id = ANY($1::uuid[])`,
      [orgIds],
    );
    const ids: string[] = [];
    const webhookIds: string[] = [];
    const eventIds: string[] = [];
    const nowMs = clock.nowMs();
    for (const event of events) {
      for (const webhook of webhooks) {
        if (webhook.org_id !== event.org_id) continue;
        if (webhook.event_types !== null && !webhook.event_types.includes(event.type)) continue;
        ids.push(uuidv7(nowMs));
        webhookIds.push(webhook.id);
        eventIds.push(event.id);
      }
    }
    if (!ids.length) return;
    await tx.query(
      `INSERT INTO audit_webhook_deliveries (id, webhook_id, event_id, attempts, next_attempt_at,
         status, created_at)
       SELECT d.id, d.webhook_id, d.event_id, 0, $4, 'pending', $4
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS d (id, webhook_id, event_id)
       ON CONFLICT (webhook_id, event_id) DO NOTHING`,
      [ids, webhookIds, eventIds, new Date(nowMs)],
    );
  };

  /** One batch in one transaction; resolves with the number of rows it took. */
  const relayBatch = () =>
    db.transaction(async (tx) => {
      const { rows } = await tx.query<BatchRow>(READ_BATCH, [settings.batchSize], {
        prepared: true,
      });
      if (!rows.length) return 0;
      const events = rows.filter((row): row is BatchRow & AuditEventRow => row.id !== null);
      await enqueueDeliveries(tx, events);
      // Issued in chain order in one go: Redis applies them in that order, and the client
      // sends them as one pipelined write instead of a round trip each.
      await Promise.all(
        events.map((event) =>
          stream.append(
            AUDIT_STREAM,
            {
              id: event.id,
              org_id: event.org_id ?? '',
              type: event.type,
              event: JSON.stringify(toPublicEvent(event)),
            },
            { maxLength: settings.streamMaxLength },
          ),
        ),
      );
      // A position only moves forward, whatever another process did meanwhile.
      const positions = positionsAfter(rows);
      await tx.query(
        `UPDATE audit_relay_positions p SET seq = greatest(p.seq, v.seq), relayed_at = $3
         FROM unnest($1::uuid[], $2::bigint[]) AS v (chain_id, seq)
         WHERE p.chain_id = v.chain_id`,
        [[...positions.keys()], [...positions.values()], new Date(clock.nowMs())],
        { prepared: true },
      );
      return rows.length;
    });

  // runOnce relays batches until the outbox is empty (or maxBatches). A pass drains at
  // most 50 batches, so one busy process still yields to others' work.
  return batchJob(relayBatch, {
    batchSize: settings.batchSize,
    maxBatchesPerPass: 50,
    onBatch: deps.onRelayed,
    onError: deps.onError,
  });
}

/**
 * The relay's backlog: how many committed events wait (all chains), and when the oldest of
 * them occurred.
 */
export async function readRelayBacklog(
  db: Queryable,
): Promise<{ events: number; oldestAtMs: number | null }> {
  const { rows } = await db.query<{ events: number; oldest: Date | string | null }>(
    `SELECT coalesce(sum(h.seq - p.seq), 0)::int AS events,
            min((SELECT e.occurred_at FROM audit_events e
                 WHERE e.chain_id = p.chain_id AND e.chain_seq > p.seq
                 ORDER BY e.chain_seq LIMIT 1)) AS oldest
     FROM audit_relay_positions p JOIN audit_chain_heads h ON h.chain_id = p.chain_id
     WHERE h.seq > p.seq`,
  );
  const oldest = rows[0]?.oldest ?? null;
  return {
    events: rows[0]?.events ?? 0,
    oldestAtMs: oldest === null ? null : new Date(oldest).getTime(),
  };
}
