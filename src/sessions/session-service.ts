import type { AuditActor, AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import { constantTimeEqual } from '../platform/crypto/index.js';
import { UnavailableError } from '../platform/errors.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { RevocationBus } from './revocation-bus.js';
import { expiresAtMs, type StoredSession } from './session.js';
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
  end(
    orgId: string,
    sessionId: string,
    reason: SessionEndReason,
    context?: RequestContext | null,
    actor?: AuditActor,
  ): Promise<StoredSession | null>;
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

export function createSessionService(deps: {
  store: SessionStore;
  bus: RevocationBus;
  tombstones: EphemeralStore;
  audit: AuditLog;
  clock: Clock;
  /** Tombstones outlive every access token that could carry the sid. */
  tombstoneTtlSeconds: number;
  onError?: (error: unknown, what: string) => void;
}): SessionService {
  const { store, bus, tombstones, audit, clock } = deps;
  const listeners: Array<(s: StoredSession, reason: SessionEndReason) => void | Promise<void>> = [];

  /** Store calls fail closed: an unreachable Redis is a 503, never a pass. */
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw new UnavailableError('session store', error);
    }
  };

  const announce = async (
    ended: StoredSession[],
    reason: SessionEndReason,
    context: RequestContext | null,
    actor: AuditActor = { type: 'system', id: null },
  ) => {
    for (const session of ended) {
      const atMs = clock.nowMs();
      await tombstones.put(`revoked:${session.id}`, reason, deps.tombstoneTtlSeconds * 1000);
      await bus.publish({
        sid: session.id,
        orgId: session.orgId,
        userId: session.userId,
        reason,
        atMs,
      });
      await audit.append({
        type: 'session.ended',
        orgId: session.orgId,
        actor,
        target: { type: 'session', id: session.id },
        reason,
        context,
        data: { user_id: session.userId },
      });
      for (const listener of listeners) {
        try {
          await listener(session, reason);
        } catch (error) {
          deps.onError?.(error, 'session ended listener');
        }
      }
    }
    return ended;
  };

  return {
    async open(input, context) {
      const now = clock.nowMs();
      const minted = mintSessionToken(input.orgId);
      const session: StoredSession = {
        id: minted.id,
        secretHash: minted.secretHash,
        userId: input.userId,
        orgId: input.orgId,
        connectionId: input.connectionId,
        amr: input.amr,
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
      const { evicted } = await guarded(() =>
        store.create(session, input.policy.maxSessionsPerUser),
      );
      await audit.append({
        type: 'session.created',
        orgId: session.orgId,
        actor: { type: 'user', id: session.userId },
        target: { type: 'session', id: session.id },
        context,
        data: { amr: session.amr, connection_id: session.connectionId },
      });
      // The per-user limit: the oldest sessions made way, and everyone hears of it.
      await announce(evicted, 'evicted', context);
      return { token: minted.token, session };
    },

    async validate(token) {
      const parsed = parseSessionToken(token);
      if (!parsed) return null;
      const session = await guarded(() => store.get(parsed.orgId, parsed.id));
      if (!session || !constantTimeEqual(session.secretHash, parsed.secretHash)) return null;
      const now = clock.nowMs();
      if (expiresAtMs(session) <= now) return null;
      const idleTimeoutMs = session.idleExpiresAtMs - session.lastSeenAtMs;
      if (now - session.lastSeenAtMs >= touchIntervalMs(idleTimeoutMs)) {
        const idleExpiresAtMs = now + idleTimeoutMs;
        await guarded(() => store.touch(session.orgId, session.id, now, idleExpiresAtMs));
        return { ...session, lastSeenAtMs: now, idleExpiresAtMs };
      }
      return session;
    },

    get: (orgId, sessionId) => guarded(() => store.get(orgId, sessionId)),

    async isRevoked(sessionId) {
      return (await guarded(() => tombstones.get(`revoked:${sessionId}`))) !== null;
    },

    async end(orgId, sessionId, reason, context = null, actor) {
      const ended = await guarded(() => store.delete(orgId, sessionId));
      if (ended) await announce([ended], reason, context, actor);
      return ended;
    },

    async endAllForUser(orgId, userId, reason, context = null, actor) {
      return announce(
        await guarded(() => store.deleteByUser(orgId, userId)),
        reason,
        context,
        actor,
      );
    },

    async endAllForOrg(orgId, reason, context = null, actor) {
      return announce(await guarded(() => store.deleteByOrg(orgId)), reason, context, actor);
    },

    async endForUpstreamSubject(orgId, match, reason, context = null, actor) {
      const found = await guarded(() =>
        store.listByUpstreamSubject(orgId, match.connectionId, match.upstreamSubject),
      );
      const ids = match.upstreamSessionIds;
      const ended: StoredSession[] = [];
      for (const session of found) {
        if (ids && !ids.includes(session.upstreamSessionId ?? '')) continue;
        const gone = await guarded(() => store.delete(orgId, session.id));
        if (gone) ended.push(gone);
      }
      return announce(ended, reason, context, actor);
    },

    listForUser: (orgId, userId) => guarded(() => store.listByUser(orgId, userId)),
    listForOrg: (orgId) => guarded(() => store.listByOrg(orgId)),

    onEnded(listener) {
      listeners.push(listener);
    },
  };
}
