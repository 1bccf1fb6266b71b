import type { StoredSession } from './session.js';

/**
 * Where sessions live, in domain words. Redis in production, memory in development;
 * both pass test/contracts/session-store.contract.ts. Every operation names the org,
 * because a session's keys are grouped by org (one Redis Cluster hash slot per org, so
 * the scripts that touch a session and its indexes stay atomic on a cluster).
 */
export interface SessionStore {
  /**
   * Stores a new session and indexes it under its user and org. If the user then has
   * more than maxPerUser live sessions, the oldest are removed in the same atomic step
   * and returned.
   */
  create(session: StoredSession, maxPerUser: number): Promise<{ evicted: StoredSession[] }>;
  get(orgId: string, sessionId: string): Promise<StoredSession | null>;
  /** Writes back sliding expiry; no effect when the session is gone. */
  touch(
    orgId: string,
    sessionId: string,
    lastSeenAtMs: number,
    idleExpiresAtMs: number,
  ): Promise<void>;
  /** Removes one session; returns it, or null when it was not there. */
  delete(orgId: string, sessionId: string): Promise<StoredSession | null>;
  listByUser(orgId: string, userId: string): Promise<StoredSession[]>;
  listByOrg(orgId: string): Promise<StoredSession[]>;
  deleteByUser(orgId: string, userId: string): Promise<StoredSession[]>;
  deleteByOrg(orgId: string): Promise<StoredSession[]>;
  /**
   * The live sessions of an org that came from one upstream connection for one upstream
   * subject (SAML NameID), for the IdP's Single Logout. Indexed by connection and a hash
   * of the subject, in the org's hash slot.
   */
  listByUpstreamSubject(
    orgId: string,
    connectionId: string,
    upstreamSubject: string,
  ): Promise<StoredSession[]>;
}
