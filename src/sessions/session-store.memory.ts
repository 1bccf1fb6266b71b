import { systemClock, type Clock } from '../platform/clock.js';
import { expiresAtMs, type StoredSession } from './session.js';
import type { SessionStore } from './session-store.js';

/** Sessions inside this process: development and single-process use only. */
export function createMemorySessionStore(options: { clock?: Clock } = {}): SessionStore {
  const clock = options.clock ?? systemClock;
  const sessions = new Map<string, StoredSession>();
  const key = (orgId: string, id: string) => `${orgId}/${id}`;
  const live = (s: StoredSession | undefined) =>
    s && expiresAtMs(s) > clock.nowMs() ? s : undefined;
  const all = () => {
    const out: StoredSession[] = [];
    for (const [k, s] of sessions) {
      if (live(s)) out.push(s);
      else sessions.delete(k);
    }
    return out.sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
  };
  const remove = (list: StoredSession[]) => {
    for (const s of list) sessions.delete(key(s.orgId, s.id));
    return list.map((s) => structuredClone(s));
  };

  return {
    create(session, maxPerUser) {
      sessions.set(key(session.orgId, session.id), structuredClone(session));
      const mine = all().filter((s) => s.orgId === session.orgId && s.userId === session.userId);
      const evicted = remove(mine.slice(0, Math.max(0, mine.length - maxPerUser)));
      return Promise.resolve({ evicted });
    },
    get(orgId, sessionId) {
      const s = live(sessions.get(key(orgId, sessionId)));
      return Promise.resolve(s ? structuredClone(s) : null);
    },
    touch(orgId, sessionId, lastSeenAtMs, idleExpiresAtMs) {
      const s = live(sessions.get(key(orgId, sessionId)));
      if (s) Object.assign(s, { lastSeenAtMs, idleExpiresAtMs });
      return Promise.resolve();
    },
    delete(orgId, sessionId) {
      const s = live(sessions.get(key(orgId, sessionId)));
      sessions.delete(key(orgId, sessionId));
      return Promise.resolve(s ? structuredClone(s) : null);
    },
    listByUser: (orgId, userId) =>
      Promise.resolve(
        all()
          .filter((s) => s.orgId === orgId && s.userId === userId)
          .map((s) => structuredClone(s)),
      ),
    listByOrg: (orgId) =>
      Promise.resolve(
        all()
          .filter((s) => s.orgId === orgId)
          .map((s) => structuredClone(s)),
      ),
    deleteByUser: (orgId, userId) =>
      Promise.resolve(remove(all().filter((s) => s.orgId === orgId && s.userId === userId))),
    deleteByOrg: (orgId) => Promise.resolve(remove(all().filter((s) => s.orgId === orgId))),
    listByUpstreamSubject: (orgId, connectionId, upstreamSubject) =>
      Promise.resolve(
        all()
          .filter(
            (s) =>
              s.orgId === orgId &&
              s.connectionId === connectionId &&
              s.upstreamSubject === upstreamSubject,
          )
          .map((s) => structuredClone(s)),
      ),
  };
}
