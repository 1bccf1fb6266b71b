/**
 * Adapters between domains, used only by the composition root (app.ts): the OAuth
 * provider's ports (tokens/ports.ts) implemented by the orgs and sessions services, and
 * the orgs domain's session terminator implemented by the sessions service.
 */
import type { ClientService, OrgStore, SessionTerminator, UserService } from './orgs/index.js';
import { orgOfSessionId, type SessionService, type StoredSession } from './sessions/index.js';
import type {
  ClientRegistry,
  OAuthClient,
  SessionGateway,
  SessionView,
  UserDirectory,
} from './tokens/index.js';

type ClientLike = NonNullable<Awaited<ReturnType<ClientService['getClient']>>>;

const toOAuthClient = (client: ClientLike): OAuthClient => ({
  id: client.id,
  name: client.name,
  type: client.type,
  active: client.status === 'active',
  redirectUris: client.redirectUris,
  postLogoutRedirectUris: client.postLogoutRedirectUris,
  grantTypes: client.grantTypes,
  backchannelLogoutUri: client.backchannelLogoutUri,
  allowedScopes: client.allowedScopes,
  allowedAudiences: client.allowedAudiences,
  accessTokenTtlSeconds: client.accessTokenTtlSeconds,
});

export function clientRegistry(clients: ClientService): ClientRegistry {
  return {
    async get(clientId) {
      const client = await clients.getClient(clientId);
      return client ? toOAuthClient(client) : null;
    },
    async authenticate(clientId, secret) {
      const client = await clients.authenticateClient(clientId, secret);
      return client ? toOAuthClient(client) : null;
    },
  };
}

export function userDirectory(users: UserService, orgs: () => OrgStore): UserDirectory {
  return {
    async get(orgId, userId) {
      const user = await users.getUser(userId);
      if (!user || user.orgId !== orgId) return null;
      return {
        id: user.id,
        orgId: user.orgId,
        email: user.email,
        emailVerified: user.emailVerified,
        name: user.name,
        roles: user.roles,
        active: user.status === 'active',
      };
    },
    async orgActive(orgId) {
      return (await orgs().get(orgId))?.status === 'active';
    },
  };
}

const toView = (s: StoredSession): SessionView => ({
  id: s.id,
  orgId: s.orgId,
  userId: s.userId,
  amr: s.amr,
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
