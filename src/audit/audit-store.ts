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

/**
 * The one statement that appends a batch of events to a chain, atomically: it moves the
 * chain's head from the expected (seq, hash) to the batch's last event (compare-and-set
 * under the head's row lock) and inserts the events only if it did. Its text is fixed
 * whatever the batch's size (each column is one array parameter), so PostgreSQL parses and
 * plans it once per connection (a prepared statement) instead of at every batch.
 * Parameters: $1 chain_id, $2 org_id, $3 the expected head's seq, $4 its hash (hex), $5 the
 * new head's hash (hex), then one array per column in ARRAY_COLUMNS' order; seq runs on
 * from $3, and bytea travel as hex (one encoding that pg and PGlite both read alike).
 */
const ARRAY_COLUMNS = [
  ['id', 'uuid[]', 'e.id'],
  ['occurred_at', 'timestamptz[]', 'e.occurred_at'],
  ['type', 'text[]', 'e.type'],
  ['schema_version', 'integer[]', 'e.schema_version'],
  ['actor_type', 'text[]', 'e.actor_type'],
  ['actor_id', 'text[]', 'e.actor_id'],
  ['target_type', 'text[]', 'e.target_type'],
  ['target_id', 'text[]', 'e.target_id'],
  ['outcome', 'text[]', 'e.outcome'],
  ['reason', 'text[]', 'e.reason'],
  ['request_id', 'text[]', 'e.request_id'],
  ['ip', 'text[]', 'e.ip'],
  ['user_agent', 'text[]', 'e.user_agent'],
  ['data', 'text[]', 'e.data::jsonb'],
  ['prev_hash', 'text[]', "decode(e.prev_hash, 'hex')"],
  ['hash', 'text[]', "decode(e.hash, 'hex')"],
  ['pii_salt', 'text[]', "decode(e.pii_salt, 'hex')"],
  ['pii_digest', 'text[]', "decode(e.pii_digest, 'hex')"],
] as const;

const APPEND_TO_CHAIN = `WITH moved AS (
  UPDATE audit_chain_heads SET seq = $3 + cardinality($6::uuid[]), hash = decode($5, 'hex')
  WHERE chain_id = $1 AND seq = $3 AND hash = decode($4, 'hex')
  RETURNING chain_id
), inserted AS (
  INSERT INTO audit_events (chain_id, org_id, chain_seq, ${ARRAY_COLUMNS.map(([c]) => c).join(', ')})
  SELECT $1, $2, $3 + e.n, ${ARRAY_COLUMNS.map(([, , value]) => value).join(', ')}
  FROM unnest(${ARRAY_COLUMNS.map(([, type], i) => `$${i + 6}::${type}`).join(', ')})
    WITH ORDINALITY AS e (${ARRAY_COLUMNS.map(([c]) => c).join(', ')}, n)
  WHERE EXISTS (SELECT 1 FROM moved)
)
SELECT count(*)::int AS moved FROM moved`;

/** A chain's head: the last event's seq and hash. */
export interface ChainHead {
  seq: number;
  hash: Buffer;
}

const hex = (value: Buffer) => value.toString('hex');

/** APPEND_TO_CHAIN's parameters for events chained after `expected`, and the new head. */
function chainRows(chainId: string, events: PreparedEvent[], expected: ChainHead) {
  let seq = expected.seq;
  let prevHash = expected.hash;
  const columns: unknown[][] = ARRAY_COLUMNS.map(() => []);
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
      new Date(event.occurredAtMs).toISOString(),
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
      hex(prevHash),
      hex(hash),
      hex(salt),
      hex(digest),
    ];
    row.forEach((value, i) => columns[i]!.push(value));
    prevHash = hash;
  }
  const head = { seq, hash: prevHash };
  const orgId = events[0]?.orgId ?? null;
  return {
    params: [chainId, orgId, expected.seq, hex(expected.hash), hex(head.hash), ...columns],
    head,
  };
}

const groupByChain = (events: PreparedEvent[]) => {
  const byChain = new Map<string, PreparedEvent[]>();
  for (const event of events) {
    const chainId = chainIdOf(event.orgId);
    const chain = byChain.get(chainId);
    if (chain) chain.push(event);
    else byChain.set(chainId, [event]);
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
      // A chain's first event: its head at genesis and the relay's position (relay.ts)
      // before its first event. Race-safe: a concurrent first writer's insert makes ours
      // wait, then do nothing.
      await tx.query(
        `WITH head AS (
           INSERT INTO audit_chain_heads (chain_id, seq, hash) VALUES ($1, 0, $2)
           ON CONFLICT (chain_id) DO NOTHING
         )
         INSERT INTO audit_relay_positions (chain_id, seq) VALUES ($1, 0)
         ON CONFLICT (chain_id) DO NOTHING`,
        [chainId, GENESIS_HASH],
      );
      ({ rows } = await lockHead());
    }
    const current = { seq: Number(rows[0]!.seq), hash: bytes(rows[0]!.hash)! };
    // The head is locked: the compare-and-set cannot miss.
    const head = await insertChainedAfter(tx, chainId, chainEvents, current);
    if (!head) throw new Error(`audit chain ${chainId} moved under its lock`);
    heads.set(chainId, head);
  }
  return heads;
}

/**
 * Appends events after `expected` in one statement (APPEND_TO_CHAIN), atomic on its own:
 * the head moves from `expected` to the new one only if it is still `expected`, and the
 * events are inserted only if it did. The fast path of a writer that wrote a chain's head
 * itself last, and insertChained's step once it holds the head's lock. Returns the new
 * head, or null when another writer moved the head meanwhile (nothing was written; the
 * caller takes the locking path instead).
 */
export async function insertChainedAfter(
  q: Queryable,
  chainId: string,
  events: PreparedEvent[],
  expected: ChainHead,
): Promise<ChainHead | null> {
  const { params, head } = chainRows(chainId, events, expected);
  const { rows } = await q.query<{ moved: number }>(APPEND_TO_CHAIN, params, { prepared: true });
  return rows[0]?.moved === 1 ? head : null;
}
