import type { Queryable } from '../platform/db/index.js';

/**
 * The transactional outbox of audit delivery: called in the transaction that inserts the
 * event, so the event and its entry commit together (or neither does). The relay
 * (relay.ts) later hands each entry to the Redis stream and the org's webhooks, then
 * deletes it.
 */
export async function enqueueForDelivery(
  tx: Queryable,
  event: { id: string; orgId: string | null; at: Date },
): Promise<void> {
  await tx.query('INSERT INTO audit_outbox (event_id, org_id, enqueued_at) VALUES ($1, $2, $3)', [
    event.id,
    event.orgId,
    event.at,
  ]);
}
