import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import type { EventStream } from '../platform/redis/index.js';
import { batchJob, type BatchJob } from '../platform/background-job.js';
import { AUDIT_EVENT_COLUMNS, toPublicEvent, type AuditEventRow } from './public-event.js';

/** The Redis stream of every audit event, under redis.keyPrefix: `<prefix>audit:events`. */
export const AUDIT_STREAM = 'audit:events';

/**
 * The outbox relay: moves committed audit events from audit_outbox to the Redis stream
 * and to the delivery queue of each matching active webhook of the event's org. One
 * batch is one transaction: the outbox rows are locked (SKIP LOCKED, so several
 * processes share the work), the deliveries inserted, the rows deleted, the events
 * appended to the stream, and only then is it committed.
 *
 * At least once, never lost: if the append succeeds and the commit does not (a crash, a
 * lost connection), the rows are still in the outbox and the next pass appends the
 * events again. Stream consumers deduplicate on the `id` field; a webhook gets one
 * delivery row per (webhook, event) whatever the number of passes.
 */
export type AuditRelay = BatchJob;

export interface AuditRelaySettings {
  batchSize: number;
  /** Approximate cap of the stream (XADD MAXLEN ~). */
  streamMaxLength: number;
}

/** Full batches read on from the last one before a read starts over (see relayBatch). */
const CURSOR_RUN = 20;

type OutboxRow = { outbox_event_id: string } & (
  AuditEventRow | { [K in keyof AuditEventRow]: null }
);

/**
 * Where the relay's next read of the outbox starts. The outbox churns: every relayed row
 * is deleted, and its index entry stays until the table is vacuumed, so a read from the
 * outbox's start walks over all of them (at 2,000 events/s that was most of PostgreSQL's
 * CPU per audited event). Consecutive full batches read on after the last one's last
 * event; every CURSOR_RUN batches, after a batch that drained the outbox, and after a
 * failed one, the read starts over from the beginning, so an event committed after a
 * later one was relayed (ids are drawn before commit) waits at most that long.
 */
function outboxCursor(batchSize: number) {
  let after: string | null = null;
  let cursoredBatches = 0;
  return {
    read(tx: Queryable) {
      const from = cursoredBatches < CURSOR_RUN ? after : null;
      if (from === null) cursoredBatches = 0;
      // The batch is taken from the outbox first and then looked up event by event: as one
      // join, PostgreSQL merge-joined the outbox with audit_events' whole primary key,
      // walking every event ever written before the outbox's first one at every batch.
      return tx.query<OutboxRow>(
        `WITH batch AS (
           SELECT event_id FROM audit_outbox
           ${from === null ? '' : 'WHERE event_id > $2::uuid'}
           ORDER BY event_id
           LIMIT $1
           FOR UPDATE SKIP LOCKED
         )
         SELECT o.event_id AS outbox_event_id, ${AUDIT_EVENT_COLUMNS}
         FROM batch o LEFT JOIN LATERAL (
           SELECT * FROM audit_events WHERE id = o.event_id
         ) e ON true
         ORDER BY o.event_id`,
        from === null ? [batchSize] : [batchSize, from],
      );
    },
    /** A batch of `count` rows, the last `last`, committed. */
    committed(count: number, last: string | null) {
      const full = count >= batchSize;
      after = full ? last : null;
      cursoredBatches = full ? cursoredBatches + 1 : 0;
    },
    failed() {
      after = null;
    },
  };
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

  const cursor = outboxCursor(settings.batchSize);

  /** One batch in one transaction; resolves with the number of outbox rows consumed. */
  const relayTransaction = (settled: (last: string | null) => void) =>
    db.transaction(async (tx) => {
      const { rows } = await cursor.read(tx);
      settled(rows.length ? rows[rows.length - 1]!.outbox_event_id : null);
      if (!rows.length) return 0;
      // An event purged before it was relayed has nothing left to send.
      const events = rows.filter((row): row is OutboxRow & AuditEventRow => row.id !== null);
      await enqueueDeliveries(tx, events);
      await tx.query('DELETE FROM audit_outbox WHERE event_id = ANY($1::uuid[])', [
        rows.map((row) => row.outbox_event_id),
      ]);
      // Issued in event order in one go: Redis applies them in that order, and the
      // client sends them as one pipelined write instead of a round trip each.
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
      return rows.length;
    });

  /** One batch; the read position moves on only once the batch committed. */
  const relayBatch = async () => {
    let last: string | null = null;
    try {
      const count = await relayTransaction((id) => (last = id));
      cursor.committed(count, last);
      return count;
    } catch (error) {
      cursor.failed();
      throw error;
    }
  };

  // runOnce relays batches until the outbox is empty (or maxBatches). A pass drains at
  // most 50 batches, so one busy process still yields to others' work.
  return batchJob(relayBatch, {
    batchSize: settings.batchSize,
    maxBatchesPerPass: 50,
    onBatch: deps.onRelayed,
    onError: deps.onError,
  });
}

/** The outbox's backlog: how many committed events wait, and since when the oldest. */
export async function readOutboxBacklog(
  db: Queryable,
): Promise<{ events: number; oldestAtMs: number | null }> {
  const { rows } = await db.query<{ events: number; oldest: Date | string | null }>(
    'SELECT count(*)::int AS events, min(enqueued_at) AS oldest FROM audit_outbox',
  );
  const oldest = rows[0]?.oldest ?? null;
  return {
    events: rows[0]?.events ?? 0,
    oldestAtMs: oldest === null ? null : new Date(oldest).getTime(),
  };
}
