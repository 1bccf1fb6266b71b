/**
 * Adapters between domains, used only by the composition root (app.ts, composition/): the
 * OAuth provider's ports (tokens/ports.ts) implemented by the orgs and sessions services,
 * the orgs domain's session terminator implemented by the sessions service, and the
 * pages' and back-channel logout's small ports.
 */
import type { AuditIpPolicy, AuditLog, AuditPolicySource, RetentionSource } from './audit/index.js';
import type { Queryable } from './platform/db/index.js';
import type {
  ClientService,
  OrgStore,
  SessionTerminator,
  UserService,
  UserSessionLister,
} from './orgs/index.js';
import {
  clientRegistration,
  orgStore,
  type ClientCutoffs,
  type ProfileChanges,
} from './orgs/index.js';
import type { Clock } from './platform/clock.js';
import { sha256Hex } from './platform/crypto/index.js';
import { guardedFetch, type OutboundPolicy } from './platform/net/index.js';
import { createTtlCache } from './platform/ttl-cache.js';
import type { Doors, OrgLimits } from './platform/rate-limit/index.js';
import {
  orgOfSessionId,
  presentSession,
  type SessionService,
  type StoredSession,
} from './sessions/index.js';
import type {
  ClientRegistry,
  OAuthClient,
  SessionGateway,
  SessionView,
  TokenAudit,
  TokenRevocations,
  UserDirectory,
} from './tokens/index.js';
import {
  cutoffSubject,
  type RevocationMirror,
  type Revocations,
  type StreamAuditEvent,
} from './signals/index.js';

type ClientLike = NonNullable<Awaited<ReturnType<ClientService['getClient']>>>;

const toOAuthClient = (client: ClientLike): OAuthClient => ({
  id: client.id,
  name: client.name,
  type: client.type,
  active: client.status === 'active',
  ...clientRegistration(client),
});

/**
 * How long a process trusts what it read about a client or user on the protocol hot
 * path (token, introspection, userinfo). A client disabled, a secret rotated out, or a
 * user's roles changed reach every process within this bound; ending sessions is never
 * delayed by it (sessions are checked in Redis on every request).
 */
export const DIRECTORY_CACHE_MS = 5_000;

export function clientRegistry(clients: ClientService, clock: Clock): ClientRegistry {
  const byId = createTtlCache<OAuthClient | null>({
    ttlMs: DIRECTORY_CACHE_MS,
    maxEntries: 10_000,
    clock,
  });
  const bySecret = createTtlCache<OAuthClient | null>({
    ttlMs: DIRECTORY_CACHE_MS,
    maxEntries: 10_000,
    clock,
  });
  return {
    get: (clientId) =>
      byId.get(clientId, async () => {
        const client = await clients.getClient(clientId);
        return client ? toOAuthClient(client) : null;
      }),
    // Keyed by a digest of id and secret: the secret itself is never kept.
    authenticate: (clientId, secret) =>
      bySecret.get(sha256Hex(`${clientId}\0${secret}`), async () => {
        const client = await clients.authenticateClient(clientId, secret);
        return client ? toOAuthClient(client) : null;
      }),
  };
}

export function userDirectory(
  users: UserService,
  orgs: () => OrgStore,
  clock: Clock,
  changes?: Pick<ProfileChanges, 'onChanged'>,
): UserDirectory {
  const profiles = createTtlCache<Awaited<ReturnType<UserService['getUser']>>>({
    ttlMs: DIRECTORY_CACHE_MS,
    maxEntries: 50_000,
    clock,
  });
  // A change committed in this process is seen by the next token issued here.
  changes?.onChanged((userId) => profiles.delete(userId));
  const orgStatus = createTtlCache<boolean>({
    ttlMs: DIRECTORY_CACHE_MS,
    maxEntries: 10_000,
    clock,
  });
  return {
    async get(orgId, userId) {
      const user = await profiles.get(userId, () => users.getUser(userId));
      if (!user || user.orgId !== orgId) return null;
      return {
        id: user.id,
        orgId: user.orgId,
        active: user.status === 'active',
        roles: user.roles,
        standardClaims: {
          email: user.email,
          email_verified: user.emailVerified,
          name: user.name,
        },
      };
    },
    orgActive: (orgId) =>
      orgStatus.get(orgId, async () => (await orgs().get(orgId))?.status === 'active'),
  };
}

const toView = (s: StoredSession): SessionView => ({
  id: s.id,
  orgId: s.orgId,
  userId: s.userId,
  amr: s.amr,
  acr: s.acr,
  authTime: s.authTime,
  expiresAtMs: Math.min(s.idleExpiresAtMs, s.absoluteExpiresAtMs),
});

export function sessionGateway(sessions: SessionService): SessionGateway {
  return {
    async fromToken(token) {
      const session = await sessions.validate(token);
      return session ? toView(session) : null;
    },
    async get(orgId, sessionId) {
      const session = await sessions.get(orgId, sessionId);
      return session ? toView(session) : null;
    },
    async end(orgId, sessionId, reason) {
      await sessions.end(orgId, sessionId, reason);
    },
    isRevoked: (sessionId) => sessions.isRevoked(sessionId),
    orgOf: orgOfSessionId,
  };
}

export function sessionTerminator(sessions: SessionService): SessionTerminator {
  return {
    async endAllForOrg(orgId, reason) {
      return (await sessions.endAllForOrg(orgId, reason as never)).length;
    },
    async endAllForUser(orgId, userId, reason) {
      return (await sessions.endAllForUser(orgId, userId, reason as never)).length;
    },
  };
}

/**
 * The audit log's view of org settings. The IP policy is read through the writer's own
 * transaction (an org created in it is seen) and trusted for DIRECTORY_CACHE_MS: a changed
 * policy applies to every process's events within that bound.
 */
export function auditPolicies(orgs: (q: Queryable) => OrgStore, clock: Clock): AuditPolicySource {
  const ipPolicies = createTtlCache<AuditIpPolicy>({
    ttlMs: DIRECTORY_CACHE_MS,
    maxEntries: 10_000,
    clock,
  });
  return {
    ipPolicy: (q, orgId) =>
      ipPolicies.get(orgId, async () => (await orgs(q).get(orgId))?.settings.auditIp ?? 'full'),
  };
}

export function auditRetentionSource(orgs: () => OrgStore): RetentionSource {
  return { list: () => orgs().listAuditRetention() };
}

/** The token domain's audit port: the audit log's group-commit append. */
export function tokenAudit(audit: AuditLog): TokenAudit {
  return {
    async append(event) {
      await audit.append(event);
    },
  };
}

/**
 * The token domain's revocations port: the durable revocation log (write-ahead, with the
 * token.revoked event in the same transaction) and its fast copy for lookups.
 */
export function tokenRevocations(
  revocations: Revocations,
  mirror: RevocationMirror,
  audit: AuditLog,
  clock: Clock,
): TokenRevocations {
  return {
    async revoke(list, event) {
      const now = clock.nowMs();
      const recorded = await revocations.revoke(
        list.map((revocation) => ({ ...revocation, revokedAtMs: now })),
        event ? (tx) => audit.record(tx, event).then(() => undefined) : undefined,
      );
      return recorded.some((r) => r.kind === list[0]?.kind && r.subject === list[0]?.subject);
    },
    isAccessTokenRevoked: (jti) => mirror.isRevoked('access_token', jti),
    clientCutoffMs: (clientId) => mirror.clientCutoffMs(clientId),
  };
}

/** A user's sessions for their data export, rendered as the admin sessions API does. */
export function userSessionLister(sessions: SessionService): UserSessionLister {
  return {
    async listForUser(orgId, userId) {
      const list = await sessions.listForUser(orgId, userId);
      return [...list]
        .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id))
        .map(presentSession);
    },
  };
}

/** The login page's "signed in as": the email of the user whose session this token is. */
export function signedInEmail(
  sessions: Pick<SessionService, 'validate'>,
  users: Pick<UserService, 'getUser'>,
): (sessionToken: string) => Promise<string | null> {
  return async (token) => {
    const current = await sessions.validate(token);
    if (!current) return null;
    return (await users.getUser(current.userId))?.email ?? null;
  };
}

/**
 * Back-channel logout delivery: a form POST through the SSRF-guarded fetch, so a
 * registered logout URI can never be pointed at internal addresses.
 */
export const formPoster =
  (policy: OutboundPolicy) =>
  async (url: string, form: Record<string, string>): Promise<{ status: number }> => {
    const res = await guardedFetch(url, policy, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status };
  };

/** The Shared Signals streams' audit port: the audit log's group-commit append. */
export function streamAudit(audit: AuditLog): (event: StreamAuditEvent) => Promise<void> {
  return async (event) => {
    await audit.append({
      type: event.type,
      orgId: null,
      actor: event.actor,
      target: { type: 'ssf_stream', id: event.streamId },
      data: event.data,
    });
  };
}

/**
 * The orgs domain's client cut-off port: a `client` revocation in the durable log, in
 * the caller's transaction, kept while a token issued before it could live.
 */
export function clientCutoffs(
  revocations: Revocations,
  clock: Clock,
  tombstoneTtlMs: number,
): ClientCutoffs {
  return async (tx, clientId, reason) => {
    const now = clock.nowMs();
    const { apply } = await revocations.recordIn(tx, [
      {
        kind: 'client',
        subject: cutoffSubject(clientId, now),
        orgId: null,
        userId: null,
        clientId,
        reason,
        revokedAtMs: now,
        expiresAtMs: now + tombstoneTtlMs,
      },
    ]);
    return apply;
  };
}

/**
 * The login service's admission of a sign-in about to start: the org's budgets (its own
 * settings where it set them, read through a short cache) and the email's, spent on the
 * client address the request came from.
 */
export function loginBudgets(doors: Doors, db: Queryable, clock: Clock) {
  const limitsOf = createTtlCache<OrgLimits>({
    ttlMs: DIRECTORY_CACHE_MS,
    maxEntries: 10_000,
    clock,
  });
  return async (
    connection: { orgId: string },
    loginHint: string | null,
    context: { ip: string | null },
  ): Promise<void> => {
    const org = await limitsOf.get(
      connection.orgId,
      async () =>
        (await orgStore(db).loginLimits(connection.orgId)) ?? {
          id: connection.orgId,
          loginStartsPerMinute: null,
          loginStartsPerIpPerMinute: null,
        },
    );
    await doors.loginStart(org, context.ip, loginHint || null);
  };
}
