import { declareMetrics } from './declare-metrics.js';
import type { Metrics } from './registry.js';

/** Sessions are counted in buckets of their expiry hour. */
export const LEDGER_BUCKET_MS = 3_600_000;
export const ledgerBucketOf = (expiresAtMs: number) => Math.ceil(expiresAtMs / LEDGER_BUCKET_MS);

/**
 * The count behind latchkey_sessions_active, shared by every Latchkey process (Redis in
 * production, memory in development; both pass test/contracts/active-session-ledger.contract.ts).
 *
 * Why this design: a gauge kept per process from open/end events is wrong as soon as
 * there are two processes or a restart, and sessions mostly end by expiring, which raises
 * no event; scanning the session store is O(sessions). The ledger instead keeps one
 * counter per hour of absolute expiry: +1 when a session opens, −1 when it ends early,
 * and the count is the sum of the hours not yet past. That is two O(1) writes per session
 * and one read of at most (longest session lifetime / 1 h) small numbers per scrape.
 * What it counts: sessions opened and not ended whose absolute lifetime has not passed
 * (to the hour). A session that times out idle is still counted until its absolute
 * lifetime ends, so the figure is an upper bound of live sessions: read it as a trend.
 */
export interface ActiveSessionLedger {
  /** A session opened that lives at most until expiresAtMs (its absolute expiry). */
  opened(expiresAtMs: number): Promise<void>;
  /** A session with that absolute expiry ended before it. */
  ended(expiresAtMs: number): Promise<void>;
  /** Sessions opened and not ended whose expiry hour has not passed at nowMs. */
  count(nowMs: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Registers latchkey_sessions_active, read from the ledger at every scrape. When the
 * ledger cannot answer (Redis down), the gauge keeps its last value and onError is told,
 * so /metrics itself still answers.
 */
export function registerActiveSessionsGauge(
  metrics: Pick<Metrics, 'registry'>,
  ledger: ActiveSessionLedger,
  nowMs: () => number,
  onError: (error: unknown) => void,
): void {
  declareMetrics(metrics.registry).gauge(
    'latchkey_sessions_active',
    'Sessions opened and not ended whose absolute lifetime has not passed (to the hour; idle-timed-out sessions count until then: an upper bound), across all processes.',
    async function () {
      try {
        this.set(await ledger.count(nowMs()));
      } catch (error) {
        onError(error);
      }
    },
  );
}

/**
 * A session store that tells the ledger about every session it creates (after the store
 * answered; the ledger write is not awaited, so it adds nothing to a login). Typed by
 * shape, so the metrics domain needs nothing from the sessions domain.
 */
export function tellLedgerOfOpens<
  S extends {
    create(session: { absoluteExpiresAtMs: number }, ...rest: never[]): Promise<unknown>;
  },
>(store: S, ledger: ActiveSessionLedger, onError: (error: unknown) => void): S {
  const create = store.create.bind(store) as (...args: unknown[]) => Promise<unknown>;
  return {
    ...store,
    async create(...args: unknown[]) {
      const result = await create(...args);
      const session = args[0] as { absoluteExpiresAtMs: number };
      ledger.opened(session.absoluteExpiresAtMs).catch(onError);
      return result;
    },
  };
}
