import type { AccessTokenClaims, Revocation } from './validator-types.js';

/** At most this often, revocations whose tokens have all expired are forgotten. */
const PRUNE_INTERVAL_MS = 60_000;

interface Cutoff {
  /** Tokens issued at or before this NumericDate (seconds, fractional) are cut off. */
  issuedAtOrBefore: number;
  /** When (ms since epoch) every token it cuts off has expired. */
  forgetAfterMs: number;
}

/**
 * The revocations in force, in memory: every lookup on the verification path is a map
 * lookup. A revocation is kept while a token it cuts off can still be alive, that is
 * until its event timestamp plus the longest token life (and the clock tolerance).
 */
export function createRevocationView(options: {
  maxTokenLifetimeSeconds: number;
  clockToleranceSeconds: number;
}) {
  // A token cut off at T was issued by T, so lives (exp − iat, at most the longest life plus
  // the tolerance verify allows) until T + life + tolerance, and is accepted until one more
  // tolerance past exp.
  const keepMs = (options.maxTokenLifetimeSeconds + 2 * options.clockToleranceSeconds) * 1000;
  const sessions = new Map<string, Cutoff>();
  const tokens = new Map<string, Cutoff>();
  const users = new Map<string, Cutoff>();
  const orgs = new Map<string, Cutoff>();
  const clients = new Map<string, Cutoff>();
  let lastPruneMs = Date.now();

  /** A later event timestamp cuts off more: keep the latest per key. */
  function raise(map: Map<string, Cutoff>, key: string, eventTimestamp: number) {
    const seen = map.get(key);
    if (seen && seen.issuedAtOrBefore >= eventTimestamp) return;
    map.set(key, {
      issuedAtOrBefore: eventTimestamp,
      forgetAfterMs: eventTimestamp * 1000 + keepMs,
    });
  }

  const userKey = (orgId: string, sub: string) => `${orgId}\u0000${sub}`;
  const cutsOff = (cutoff: Cutoff | undefined, iat: number) =>
    cutoff !== undefined && iat <= cutoff.issuedAtOrBefore;

  function prune(nowMs: number) {
    for (const map of [sessions, tokens, users, orgs, clients])
      for (const [key, cutoff] of map) if (cutoff.forgetAfterMs < nowMs) map.delete(key);
  }

  return {
    apply(revocation: Revocation): void {
      const at = revocation.eventTimestamp;
      switch (revocation.kind) {
        case 'session':
          // The session is over: no token of it is good, whenever issued (see revokes).
          raise(sessions, revocation.sid, at);
          break;
        case 'token':
          raise(tokens, revocation.jti, at);
          break;
        case 'user':
          raise(users, userKey(revocation.orgId, revocation.sub), at);
          break;
        case 'org':
          raise(orgs, revocation.orgId, at);
          break;
        case 'client':
          raise(clients, revocation.clientId, at);
          break;
      }
    },

    /** Whether a revocation the view holds cuts this token off. Map lookups only. */
    revokes(claims: AccessTokenClaims): boolean {
      if (typeof claims.sid === 'string' && sessions.has(claims.sid)) return true;
      if (tokens.has(claims.jti)) return true;
      if (clients.size && cutsOff(clients.get(claims.client_id), claims.iat)) return true;
      if (typeof claims.org_id === 'string') {
        if (orgs.size && cutsOff(orgs.get(claims.org_id), claims.iat)) return true;
        if (users.size && cutsOff(users.get(userKey(claims.org_id, claims.sub)), claims.iat))
          return true;
      }
      return false;
    },

    /** Forgets revocations whose tokens have all expired; cheap to call often. */
    maybePrune(nowMs = Date.now()): void {
      if (nowMs - lastPruneMs < PRUNE_INTERVAL_MS) return;
      lastPruneMs = nowMs;
      prune(nowMs);
    },

    prune,

    get size(): number {
      return sessions.size + tokens.size + users.size + orgs.size + clients.size;
    },
  };
}

export type RevocationView = ReturnType<typeof createRevocationView>;
