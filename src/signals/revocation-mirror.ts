import { randomUUID } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import { UnavailableError } from '../platform/errors.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { RevocationLog } from './revocation-log.js';
import {
  clientCutoffKey,
  tombstoneKey,
  type RecordedRevocation,
  type RevocationKind,
} from './revocation.js';

/**
 * The revocation log's fast copy in the ephemeral store (Redis): a tombstone per revoked
 * session and access token, and whatever else a revocation removes there (the session
 * itself, a refresh-token family), applied by the domain that owns it.
 *
 * The durable log is the truth. Redis can lose it all (a restart without persistence, a
 * flush) or go back in time (a restart from an older snapshot), so the copy carries a
 * marker naming the store incarnation it was loaded into (the Redis run_id). When the
 * marker is missing or names another incarnation, every revocation still in force is
 * applied again before anything that depends on revocations is answered. (Validators in
 * other services never read it: they learn revocations from the log, over Shared Signals.)
 */
export const REVOCATIONS_LOADED_KEY = 'revocations:loaded';

/** Removes from the fast store what a revocation cuts off; must be idempotent. */
export type RevocationApplier = (revocation: RecordedRevocation) => Promise<void>;

export interface RevocationMirror {
  /** Applies freshly recorded revocations (tombstones, appliers) and marks them mirrored. */
  apply(revocations: RecordedRevocation[]): Promise<void>;
  /**
   * Resolves once the fast copy holds every revocation in force; costs nothing when it is
   * known to. A store or log that cannot tell is a 503 (fail closed).
   */
  ready(): Promise<void>;
  /** Whether this session or access token is revoked (after ready()). */
  isRevoked(kind: 'session' | 'access_token', subject: string): Promise<boolean>;
  /** Until when (ms) this client's tokens are cut off: issued at or before it (after ready()). */
  clientCutoffMs(clientId: string): Promise<number | null>;
  /** The store may have lost data (its connection dropped): re-check before trusting it. */
  invalidate(): void;
  /**
   * One pass: notices a lost or restarted store and reloads it, applies revocations whose
   * writer did not (it died, or lost Redis), and forgets expired ones now and then.
   */
  sweep(): Promise<void>;
}

const MARKER_TTL_MS = 365 * 86_400_000;
const RELOAD_PAGE = 1000;
/** A writer applies its own revocations at once; the sweep leaves it this long to do so. */
const WRITER_GRACE_MS = 2000;
const PURGE_EVERY_MS = 60_000;

type MirrorDeps = Parameters<typeof createRevocationMirror>[0];

/** Applies one revocation to the fast store: its tombstone, then its domain's applier. */
function tombstoneWriter(deps: MirrorDeps) {
  const { store, clock } = deps;
  return async (r: RecordedRevocation) => {
    const key = tombstoneKey(r);
    const untilMs = Math.min(r.expiresAtMs, r.revokedAtMs + deps.tombstoneTtlMs);
    const ttlMs = untilMs - clock.nowMs();
    if (key && ttlMs > 0) {
      if (r.kind !== 'client') await store.put(key, r.reason, ttlMs);
      else {
        // A client's cut-off: the latest one covers every earlier one.
        const current = Number((await store.get(key)) ?? 0);
        if (r.revokedAtMs > current) await store.put(key, String(r.revokedAtMs), ttlMs);
      }
    }
    await deps.appliers[r.kind]?.(r);
  };
}

export function createRevocationMirror(deps: {
  log: RevocationLog;
  store: EphemeralStore;
  clock: Clock;
  /** How long a tombstone is kept: the longest access-token lifetime and some tolerance. */
  tombstoneTtlMs: number;
  appliers: Partial<Record<RevocationKind, RevocationApplier>>;
  onError?: (error: unknown, what: string) => void;
}): RevocationMirror {
  const { log, store, clock } = deps;
  let verified = false;
  // Bumped by invalidate(): a check that began before it proves nothing after it.
  let epoch = 0;
  const inFlight: { ready: Promise<void> | null; sweep: Promise<void> | null } = {
    ready: null,
    sweep: null,
  };
  let lastPurgeMs = 0;

  const applyOne = tombstoneWriter(deps);

  const applyAll = async (revocations: RecordedRevocation[]) => {
    await Promise.all(revocations.map(applyOne));
    await log
      .markMirrored(revocations.map((r) => r.position))
      .catch((error: unknown) => deps.onError?.(error, 'revocations not marked mirrored'));
  };

  const reload = async () => {
    let after = 0;
    for (;;) {
      const page = await log.inForce(clock.nowMs(), after, RELOAD_PAGE);
      await Promise.all(page.filter((r) => r.kind !== 'client').map(applyOne));
      // Cut-offs in order, so the latest of a client's stays.
      for (const r of page) if (r.kind === 'client') await applyOne(r);
      if (page.length < RELOAD_PAGE) return;
      after = page[page.length - 1]!.position;
    }
  };

  /** The marker check, a reload if needed, then what writers left unapplied. */
  const ensureCurrent = async (unmirroredBeforeMs: number) => {
    const startedAt = epoch;
    const [incarnation, marker] = await Promise.all([
      store.incarnation(),
      store.get(REVOCATIONS_LOADED_KEY),
    ]);
    if (marker === null || (incarnation !== null && marker !== incarnation)) {
      verified = false;
      await reload();
      await store.put(
        REVOCATIONS_LOADED_KEY,
        incarnation ?? `loaded:${randomUUID()}`,
        MARKER_TTL_MS,
      );
    }
    for (;;) {
      const left = await log.unmirrored(unmirroredBeforeMs, RELOAD_PAGE);
      if (left.length) await applyAll(left);
      if (left.length < RELOAD_PAGE) break;
    }
    if (epoch === startedAt) verified = true;
  };

  /** One check of each kind at a time: ready() applies everything, the sweep the older. */
  const check = (kind: 'ready' | 'sweep', unmirroredBeforeMs: number) =>
    (inFlight[kind] ??= ensureCurrent(unmirroredBeforeMs).finally(() => {
      inFlight[kind] = null;
    }));

  const mirror: RevocationMirror = {
    apply: applyAll,

    async ready() {
      if (verified) return;
      try {
        await check('ready', clock.nowMs());
      } catch (error) {
        throw new UnavailableError('revocation list', error);
      }
    },

    async isRevoked(kind, subject) {
      await mirror.ready();
      const key = tombstoneKey({ kind, subject })!;
      try {
        return (await store.get(key)) !== null;
      } catch (error) {
        throw new UnavailableError('revocation list', error);
      }
    },

    async clientCutoffMs(clientId) {
      await mirror.ready();
      try {
        const value = await store.get(clientCutoffKey(clientId));
        return value === null ? null : Number(value);
      } catch (error) {
        throw new UnavailableError('revocation list', error);
      }
    },

    invalidate() {
      verified = false;
      epoch += 1;
    },

    async sweep() {
      await check('sweep', clock.nowMs() - WRITER_GRACE_MS);
      const now = clock.nowMs();
      if (now - lastPurgeMs >= PURGE_EVERY_MS) {
        lastPurgeMs = now;
        await log.purgeExpired(now, 10_000);
      }
    },
  };
  return mirror;
}
