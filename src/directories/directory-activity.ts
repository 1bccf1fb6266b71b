import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { directorySyncStore } from './directory-sync-store.js';

/** One answered SCIM request of a verified directory, as the sync status records it. */
export interface ScimOutcome {
  directoryId: string;
  method: string;
  /** The route's shape under the directory's base, e.g. `/Users/{id}`. */
  path: string;
  status: number;
  /** For a refusal: its RFC 7644 §3.12 scimType, if it has one, and its detail. */
  scimType?: string | null;
  detail?: string | null;
}

/** How often the sync status is written: the cost an initial sync pays for it. */
export interface ActivityLimits {
  /** A directory's last-request time is written at most this often by one process. */
  writeEveryMs: number;
  /** At most this many error rows per directory per minute by one process; the rest are counted. */
  errorsPerMinute: number;
}

export const DEFAULT_ACTIVITY_LIMITS: ActivityLimits = {
  writeEveryMs: 10_000,
  errorsPerMinute: 20,
};

/** What this process has done, for tests and diagnostics. */
export interface ActivityStats {
  outcomes: number;
  activityWrites: number;
  errorWrites: number;
  errorsDropped: number;
}

export interface DirectoryActivity {
  /** Never throws and never waits: the SCIM request it describes is already answered. */
  record(outcome: ScimOutcome): void;
  /** Resolves when every write started so far has ended (tests; shutdown). */
  settled(): Promise<void>;
  stats(): ActivityStats;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MINUTE_MS = 60_000;
const DETAIL_MAX = 200;
const EMAIL = /[^\s'"@]+@[^\s'"@]+/g;
const QUOTED = /'([^']*)'|"([^"]*)"/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A quoted attribute name (`'userName'`, `'name.familyName'`) is kept; any other quote is not. */
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_.$-]{0,63}$/;

/**
 * The refusal's detail as kept: cut at its first colon (where a library's text, which may
 * quote the request back, begins: "The filter could not be parsed: …"), email addresses,
 * ids (the path shape leaves them out too) and quoted values other than attribute names
 * masked. The status is diagnostics for an admin,
 * not a copy of what the IdP sent about people.
 */
export function maskDetail(detail: string | null | undefined): string | null {
  if (!detail) return null;
  const cut = detail.split(':')[0]!;
  return cut
    .replace(EMAIL, '…')
    .replace(UUID, '{id}')
    .replace(QUOTED, (quote, single?: string, double?: string) =>
      ATTRIBUTE_NAME.test(single ?? double ?? '') ? quote : "'…'",
    )
    .slice(0, DETAIL_MAX);
}

interface Pending {
  lastRequestMs: number;
  lastWriteMs: number | null;
  errorsDropped: number;
  /** When this process last wrote the directory's activity (-Infinity: never). */
  writtenAtMs: number;
  writing: boolean;
  errorWindowStartMs: number;
  errorsInWindow: number;
}

/**
 * Records a directory's SCIM traffic for its sync status without writing PostgreSQL on
 * every request (an initial sync is thousands of them, up to 16 at once): the last-request
 * and last-write times are written when `writeEveryMs` has passed since this process last
 * wrote them, so they are exact to that much; refusals are rows, at most `errorsPerMinute`
 * per directory, the others only counted, so a client repeating a bad request cannot turn
 * into a write per request. Fail-open: a failed write is logged, never the request's error.
 */
export function createDirectoryActivity(deps: {
  db: Database;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  limits?: Partial<ActivityLimits>;
}): DirectoryActivity {
  const { db, clock, logger } = deps;
  const limits = { ...DEFAULT_ACTIVITY_LIMITS, ...deps.limits };
  const store = directorySyncStore(db);
  const pending = new Map<string, Pending>();
  const inFlight = new Set<Promise<void>>();
  const stats: ActivityStats = { outcomes: 0, activityWrites: 0, errorWrites: 0, errorsDropped: 0 };

  const track = (directoryId: string, write: () => Promise<void>, done?: () => void) => {
    const promise = write()
      .catch((error: unknown) => {
        logger.warn({ err: error, directoryId }, 'SCIM sync status not recorded');
      })
      .finally(() => {
        done?.();
        inFlight.delete(promise);
      });
    inFlight.add(promise);
  };

  const stateOf = (directoryId: string, nowMs: number): Pending => {
    let state = pending.get(directoryId);
    if (!state) {
      state = {
        lastRequestMs: nowMs,
        lastWriteMs: null,
        errorsDropped: 0,
        writtenAtMs: -Infinity,
        writing: false,
        errorWindowStartMs: nowMs,
        errorsInWindow: 0,
      };
      pending.set(directoryId, state);
    }
    return state;
  };

  const recordError = (state: Pending, outcome: ScimOutcome, nowMs: number) => {
    if (nowMs - state.errorWindowStartMs >= MINUTE_MS) {
      state.errorWindowStartMs = nowMs;
      state.errorsInWindow = 0;
    }
    if (state.errorsInWindow >= limits.errorsPerMinute) {
      state.errorsDropped += 1;
      stats.errorsDropped += 1;
      return;
    }
    state.errorsInWindow += 1;
    stats.errorWrites += 1;
    const error = {
      id: uuidv7(nowMs),
      occurredAt: new Date(nowMs),
      method: outcome.method,
      path: outcome.path,
      status: outcome.status,
      scimType: outcome.scimType ?? null,
      detail: maskDetail(outcome.detail),
    };
    track(outcome.directoryId, () => store.insertError(outcome.directoryId, error));
  };

  const flushIfDue = (directoryId: string, state: Pending, nowMs: number) => {
    if (state.writing || nowMs - state.writtenAtMs < limits.writeEveryMs) return;
    const write = {
      directoryId,
      lastRequestAt: new Date(state.lastRequestMs),
      lastWriteAt: state.lastWriteMs === null ? null : new Date(state.lastWriteMs),
      errorsDropped: state.errorsDropped,
    };
    state.writing = true;
    state.writtenAtMs = nowMs;
    state.errorsDropped = 0;
    stats.activityWrites += 1;
    track(
      directoryId,
      () => store.writeActivity(write),
      () => {
        state.writing = false;
      },
    );
  };

  return {
    record(outcome) {
      try {
        stats.outcomes += 1;
        const nowMs = clock.nowMs();
        const state = stateOf(outcome.directoryId, nowMs);
        state.lastRequestMs = Math.max(state.lastRequestMs, nowMs);
        if (outcome.status < 400 && WRITES.has(outcome.method)) state.lastWriteMs = nowMs;
        if (outcome.status >= 400) recordError(state, outcome, nowMs);
        flushIfDue(outcome.directoryId, state, nowMs);
      } catch (error) {
        logger.warn(
          { err: error, directoryId: outcome.directoryId },
          'SCIM sync status not recorded',
        );
      }
    },
    async settled() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    stats: () => ({ ...stats }),
  };
}
