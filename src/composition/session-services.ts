import type { AuditLog } from '../audit/index.js';
import {
  createMemoryActiveSessionLedger,
  createRedisActiveSessionLedger,
  tellLedgerOfOpens,
  type ActiveSessionLedger,
} from '../metrics/index.js';
import {
  createMemoryRevocationBus,
  createMemorySessionStore,
  createRedisRevocationBus,
  createRedisSessionStore,
  createSessionService,
  sessionRevocationApplier,
  type SessionService,
} from '../sessions/index.js';
import {
  createRevocationMirror,
  createRevocations,
  createSqlRevocationLog,
  type RevocationMirror,
  type Revocations,
} from '../signals/index.js';
import { createGrantStore, type GrantStore } from '../tokens/index.js';
import type { Stores } from './open-stores.js';
import type { Runtime } from './runtime.js';
import { refreshTokenKey } from './secrets.js';

/** Sessions and what ends them: the durable revocation log and its fast copy in Redis. */
export interface SessionServices {
  sessions: SessionService;
  revocations: Revocations;
  revocationMirror: RevocationMirror;
  /** Authorization codes and refresh-token families (single use, in the hot store). */
  grants: GrantStore;
  /** Sessions open across all processes, for latchkey_sessions_active. */
  activeSessions: ActiveSessionLedger;
  onLedgerError: (error: unknown) => void;
}

export function buildSessionServices(
  rt: Runtime,
  { db, redis, ephemeral }: Stores,
  audit: AuditLog,
): SessionServices {
  const { config, logger, clock, metrics } = rt;
  const activeSessions = redis
    ? createRedisActiveSessionLedger(redis)
    : createMemoryActiveSessionLedger();
  const onLedgerError = (error: unknown) =>
    logger.warn({ err: error }, 'active sessions ledger failed');
  const sessionStore = tellLedgerOfOpens(
    redis
      ? createRedisSessionStore(redis, { indexTtlMs: 90 * 86_400_000 })
      : createMemorySessionStore({ clock }),
    activeSessions,
    onLedgerError,
  );
  const revocationBus = redis
    ? createRedisRevocationBus(redis, {
        onError: (error) => {
          if (!(error instanceof SyntaxError)) metrics.countDbError('redis', 'connection');
          logger.warn({ err: error }, 'revocation channel error');
        },
      })
    : createMemoryRevocationBus();
  rt.onClose(() => revocationBus.close());
  // Propagation delay is measured where revocations arrive, in every process.
  revocationBus.subscribe((event) => metrics.observeRevocationReceived(event, clock.nowMs()));
  const grants = createGrantStore(ephemeral, {
    codeTtlMs: config.tokens.authorizationCodeTtlSeconds * 1000,
    codeUsedTtlMs: 10 * 60_000,
    refreshUsedTtlMs: config.tokens.refreshTokenTtlSeconds * 1000,
    refreshTokenKey: refreshTokenKey(config),
  });
  const tombstoneTtlSeconds = config.tokens.maxAccessTokenTtlSeconds + 60;
  const revocationLog = createSqlRevocationLog(db);
  const onRevocationError = (error: unknown, what: string) => logger.warn({ err: error }, what);
  const revocationMirror = createRevocationMirror({
    log: revocationLog,
    store: ephemeral,
    clock,
    tombstoneTtlMs: tombstoneTtlSeconds * 1000,
    appliers: {
      session: sessionRevocationApplier(sessionStore, revocationBus),
      refresh_family: (revocation) => grants.revokeFamily(revocation.subject),
    },
    onError: onRevocationError,
  });
  // A dropped Redis connection may come back to a Redis that lost its data: nothing
  // that depends on revocations is trusted again before the mirror has checked.
  redis?.on('close', () => revocationMirror.invalidate());
  const revocations = createRevocations({
    db,
    log: revocationLog,
    mirror: revocationMirror,
    onError: onRevocationError,
  });
  const sessions = createSessionService({
    store: sessionStore,
    revocations,
    mirror: revocationMirror,
    audit,
    clock,
    tombstoneTtlSeconds,
    onError: (error, what) => logger.warn({ err: error }, what),
  });
  return { sessions, revocations, revocationMirror, grants, activeSessions, onLedgerError };
}
