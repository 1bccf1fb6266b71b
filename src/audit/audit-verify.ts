import type { Database, Queryable } from '../platform/db/index.js';
import { bytes, chainIdOf, eventHash, GENESIS_HASH, piiDigest } from './chain.js';
import type { AuditEventRow } from './public-event.js';

export interface ChainFailure {
  /** The first event found altered, or the first one after a removal (null: at the end). */
  eventId: string | null;
  seq: number | null;
  problem: string;
}

export interface ChainReport {
  chainId: string;
  /** Chained events checked. */
  events: number;
  pseudonymised: number;
  /** Events written before the chain existed (migration 0003), not covered by it. */
  unchained: number;
  /** Where the chain starts after retention purges (0: from its first event). */
  fromSeq: number;
  ok: boolean;
  failure: ChainFailure | null;
}

/** An audit_events row as SELECT * gives it back: the public columns and the chain's. */
interface Row extends AuditEventRow {
  chain_seq: number | string;
  occurred_at: Date;
  data: Record<string, unknown>;
  prev_hash: Uint8Array;
  hash: Uint8Array;
  pii_salt: Uint8Array | null;
  pii_digest: Uint8Array;
  pseudonymised_at: Date | null;
}

const PAGE = 1000;

/** The chain's row in audit_chain_anchors or audit_chain_heads, if any. */
const chainPoint = async (
  q: Queryable,
  table: 'audit_chain_anchors' | 'audit_chain_heads',
  chainId: string,
) =>
  (
    await q.query<{ seq: number | string; hash: Uint8Array }>(
      `SELECT seq, hash FROM ${table} WHERE chain_id = $1`,
      [chainId],
    )
  ).rows[0];

/**
 * Checks one event against its predecessor (at seq, with hash prev): its place, its
 * personal-field digest (or its pseudonymisation, counted in the report) and its hash.
 */
function checkEvent(
  report: ChainReport,
  row: Row,
  seq: number,
  prev: Buffer,
): { problem: string } | { hash: Buffer } {
  const rowSeq = Number(row.chain_seq);
  if (rowSeq !== seq + 1) {
    return { problem: `seq ${seq + 1} is missing (removed) before this event` };
  }
  if (!bytes(row.prev_hash)!.equals(prev)) {
    return {
      problem: 'prev_hash does not match the previous event (one was removed or replaced)',
    };
  }
  const salt = bytes(row.pii_salt);
  const digest = bytes(row.pii_digest)!;
  if (salt) {
    const personal = {
      actorId: row.actor_id,
      targetId: row.target_id,
      ip: row.ip,
      userAgent: row.user_agent,
      data: row.data,
    };
    if (!piiDigest(salt, personal).equals(digest)) {
      return { problem: 'personal fields (actor, target, ip, user agent or data) were altered' };
    }
  } else if (row.pseudonymised_at === null) {
    return { problem: 'the personal-field salt was removed without a pseudonymisation' };
  } else {
    report.pseudonymised += 1;
  }
  const hash = eventHash(prev, {
    id: row.id,
    chainId: report.chainId,
    seq: rowSeq,
    occurredAtMs: row.occurred_at.getTime(),
    type: row.type,
    schemaVersion: row.schema_version,
    orgId: row.org_id,
    actorType: row.actor_type,
    targetType: row.target_type,
    outcome: row.outcome,
    reason: row.reason,
    requestId: row.request_id,
    piiDigest: digest,
  });
  if (!hash.equals(bytes(row.hash)!)) {
    return { problem: 'the event was altered (its hash does not match its fields)' };
  }
  return { hash };
}

/**
 * Walks one chain from its anchor (or its first event) and recomputes everything:
 * consecutive seq, each prev_hash the previous hash, each hash from the event's fields,
 * each personal-field digest while its salt is kept, the head at the last event, and the
 * anchor matching the retention event that set it. Stops at the first failure.
 */
export async function verifyChain(q: Queryable, chainId: string): Promise<ChainReport> {
  const report: ChainReport = {
    chainId,
    events: 0,
    pseudonymised: 0,
    unchained: 0,
    fromSeq: 0,
    ok: true,
    failure: null,
  };
  const fail = (eventId: string | null, seq: number | null, problem: string) => {
    report.ok = false;
    report.failure = { eventId, seq, problem };
    return report;
  };
  const anchor = await chainPoint(q, 'audit_chain_anchors', chainId);
  let seq = anchor ? Number(anchor.seq) : 0;
  let prev = anchor ? bytes(anchor.hash)! : GENESIS_HASH;
  report.fromSeq = seq;
  let firstAtMs: number | null = null;
  let lastPurge: Record<string, unknown> | null = null;

  for (;;) {
    const { rows } = await q.query<Row>(
      `SELECT * FROM audit_events WHERE chain_id = $1 AND chain_seq > $2
       ORDER BY chain_seq LIMIT ${PAGE}`,
      [chainId, seq],
    );
    for (const row of rows) {
      const rowSeq = Number(row.chain_seq);
      const checked = checkEvent(report, row, seq, prev);
      if ('problem' in checked) return fail(row.id, rowSeq, checked.problem);
      const { hash } = checked;
      if (row.type === 'audit.retention.purged') lastPurge = row.data;
      firstAtMs ??= row.occurred_at.getTime();
      prev = hash;
      seq = rowSeq;
      report.events += 1;
    }
    if (rows.length < PAGE) break;
  }

  const head = await chainPoint(q, 'audit_chain_heads', chainId);
  const headSeq = head ? Number(head.seq) : 0;
  if (headSeq !== seq || !(head ? bytes(head.hash)! : GENESIS_HASH).equals(prev)) {
    return fail(
      null,
      seq + 1,
      `the head is at seq ${headSeq} but the last event is seq ${seq}: events at the end were removed`,
    );
  }
  if (
    anchor &&
    (lastPurge?.through_seq !== Number(anchor.seq) ||
      lastPurge.through_hash !== bytes(anchor.hash)!.toString('hex'))
  ) {
    return fail(
      null,
      Number(anchor.seq),
      'the retention anchor matches no audit.retention.purged event',
    );
  }
  const unchained = await q.query<{ n: number | string; last: Date | null }>(
    'SELECT count(*) AS n, max(occurred_at) AS last FROM audit_events WHERE chain_id = $1 AND chain_seq IS NULL',
    [chainId],
  );
  report.unchained = Number(unchained.rows[0]?.n ?? 0);
  const lastUnchained = unchained.rows[0]?.last ?? null;
  if (lastUnchained && firstAtMs !== null && lastUnchained.getTime() > firstAtMs) {
    return fail(null, null, 'an event without a chain position was written after the chain began');
  }
  return report;
}

/** Every chain (or one org's), in chain id order. */
export async function verifyAuditChains(
  q: Queryable,
  options: { orgId?: string | null } = {},
): Promise<ChainReport[]> {
  let chainIds: string[];
  if (options.orgId !== undefined) {
    chainIds = [chainIdOf(options.orgId)];
  } else {
    const { rows } = await q.query<{ chain_id: string }>(
      `SELECT chain_id FROM audit_chain_heads UNION SELECT DISTINCT chain_id FROM audit_events
       ORDER BY chain_id`,
    );
    chainIds = rows.map((r) => r.chain_id);
  }
  const reports: ChainReport[] = [];
  for (const chainId of chainIds) reports.push(await verifyChain(q, chainId));
  return reports;
}

/**
 * verifyAuditChains over one consistent snapshot (REPEATABLE READ, read only), so events
 * committed or purged while the walk runs are neither "removed at the end" nor "missing":
 * on a live database the walk sees the chains exactly as they stood when it began.
 */
export function verifyAuditSnapshot(
  db: Database,
  options: { orgId?: string | null } = {},
): Promise<ChainReport[]> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return verifyAuditChains(tx, options);
  });
}
