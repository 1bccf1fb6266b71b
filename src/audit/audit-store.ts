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

/** audit_events columns in insert order, with their SQL types (for typed VALUES). */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'uuid'],
  ['org_id', 'uuid'],
  ['occurred_at', 'timestamptz'],
  ['type', 'text'],
  ['schema_version', 'integer'],
  ['actor_type', 'text'],
  ['actor_id', 'text'],
  ['target_type', 'text'],
  ['target_id', 'text'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['request_id', 'text'],
  ['ip', 'text'],
  ['user_agent', 'text'],
  ['data', 'jsonb'],
  ['chain_id', 'uuid'],
  ['chain_seq', 'bigint'],
  ['prev_hash', 'bytea'],
  ['hash', 'bytea'],
  ['pii_salt', 'bytea'],
  ['pii_digest', 'bytea'],
];
const COLUMN_LIST = COLUMNS.map(([name]) => name).join(', ');

/**
 * The CTE that gives every row of a preceding `inserted` CTE (RETURNING id, org_id,
 * occurred_at) its entry in the transactional outbox, in the same statement.
 */
const ENQUEUE_INSERTED = `enqueued AS (
  INSERT INTO audit_outbox (event_id, org_id, enqueued_at)
  SELECT id, org_id, occurred_at FROM inserted
)`;

/** A chain's head: the last event's seq and hash. */
export interface ChainHead {
  seq: number;
  hash: Buffer;
}

/** Events chained after head: the rows' parameters and the new head. */
function chainRows(chainId: string, events: PreparedEvent[], head: ChainHead) {
  let seq = head.seq;
  let prevHash = head.hash;
  const values: unknown[] = [];
  const tuples: string[] = [];
  // One call to the CSPRNG for the whole batch's salts (16 bytes each).
  const salts = randomBytes(16 * events.length);
  for (const [index, event] of events.entries()) {
    seq += 1;
    const salt = salts.subarray(16 * index, 16 * (index + 1));
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
    tuples.push(
      `(${row.map((_, i) => `$${values.length + i + 1}::${COLUMNS[i]![1]}`).join(', ')})`,
    );
    values.push(...row);
    prevHash = hash;
  }
  return { values, tuples, head: { seq, hash: prevHash } };
}

const groupByChain = (events: PreparedEvent[]) => {
  const byChain = new Map<string, PreparedEvent[]>();
  for (const event of events) {
    const chainId = chainIdOf(event.orgId);
    byChain.set(chainId, [...(byChain.get(chainId) ?? []), event]);
  }
  // A fixed order: two transactions writing several chains cannot deadlock.
  return [...byChain.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

/**
 * The one way into audit_events: appends events to their chains inside the caller's
 * transaction. Each chain's head row is locked (FOR UPDATE) until that transaction ends,
 * so writers of one chain take turns and seq never forks. Returns each chain's new head.
 * Contract (with insertChainedAfter): test/contracts/audit-store.contract.test.ts.
 */
export async function insertChained(
  tx: Queryable,
  events: PreparedEvent[],
): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  for (const [chainId, chainEvents] of groupByChain(events)) {
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
    const current = { seq: Number(rows[0]!.seq), hash: bytes(rows[0]!.hash)! };
    const { values, tuples, head } = chainRows(chainId, chainEvents, current);
    // One statement: the events, their entries in the transactional outbox (the relay,
    // relay.ts, hands each to the Redis stream and the org's webhooks, then deletes it:
    // written with the event, so both commit or neither), and the chain's new head.
    const at = values.push(chainId, head.seq, head.hash);
    await tx.query(
      `WITH inserted AS (
         INSERT INTO audit_events (${COLUMN_LIST}) VALUES ${tuples.join(', ')}
         RETURNING id, org_id, occurred_at
       ), ${ENQUEUE_INSERTED}
       UPDATE audit_chain_heads SET seq = $${at - 1}, hash = $${at} WHERE chain_id = $${at - 2}`,
      values,
    );
    heads.set(chainId, head);
  }
  return heads;
}

/**
 * The fast path of a writer that wrote a chain's head itself last: one statement, atomic on
 * its own, that moves the head from `expected` to the new one only if it is still
 * `expected` (compare-and-set under the row lock) and inserts the events and their outbox
 * entries only if it did. Returns the new head, or null when another writer moved the head
 * meanwhile (nothing was written; the caller takes the locking path instead).
 */
export async function insertChainedAfter(
  db: Queryable,
  chainId: string,
  events: PreparedEvent[],
  expected: ChainHead,
): Promise<ChainHead | null> {
  const { values, tuples, head } = chainRows(chainId, events, expected);
  const at = values.push(chainId, expected.seq, expected.hash, head.seq, head.hash);
  const { rows } = await db.query<{ moved: number }>(
    `WITH moved AS (
       UPDATE audit_chain_heads SET seq = $${at - 1}, hash = $${at}
       WHERE chain_id = $${at - 4} AND seq = $${at - 3} AND hash = $${at - 2}
       RETURNING chain_id
     ), inserted AS (
       INSERT INTO audit_events (${COLUMN_LIST})
       SELECT * FROM (VALUES ${tuples.join(', ')}) AS v
       WHERE EXISTS (SELECT 1 FROM moved)
       RETURNING id, org_id, occurred_at
     ), ${ENQUEUE_INSERTED}
     SELECT count(*)::int AS moved FROM moved`,
    values,
  );
  return rows[0]?.moved === 1 ? head : null;
}
