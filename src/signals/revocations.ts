import type { Database, Queryable } from '../platform/db/index.js';
import type { RevocationLog } from './revocation-log.js';
import type { RevocationMirror } from './revocation-mirror.js';
import type { RecordedRevocation, Revocation, RevocationKind } from './revocation.js';

/**
 * Revoking, write-ahead: the revocation is made durable in PostgreSQL first, together with
 * whatever the caller records in the same transaction (its audit events), and only then
 * applied to Redis. So a revocation that was acknowledged survives the loss of Redis's
 * data, and one that could not be made durable (PostgreSQL away: a 503) changed nothing.
 */
export interface Revocations {
  /**
   * Records the entries not revoked before and, in the same transaction, calls within()
   * with them; then applies them to the fast copy. Returns what was recorded (empty when
   * everything had been revoked already). Entries revoked before are applied again: the
   * earlier call may have lost its answer after its COMMIT, or died before applying. A
   * failure to apply after the commit does not fail the call: the revocation is durable,
   * the mirror is invalidated and the sweep applies it before anything depending on it is
   * answered again.
   */
  revoke(
    entries: Revocation[],
    within?: (tx: Queryable, recorded: RecordedRevocation[]) => Promise<void>,
  ): Promise<RecordedRevocation[]>;
  /**
   * Records the entries inside the caller's own transaction (it audits them there); once
   * that committed, the caller calls apply() (which never throws: what it could not
   * apply, the sweep does).
   */
  recordIn(
    tx: Queryable,
    entries: Revocation[],
  ): Promise<{ recorded: RecordedRevocation[]; apply: () => Promise<void> }>;
  /** The durable record of this revocation, if there is one (PostgreSQL away: a 503). */
  recorded(kind: RevocationKind, subject: string): Promise<RecordedRevocation | null>;
}

export function createRevocations(deps: {
  db: Database;
  log: RevocationLog;
  mirror: RevocationMirror;
  onError?: (error: unknown, what: string) => void;
}): Revocations {
  /**
   * After the commit: the fast copy gets them. A failure there does not fail the caller
   * (the revocation is durable): the mirror is invalidated and the sweep applies them.
   */
  const applyCommitted = async (recorded: () => Promise<RecordedRevocation[]>) => {
    try {
      const toApply = await recorded();
      if (toApply.length) await deps.mirror.apply(toApply);
    } catch (error) {
      deps.mirror.invalidate();
      deps.onError?.(error, 'revocation recorded but not yet applied; the sweep will');
    }
  };

  return {
    async revoke(entries, within) {
      if (!entries.length) return [];
      const recorded = await deps.db.transaction(async (tx) => {
        const fresh = await deps.log.record(tx, entries);
        if (fresh.length && within) await within(tx, fresh);
        return fresh;
      });
      await applyCommitted(async () => {
        const fresh = new Set(recorded.map((r) => `${r.kind} ${r.subject}`));
        const earlier = entries.filter((e) => !fresh.has(`${e.kind} ${e.subject}`));
        return earlier.length ? [...recorded, ...(await deps.log.find(earlier))] : recorded;
      });
      return recorded;
    },

    async recordIn(tx, entries) {
      const recorded = await deps.log.record(tx, entries);
      return { recorded, apply: () => applyCommitted(() => Promise.resolve(recorded)) };
    },

    async recorded(kind, subject) {
      const [found] = await deps.log.find([{ kind, subject }]);
      return found ?? null;
    },
  };
}
