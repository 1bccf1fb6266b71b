export type { StoredSession } from './session.js';
export type { SessionStore } from './session-store.js';
export { createRedisSessionStore } from './session-store.redis.js';
export { createMemorySessionStore } from './session-store.memory.js';
export { mintSessionToken, parseSessionToken, orgOfSessionId } from './session-token.js';
export {
  createMemoryRevocationBus,
  createRedisRevocationBus,
  type RevocationBus,
  type RevocationEvent,
} from './revocation-bus.js';
export {
  createSessionService,
  sessionRevocationApplier,
  type SessionService,
  type SessionPolicy,
  type OpenSessionInput,
  type SessionEndReason,
} from './session-service.js';
export { sessionCookie, type SessionCookie } from './session-cookie.js';
export { userSessionEvent } from './session-events.js';
export { sessionsRouter, presentSession, pageSessions, isSessionOf } from './sessions.routes.js';
