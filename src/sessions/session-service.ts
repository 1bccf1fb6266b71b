import type { AuditActor, AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import { constantTimeEqual } from '../platform/crypto/index.js';
import { UnavailableError } from '../platform/errors.js';
import {
  cutoffSubject,
  type RecordedRevocation,
  type Revocation,
  type RevocationMirror,
  type Revocations,
} from '../signals/index.js';
import type { RevocationBus } from './revocation-bus.js';
import { expiresAtMs, type StoredSession } from './session.js';
import { userSessionEvent } from './session-events.js';
import type { SessionStore } from './session-store.js';
import { mintSessionToken, parseSessionToken } from './session-token.js';

export interface SessionPolicy {
  idleTimeoutSeconds: number;
  absoluteLifetimeSeconds: number;
  maxSessionsPerUser: number;
}

export interface OpenSessionInput {
  userId: string;
  orgId: string;
  connectionId: string | null;
  amr: string[];
  /** The level of assurance proven (urn:latchkey:loa:…), or null. */
  acr?: string | null;
  /** Seconds since the epoch the user authenticated; now when omitted. */
  authTime?: number;
  upstreamSessionId?: string | null;
  upstreamSubject?: string | null;
  policy: SessionPolicy;
}

export type SessionEndReason =
  | 'logout'
  | 'admin'
  | 'user_ended'
  | 'evicted'
  | 'user_deactivated'
  | 'user_deleted'
  | 'org_deleted'
  | 'upstream_logout'
  | 'reauthenticated'
  | 'refresh_token_reuse'
  | 'authorization_code_reuse';

export interface SessionService {
  /** Opens a session with a fresh token (never reusing one a browser presents: no fixation). */
  open(
    input: OpenSessionInput,
    context: RequestContext,
  ): Promise<{ token: string; session: StoredSession }>;
  /** The live session a token stands for, or null. A store outage throws (fail closed). */
  validate(token: string): Promise<StoredSession | null>;
  get(orgId: string, sessionId: string): Promise<StoredSession | null>;
  /** Whether a session id was ended (tombstone) within the longest access-token lifetime. */
  isRevoked(sessionId: string): Promise<boolean>;
  /**
   * Ends a session (idempotent): the session, or null when there is none. A session whose
   * end was recorded before but not yet applied is applied now and returned, unaudited.
   */
  end(
    orgId: string,
    sessionId: string,
    reason: SessionEndReason,
    context?: RequestContext | null,
    actor?: AuditActor,
  ): Promise<StoredSession | null>;
  /** Whether this session of the org was ended (its end is in the durable log). */
  wasEnded(orgId: string, sessionId: string): Promise<boolean>;
  endAllForUser(
    orgId: string,
    userId: string,
    reason: SessionEndReason,
    context?: RequestContext | null,
    actor?: AuditActor,
  ): Promise<StoredSession[]>;
  endAllForOrg(
    orgId: string,
    reason: SessionEndReason,
    context?: RequestContext | null,
    actor?: AuditActor,
  ): Promise<StoredSession[]>;
  /**
   * Ends the sessions that came from one upstream connection for one upstream subject
   * (SAML NameID), only the one with that upstream session id (SessionIndex) when given:
   * the IdP's Single Logout.
   */
  endForUpstreamSubject(
    orgId: string,
    match: { connectionId: string; upstreamSubject: string; upstreamSessionIds: string[] | null },
    reason: SessionEndReason,
    context?: RequestContext | null,
    actor?: AuditActor,
  ): Promise<StoredSession[]>;
  listForUser(orgId: string, userId: string): Promise<StoredSession[]>;
  listForOrg(orgId: string): Promise<StoredSession[]>;
  /** Called after any session ends, for any reason (back-channel logout, refresh tokens). */
  onEnded(
    listener: (session: StoredSession, reason: SessionEndReason) => void | Promise<void>,
  ): void;
}

/**
 * How often sliding idle expiry is written back (Lucia: not on every request): at most
 * once a minute, and at least every tenth of the idle timeout. A write-back lags the
 * last use by up to this much, so a longer interval than a fraction of a short idle
 * timeout (60 s is allowed) would end sessions in use.
 */
const TOUCH_INTERVAL_MS = 60_000;
const touchIntervalMs = (idleTimeoutMs: number) =>
  Math.min(TOUCH_INTERVAL_MS, Math.floor(idleTimeoutMs / 10));

export type SessionServiceDeps = {
  store: SessionStore;
  /** Durable, write-ahead revocations (signals/): every end is recorded before it applies. */
  revocations: Revocations;
  /** The revocations' fast copy: asked before a session read is trusted. */
  mirror: RevocationMirror;
  audit: AuditLog;
  clock: Clock;
  /** A session's revocation is kept at least this long: every access token it carried is dead. */
  tombstoneTtlSeconds: number;
  onError?: (error: unknown, what: string) => void;
};

type Listener = (s: StoredSession, reason: SessionEndReason) => void | Promise<void>;

/** What the service's module-level steps share: its deps and the ended-session listeners. */
interface SessionContext {
  deps: SessionServiceDeps;
  listeners: Listener[];
}

/**
 * Store calls fail closed: an unreachable Redis is a 503, never a pass; and a store that
 * lost revocations (a restart, a flush) is reloaded before anything in it is trusted.
 */
async function guarded<T>({ deps }: SessionContext, work: () => Promise<T>): Promise<T> {
  await deps.mirror.ready();
  try {
    return await work();
  } catch (error) {
    throw new UnavailableError('session store', error);
  }
}

/**
 * Ends sessions write-ahead: each one's revocation and its session.ended event are
 * committed together in PostgreSQL (a 503 there changes nothing), then the session is
 * removed from Redis and every process and validator hears of it. A session another
 * call ended first is not ended (nor audited) twice.
 */
async function endSessions(
  ctx: SessionContext,
  sessions: StoredSession[],
  reason: SessionEndReason,
  context: RequestContext | null,
  actor: AuditActor = { type: 'system', id: null },
  everyToken: { orgId: string; userId: string | null } | null = null,
): Promise<StoredSession[]> {
  const { deps, listeners } = ctx;
  const { audit, clock } = deps;
  if (!sessions.length && !everyToken) return [];
  const now = clock.nowMs();
  const tombstoneUntil = now + deps.tombstoneTtlSeconds * 1000;
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const entries: Revocation[] = sessions.map((session) => ({
    kind: 'session' as const,
    subject: session.id,
    orgId: session.orgId,
    userId: session.userId,
    clientId: null,
    reason,
    revokedAtMs: now,
    // Until the session could have lived, and every access token it carried.
    expiresAtMs: Math.max(session.absoluteExpiresAtMs, tombstoneUntil),
  }));
  // All of a user's or an org's sessions: one cut-off besides, so a validator rejects
  // every token issued until now in one event, whatever sessions it knew of.
  if (everyToken) {
    entries.push({
      kind: everyToken.userId ? 'user' : 'org',
      subject: cutoffSubject(everyToken.userId ?? everyToken.orgId, now),
      orgId: everyToken.orgId,
      userId: everyToken.userId,
      clientId: null,
      reason,
      revokedAtMs: now,
      expiresAtMs: tombstoneUntil,
    });
  }
  const recorded = await deps.revocations.revoke(entries, async (tx, fresh) => {
    await audit.recordAll(
      tx,
      fresh
        .filter((revocation) => revocation.kind === 'session')
        .map((revocation) => {
          const session = byId.get(revocation.subject)!;
          return {
            type: 'session.ended' as const,
            orgId: session.orgId,
            actor,
            target: { type: 'session', id: session.id },
            reason,
            context,
            data: { user_id: session.userId },
          };
        }),
    );
  });
  const ended = recorded.filter((r) => r.kind === 'session').map((r) => byId.get(r.subject)!);
  for (const session of ended) {
    for (const listener of listeners) {
      try {
        await listener(session, reason);
      } catch (error) {
        deps.onError?.(error, 'session ended listener');
      }
    }
  }
  return ended;
}

/** Opens a session: see SessionService.open. */
async function openSession(
  ctx: SessionContext,
  input: OpenSessionInput,
  context: RequestContext,
): Promise<{ token: string; session: StoredSession }> {
  const { store, audit, clock } = ctx.deps;
  const now = clock.nowMs();
  const minted = mintSessionToken(input.orgId);
  const session: StoredSession = {
    id: minted.id,
    secretHash: minted.secretHash,
    userId: input.userId,
    orgId: input.orgId,
    connectionId: input.connectionId,
    amr: input.amr,
    acr: input.acr ?? null,
    authTime: input.authTime ?? Math.floor(now / 1000),
    createdAtMs: now,
    lastSeenAtMs: now,
    idleExpiresAtMs: now + input.policy.idleTimeoutSeconds * 1000,
    absoluteExpiresAtMs: now + input.policy.absoluteLifetimeSeconds * 1000,
    ip: context.ip,
    userAgent: context.userAgent,
    upstreamSessionId: input.upstreamSessionId ?? null,
    upstreamSubject: input.upstreamSubject ?? null,
  };
  // The per-user limit: the oldest sessions make way, ended (durably, audited, heard
  // by everyone) before the new one exists. The store evicts in the same step as it
  // creates too, for a race with another sign-in of the same user.
  const max = input.policy.maxSessionsPerUser;
  const existing = await guarded(ctx, () => store.listByUser(session.orgId, session.userId));
  const oldest = [...existing].sort(
    (a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id),
  );
  await endSessions(ctx, oldest.slice(0, Math.max(0, oldest.length - max + 1)), 'evicted', context);
  const { evicted } = await guarded(ctx, () => store.create(session, max));
  try {
    await audit.append(
      userSessionEvent('session.created', session, context, {
        amr: session.amr,
        acr: session.acr,
        connection_id: session.connectionId,
      }),
    );
  } catch (error) {
    // Nothing is acknowledged without its event: the session nobody was given goes.
    await store.delete(session.orgId, session.id).catch(() => undefined);
    throw error;
  }
  await endSessions(ctx, evicted, 'evicted', context);
  return { token: minted.token, session };
}

export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { store, clock, mirror } = deps;
  const ctx: SessionContext = { deps, listeners: [] };

  return {
    open: (input, context) => openSession(ctx, input, context),

    async validate(token) {
      const parsed = parseSessionToken(token);
      if (!parsed) return null;
      const session = await guarded(ctx, () => store.get(parsed.orgId, parsed.id));
      if (!session || !constantTimeEqual(session.secretHash, parsed.secretHash)) return null;
      const now = clock.nowMs();
      if (expiresAtMs(session) <= now) return null;
      const idleTimeoutMs = session.idleExpiresAtMs - session.lastSeenAtMs;
      if (now - session.lastSeenAtMs >= touchIntervalMs(idleTimeoutMs)) {
        const idleExpiresAtMs = now + idleTimeoutMs;
        await guarded(ctx, () => store.touch(session.orgId, session.id, now, idleExpiresAtMs));
        return { ...session, lastSeenAtMs: now, idleExpiresAtMs };
      }
      return session;
    },

    get: (orgId, sessionId) => guarded(ctx, () => store.get(orgId, sessionId)),

    isRevoked: (sessionId) => mirror.isRevoked('session', sessionId),

    async end(orgId, sessionId, reason, context = null, actor) {
      const session = await guarded(ctx, () => store.get(orgId, sessionId));
      if (!session) return null;
      // Nothing recorded although the session is still here: it was ended before (an end
      // whose answer was lost after its COMMIT, or whose writer died before applying it);
      // that end was audited, and it has now been applied. Ending it again is no error.
      const [ended] = await endSessions(ctx, [session], reason, context, actor);
      return ended ?? session;
    },

    async wasEnded(orgId, sessionId) {
      const found = await deps.revocations.recorded('session', sessionId);
      return found?.orgId === orgId;
    },

    async endAllForUser(orgId, userId, reason, context = null, actor) {
      return endSessions(
        ctx,
        await guarded(ctx, () => store.listByUser(orgId, userId)),
        reason,
        context,
        actor,
        { orgId, userId },
      );
    },

    async endAllForOrg(orgId, reason, context = null, actor) {
      return endSessions(
        ctx,
        await guarded(ctx, () => store.listByOrg(orgId)),
        reason,
        context,
        actor,
        { orgId, userId: null },
      );
    },

    async endForUpstreamSubject(orgId, match, reason, context = null, actor) {
      const found = await guarded(ctx, () =>
        store.listByUpstreamSubject(orgId, match.connectionId, match.upstreamSubject),
      );
      const ids = match.upstreamSessionIds;
      const matching = found.filter(
        (session) => !ids || ids.includes(session.upstreamSessionId ?? ''),
      );
      return endSessions(ctx, matching, reason, context, actor);
    },

    listForUser: (orgId, userId) => guarded(ctx, () => store.listByUser(orgId, userId)),
    listForOrg: (orgId) => guarded(ctx, () => store.listByOrg(orgId)),

    onEnded(listener) {
      ctx.listeners.push(listener);
    },
  };
}

/**
 * What a session's revocation removes from the fast store: the session itself (idempotent:
 * gone already is fine), and every process and validator hears of it. The mirror calls it
 * right after the revocation commits, again when it reloads a store that lost its data,
 * and from the sweep when the writer did not get to it.
 */
export function sessionRevocationApplier(store: SessionStore, bus: RevocationBus) {
  return async (revocation: RecordedRevocation): Promise<void> => {
    if (!revocation.orgId) return;
    await store.delete(revocation.orgId, revocation.subject);
    await bus.publish({
      sid: revocation.subject,
      orgId: revocation.orgId,
      userId: revocation.userId ?? '',
      reason: revocation.reason,
      atMs: revocation.revokedAtMs,
    });
  };
}
