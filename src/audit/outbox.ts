import type { Queryable } from '../platform/db/index.js';

/**
 * The transactional outbox of audit delivery: called in the transaction that inserts the
 * event, so the event and its entry commit together (or neither does). The relay
 * (relay.ts) later hands each entry to the Redis stream and the org's webhooks, then
 * deletes it.
 */
export async function enqueueForDelivery(
  tx: Queryable,
  events: ReadonlyArray<{ id: string; orgId: string | null; at: Date }>,
): Promise<void> {
  if (events.length === 0) return;
  const values = events.flatMap((event) => [event.id, event.orgId, event.at]);
  const tuples = events.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`);
  await tx.query(
    `INSERT INTO audit_outbox (event_id, org_id, enqueued_at) VALUES ${tuples.join(', ')}`,
    values,
  );
}
