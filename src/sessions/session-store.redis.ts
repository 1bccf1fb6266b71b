import { sha256Hex } from '../platform/crypto/index.js';
import { keyPrefixOf, redisScript, type RedisClient } from '../platform/redis/index.js';
import { decodeSession, encodeSession, expiresAtMs } from './session.js';
import type { SessionStore } from './session-store.js';

/**
 * Sessions on Redis. Keys of one org share the hash tag {<orgId>}, so each script below
 * touches a single hash slot and stays atomic on Redis Cluster too:
 *   s:{org}:<sessionId>   the session (compact JSON), expiring with it
 *   su:{org}:<userId>     ZSET of the user's session ids, scored by creation time
 *   so:{org}           SET of the org's session ids
 *   sxz:{org}:<sha256(connectionId NUL upstreamSubject)>
 *                     ZSET (scored by creation time) of the session ids of one upstream
 *                     subject (SAML NameID) at one connection, for the IdP's Single
 *                     Logout; a ZSET because a small one is stored compactly (listpack)
 *                     where a SET of strings is a hash table on Redis 7.0
 * Index entries of sessions that expired on their own are dropped lazily.
 */

// KEYS: session, user index, org index. ARGV: id, json, ttlMs, createdAtMs, maxPerUser,
// indexTtlMs, session key prefix (to reach evicted sessions in the same slot), upstream
// subject index key ('' when the session has no upstream subject).
const CREATE = redisScript(`
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
local ttl = tonumber(ARGV[6])
if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
if redis.call('PTTL', KEYS[3]) < ttl then redis.call('PEXPIRE', KEYS[3], ttl) end
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('EXISTS', ARGV[7] .. m) == 0 then
    redis.call('ZREM', KEYS[2], m)
    redis.call('SREM', KEYS[3], m)
  end
end
if ARGV[8] ~= '' then
  for _, m in ipairs(redis.call('ZRANGE', ARGV[8], 0, -1)) do
    if redis.call('EXISTS', ARGV[7] .. m) == 0 then redis.call('ZREM', ARGV[8], m) end
  end
  redis.call('ZADD', ARGV[8], ARGV[4], ARGV[1])
  if redis.call('PTTL', ARGV[8]) < ttl then redis.call('PEXPIRE', ARGV[8], ttl) end
end
local evicted = {}
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do
    local data = redis.call('GET', ARGV[7] .. m)
    redis.call('DEL', ARGV[7] .. m)
    redis.call('ZREM', KEYS[2], m)
    redis.call('SREM', KEYS[3], m)
    if data then table.insert(evicted, data) end
  end
end
return evicted
`);

// KEYS: session. ARGV: user index prefix, org index key. Returns the session or nil.
const DELETE_ONE = redisScript(`
local data = redis.call('GET', KEYS[1])
if not data then return false end
redis.call('DEL', KEYS[1])
local s = cjson.decode(data)
redis.call('ZREM', ARGV[1] .. s[4], s[2])
redis.call('SREM', ARGV[2], s[2])
return data
`);

// KEYS: user index, org index. ARGV: session key prefix.
const DELETE_USER = redisScript(`
local out = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local data = redis.call('GET', ARGV[1] .. m)
  redis.call('DEL', ARGV[1] .. m)
  redis.call('SREM', KEYS[2], m)
  if data then table.insert(out, data) end
end
redis.call('DEL', KEYS[1])
return out
`);

// KEYS: org index. ARGV: session key prefix, user index prefix.
const DELETE_ORG = redisScript(`
local out = {}
for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local data = redis.call('GET', ARGV[1] .. m)
  redis.call('DEL', ARGV[1] .. m)
  if data then
    local s = cjson.decode(data)
    redis.call('DEL', ARGV[2] .. s[4])
    table.insert(out, data)
  end
end
redis.call('DEL', KEYS[1])
return out
`);

export function createRedisSessionStore(
  redis: RedisClient,
  options: { indexTtlMs: number; namespace?: string },
): SessionStore {
  const ns = options.namespace ?? '';
  const prefix = keyPrefixOf(redis);
  const tag = (orgId: string) => `{${orgId}}`;
  const sessionKey = (orgId: string, id: string) => `${ns}s:${tag(orgId)}:${id}`;
  const sessionPrefix = (orgId: string) => `${ns}s:${tag(orgId)}:`;
  const userIndexPrefix = (orgId: string) => `${ns}su:${tag(orgId)}:`;
  const orgIndex = (orgId: string) => `${ns}so:${tag(orgId)}`;
  const upstreamIndex = (orgId: string, connectionId: string, subject: string) =>
    `${ns}sxz:${tag(orgId)}:${sha256Hex(`${connectionId}\0${subject}`)}`;
  const decodeAll = (orgId: string, values: Array<string | null>) =>
    values.filter((v): v is string => typeof v === 'string').map((v) => decodeSession(v, orgId));

  const mgetSessions = async (orgId: string, ids: string[]) =>
    ids.length ? decodeAll(orgId, await redis.mget(ids.map((id) => sessionKey(orgId, id)))) : [];

  return {
    async create(session, maxPerUser) {
      const ttlMs = Math.max(1, expiresAtMs(session) - session.createdAtMs);
      const evicted = (await CREATE(
        redis,
        [
          sessionKey(session.orgId, session.id),
          userIndexPrefix(session.orgId) + session.userId,
          orgIndex(session.orgId),
        ],
        [
          session.id,
          encodeSession(session),
          ttlMs,
          session.createdAtMs,
          maxPerUser,
          Math.max(ttlMs, options.indexTtlMs),
          prefix + sessionPrefix(session.orgId),
          session.connectionId && session.upstreamSubject
            ? prefix + upstreamIndex(session.orgId, session.connectionId, session.upstreamSubject)
            : '',
        ],
      )) as string[];
      return { evicted: decodeAll(session.orgId, evicted) };
    },
    async get(orgId, sessionId) {
      const data = await redis.get(sessionKey(orgId, sessionId));
      return data ? decodeSession(data, orgId) : null;
    },
    async touch(orgId, sessionId, lastSeenAtMs, idleExpiresAtMs) {
      const current = await this.get(orgId, sessionId);
      if (!current) return;
      const next = { ...current, lastSeenAtMs, idleExpiresAtMs };
      const ttlMs = expiresAtMs(next) - lastSeenAtMs;
      if (ttlMs <= 0) return;
      // XX: never resurrect a session deleted meanwhile.
      await redis.set(sessionKey(orgId, sessionId), encodeSession(next), 'PX', ttlMs, 'XX');
    },
    async delete(orgId, sessionId) {
      const data = (await DELETE_ONE(
        redis,
        [sessionKey(orgId, sessionId)],
        [prefix + userIndexPrefix(orgId), prefix + orgIndex(orgId)],
      )) as string | null;
      return data ? decodeSession(data, orgId) : null;
    },
    async listByUser(orgId, userId) {
      const ids = await redis.zrange(userIndexPrefix(orgId) + userId, '0', '-1');
      return mgetSessions(orgId, ids);
    },
    async listByOrg(orgId) {
      return mgetSessions(orgId, await redis.smembers(orgIndex(orgId)));
    },
    async deleteByUser(orgId, userId) {
      const out = (await DELETE_USER(
        redis,
        [userIndexPrefix(orgId) + userId, orgIndex(orgId)],
        [prefix + sessionPrefix(orgId)],
      )) as string[];
      return decodeAll(orgId, out);
    },
    async listByUpstreamSubject(orgId, connectionId, upstreamSubject) {
      const index = upstreamIndex(orgId, connectionId, upstreamSubject);
      const ids = await redis.zrange(index, '0', '-1');
      const found = await mgetSessions(orgId, ids);
      // Ended or expired sessions leave their id behind; it is dropped here (and at create).
      const live = new Set(found.map((s) => s.id));
      const stale = ids.filter((id) => !live.has(id));
      if (stale.length) await redis.zrem(index, ...stale);
      return found.filter(
        (s) => s.connectionId === connectionId && s.upstreamSubject === upstreamSubject,
      );
    },
    async deleteByOrg(orgId) {
      const out = (await DELETE_ORG(
        redis,
        [orgIndex(orgId)],
        [prefix + sessionPrefix(orgId), prefix + userIndexPrefix(orgId)],
      )) as string[];
      return decodeAll(orgId, out);
    },
  };
}
