/**
 * A Redis adapter for node-oidc-provider, on ioredis, after the Redis adapter of its
 * documentation (example/adapters/redis.js in panva/node-oidc-provider): one key per
 * model instance, a hash for the consumable ones (codes, refresh tokens) so that consume()
 * is a single HSET, and a list per grant of its tokens' keys for revokeByGrantId().
 * Benchmark code: the peer of bench/oauth-peers.bench.ts stores its state here.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Redis } from 'ioredis';

/** Models whose instances belong to a grant (revoked with it). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/** Models that are marked consumed once used (kept as a hash: payload + consumed). */
const CONSUMABLE = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

const grantKey = (grantId: string) => `grant:${grantId}`;
const userCodeKey = (userCode: string) => `userCode:${userCode}`;
const uidKey = (uid: string) => `uid:${uid}`;

/** The adapter class node-oidc-provider's `adapter` setting wants, bound to `client`. */
export function redisAdapterFor(client: Redis): new (name: string) => Adapter {
  return class RedisAdapter implements Adapter {
    constructor(private readonly name: string) {}

    private key(id: string) {
      return `${this.name}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresInSeconds?: number) {
      const key = this.key(id);
      const multi = client.multi();
      if (CONSUMABLE.has(this.name)) multi.hset(key, { payload: JSON.stringify(payload) });
      else multi.set(key, JSON.stringify(payload));
      if (expiresInSeconds) multi.expire(key, expiresInSeconds);
      if (GRANTABLE.has(this.name) && payload.grantId) {
        const grant = grantKey(payload.grantId);
        multi.rpush(grant, key);
        // The grant's list lives as long as its longest-lived token.
        if (expiresInSeconds && expiresInSeconds > (await client.ttl(grant)))
          multi.expire(grant, expiresInSeconds);
      }
      for (const indexKey of [
        payload.userCode ? userCodeKey(payload.userCode) : null,
        payload.uid ? uidKey(payload.uid) : null,
      ]) {
        if (indexKey === null) continue;
        multi.set(indexKey, id);
        if (expiresInSeconds) multi.expire(indexKey, expiresInSeconds);
      }
      await multi.exec();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (CONSUMABLE.has(this.name)) {
        const { payload, ...rest } = await client.hgetall(this.key(id));
        if (payload === undefined) return undefined;
        return {
          ...(JSON.parse(payload) as AdapterPayload),
          ...(rest.consumed ? { consumed: Number(rest.consumed) } : {}),
        };
      }
      const stored = await client.get(this.key(id));
      return stored === null ? undefined : (JSON.parse(stored) as AdapterPayload);
    }

    async findByUid(uid: string) {
      const id = await client.get(uidKey(uid));
      return id === null ? undefined : this.find(id);
    }

    async findByUserCode(userCode: string) {
      const id = await client.get(userCodeKey(userCode));
      return id === null ? undefined : this.find(id);
    }

    async destroy(id: string) {
      await client.del(this.key(id));
    }

    async revokeByGrantId(grantId: string) {
      const keys = await client.lrange(grantKey(grantId), 0, -1);
      const multi = client.multi();
      for (const key of keys) multi.del(key);
      multi.del(grantKey(grantId));
      await multi.exec();
    }

    async consume(id: string) {
      await client.hset(this.key(id), 'consumed', Math.floor(Date.now() / 1000));
    }
  };
}
