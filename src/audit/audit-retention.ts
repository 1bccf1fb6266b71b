import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { AuditLog } from './audit-log.js';
import { bytes, chainIdOf } from './chain.js';
import { backgroundJob } from '../platform/background-job.js';

const DAY_MS = 86_400_000;

/** How long each org keeps its audit trail (from the orgs domain, wired in app.ts). */
export interface RetentionSource {
  list(): Promise<Array<{ orgId: string; retentionDays: number }>>;
}

export interface AuditRetention {
  /** One pass over every org, now; returns how many events each purge removed. */
  runOnce(): Promise<Array<{ orgId: string; purged: number }>>;
  /** Runs a pass every intervalMs (unref'd) until stop. */
  start(intervalMs: number): void;
  /** Stops the schedule; resolves once a pass under way has finished. */
  stop(): Promise<void>;
}

/**
 * Retention: an org's events older than its audit_retention_days are deleted, always a
 * prefix of its chain (every event up to the last one older than the cut), so what is
 * kept still verifies: audit_chain_anchors records the last purged event's seq and hash,
 * where `audit verify` starts. The purge and its `audit.retention.purged` event (count,
 * through) commit together, with the chain head locked so no writer interleaves.
 */
export function createAuditRetention(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  source: RetentionSource;
  onError?: (error: unknown) => void;
}): AuditRetention {
  const { db, audit, clock } = deps;

  const purgeOrg = (orgId: string, retentionDays: number) =>
    db.transaction(async (tx) => {
      const chainId = chainIdOf(orgId);
      const head = await tx.query(
        'SELECT seq FROM audit_chain_heads WHERE chain_id = $1 FOR UPDATE',
        [chainId],
      );
      if (!head.rows.length) return 0;
      const cutoff = new Date(clock.nowMs() - retentionDays * DAY_MS);
      const { rows } = await tx.query<{ seq: number | string | null }>(
        `SELECT max(chain_seq) AS seq FROM audit_events
         WHERE chain_id = $1 AND chain_seq IS NOT NULL AND occurred_at < $2`,
        [chainId, cutoff],
      );
      const through =
        rows[0]?.seq === null || rows[0]?.seq === undefined ? null : Number(rows[0].seq);
      const last =
        through === null
          ? null
          : (
              await tx.query<{ hash: Uint8Array; occurred_at: Date }>(
                'SELECT hash, occurred_at FROM audit_events WHERE chain_id = $1 AND chain_seq = $2',
                [chainId, through],
              )
            ).rows[0];
      await tx.query("SELECT set_config('latchkey.audit_purge', 'on', true)");
      // The anchor first: the database lets a purge delete only what its anchor covers.
      if (last) {
        await tx.query(
          `INSERT INTO audit_chain_anchors (chain_id, seq, hash, purged_through, purged_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (chain_id) DO UPDATE SET seq = $2, hash = $3, purged_through = $4, purged_at = $5`,
          [chainId, through, bytes(last.hash), last.occurred_at, clock.now()],
        );
      }
      // Events from before the chain (migration 0003) go by age alone.
      const deleted = await tx.query(
        `DELETE FROM audit_events WHERE chain_id = $1
         AND (chain_seq <= $2 OR (chain_seq IS NULL AND occurred_at < $3))`,
        [chainId, through ?? 0, cutoff],
      );
      await tx.query("SELECT set_config('latchkey.audit_purge', 'off', true)");
      if (!deleted.rowCount) return 0;
      await audit.record(tx, {
        type: 'audit.retention.purged',
        orgId,
        actor: { type: 'system', id: null },
        data: {
          count: deleted.rowCount,
          retention_days: retentionDays,
          through: cutoff.toISOString(),
          through_seq: through,
          through_hash: last ? bytes(last.hash)!.toString('hex') : null,
        },
      });
      return deleted.rowCount;
    });

  const runOnce = async () => {
    const results: Array<{ orgId: string; purged: number }> = [];
    for (const { orgId, retentionDays } of await deps.source.list()) {
      try {
        const purged = await purgeOrg(orgId, retentionDays);
        if (purged) results.push({ orgId, purged });
      } catch (error) {
        // One org's trouble does not stop the others.
        deps.onError?.(error);
      }
    }
    return results;
  };

  const job = backgroundJob(runOnce, deps.onError);
  return { runOnce, start: job.start, stop: job.stop };
}
