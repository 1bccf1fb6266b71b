import { randomBytes } from 'node:crypto';
import type { Queryable } from '../platform/db/index.js';
import {
  bytes,
  chainIdOf,
  eventHash,
  GENESIS_HASH,
  piiDigest,
  type ChainedFields,
} from './chain.js';

/** An event ready to be written: every column but the chain's. */
export interface PreparedEvent {
  id: string;
  orgId: string | null;
  occurredAtMs: number;
  type: string;
  schemaVersion: number;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, unknown>;
}

const COLUMNS = [
  'id',
  'org_id',
  'occurred_at',
  'type',
  'schema_version',
  'actor_type',
  'actor_id',
  'target_type',
  'target_id',
  'outcome',
  'reason',
  'request_id',
  'ip',
  'user_agent',
  'data',
  'chain_id',
  'chain_seq',
  'prev_hash',
  'hash',
  'pii_salt',
  'pii_digest',
];

/**
 * The one way into audit_events: appends events to their chains inside the caller's
 * transaction. Each chain's head row is locked (FOR UPDATE) until that transaction ends,
 * so writers of one chain take turns and seq never forks; chains are locked in a fixed
 * order so two transactions writing several chains cannot deadlock.
 */
export async function insertChained(tx: Queryable, events: PreparedEvent[]): Promise<void> {
  const byChain = new Map<string, PreparedEvent[]>();
  for (const event of events) {
    const chainId = chainIdOf(event.orgId);
    byChain.set(chainId, [...(byChain.get(chainId) ?? []), event]);
  }
  for (const chainId of [...byChain.keys()].sort()) {
    const chainEvents = byChain.get(chainId)!;
    const lockHead = () =>
      tx.query<{ seq: number | string; hash: Uint8Array }>(
        'SELECT seq, hash FROM audit_chain_heads WHERE chain_id = $1 FOR UPDATE',
        [chainId],
      );
    let { rows } = await lockHead();
    if (!rows.length) {
      // A chain's first event. Race-safe: a concurrent first writer's insert makes ours
      // wait, then do nothing.
      await tx.query(
        `INSERT INTO audit_chain_heads (chain_id, seq, hash) VALUES ($1, 0, $2)
         ON CONFLICT (chain_id) DO NOTHING`,
        [chainId, GENESIS_HASH],
      );
      ({ rows } = await lockHead());
    }
    let seq = Number(rows[0]!.seq);
    let prevHash = bytes(rows[0]!.hash)!;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const event of chainEvents) {
      seq += 1;
      const salt = randomBytes(16);
      const digest = piiDigest(salt, event);
      const fields: ChainedFields = {
        id: event.id,
        chainId,
        seq,
        occurredAtMs: event.occurredAtMs,
        type: event.type,
        schemaVersion: event.schemaVersion,
        orgId: event.orgId,
        actorType: event.actorType,
        targetType: event.targetType,
        outcome: event.outcome,
        reason: event.reason,
        requestId: event.requestId,
        piiDigest: digest,
      };
      const hash = eventHash(prevHash, fields);
      const row = [
        event.id,
        event.orgId,
        new Date(event.occurredAtMs),
        event.type,
        event.schemaVersion,
        event.actorType,
        event.actorId,
        event.targetType,
        event.targetId,
        event.outcome,
        event.reason,
        event.requestId,
        event.ip,
        event.userAgent,
        JSON.stringify(event.data),
        chainId,
        seq,
        prevHash,
        hash,
        salt,
        digest,
      ];
      tuples.push(`(${row.map((_, i) => `$${values.length + i + 1}`).join(', ')})`);
      values.push(...row);
      prevHash = hash;
    }
    // One statement (one round trip under the head lock): the events, their delivery
    // entries in the outbox (outbox.ts: same transaction, so both commit or neither), and
    // the chain's new head.
    const head = values.length;
    values.push(chainId, seq, prevHash);
    await tx.query(
      `WITH inserted AS (
         INSERT INTO audit_events (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
         RETURNING id, org_id, occurred_at
       ), enqueued AS (
         INSERT INTO audit_outbox (event_id, org_id, enqueued_at)
         SELECT id, org_id, occurred_at FROM inserted
       )
       UPDATE audit_chain_heads SET seq = $${head + 2}, hash = $${head + 3}
       WHERE chain_id = $${head + 1}`,
      values,
    );
  }
}
