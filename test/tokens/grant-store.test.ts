import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sha256Hex } from '../../src/platform/crypto/index.js';
import {
  createRedisEphemeralStore,
  type EphemeralStore,
  type RedisClient,
} from '../../src/platform/redis/index.js';
import {
  createGrantStore,
  type GrantStore,
  type Redeemed,
  type RefreshRecord,
} from '../../src/tokens/grant-store.js';
import {
  createRefreshTokenFormat,
  deriveRefreshTokenKey,
} from '../../src/tokens/refresh-token-format.js';
import { connectedRedisClient, createTestRedis, type TestRedis } from '../support/services.js';

const GRACE_MS = 250;
const KEY = deriveRefreshTokenKey(Buffer.from('grant-store test root key, 32 b!'));

/**
 * Refresh-token reuse detection kept per token family (RFC 9700 §4.14.2), on real Redis:
 * a rotated token presented again after the grace window is reuse although no marker was
 * kept for it, a token Latchkey did not mint ends nothing, and a family that rotated any
 * number of times holds a fixed number of keys.
 */
describe('grant store: refresh-token families', () => {
  let redis: TestRedis;
  let client: RedisClient;
  let ephemeral: EphemeralStore;
  let grants: GrantStore;

  before(async () => {
    redis = await createTestRedis();
    client = await connectedRedisClient({ url: redis.url, keyPrefix: redis.keyPrefix });
    ephemeral = createRedisEphemeralStore(client);
    grants = createGrantStore(ephemeral, {
      codeTtlMs: 60_000,
      codeUsedTtlMs: 600_000,
      refreshUsedTtlMs: 3_600_000,
      refreshTokenKey: KEY,
    });
  });
  after(async () => {
    client.disconnect();
    await redis.cleanup();
  });

  const grant = (familyId = randomUUID()): RefreshRecord => ({
    clientId: 'client-1',
    orgId: 'org-1',
    userId: 'user-1',
    sessionId: `sid-${randomUUID()}`,
    scope: ['openid', 'offline_access'],
    audience: ['https://api.example'],
    authTime: 1,
    amr: ['pwd'],
    familyId,
  });
  const redeem = (token: string) => grants.redeemRefresh(token, { graceMs: GRACE_MS });
  const recordOf = (redeemed: Redeemed<RefreshRecord>) => {
    assert.notEqual(redeemed.kind, 'unknown');
    return (redeemed as { record: RefreshRecord }).record;
  };
  /** A rotation as the token endpoint does it: spend, issue the successor, keep it. */
  const rotate = async (token: string) => {
    const redeemed = await redeem(token);
    assert.equal(redeemed.kind, 'ok', `the token rotates (${redeemed.kind})`);
    const record = recordOf(redeemed);
    return grants.issueRefresh(record, 3_600_000, { rotated: { token, graceMs: GRACE_MS } });
  };
  /** Every key under the test's prefix that mentions familyId or one of the digests. */
  const keysOf = async (familyId: string, tokens: string[]) => {
    const wanted = [familyId, ...tokens.map(sha256Hex)];
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.client.scan(
        cursor,
        'MATCH',
        `${redis.keyPrefix}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      found.push(...keys.filter((key) => wanted.some((w) => key.includes(w))));
    } while (cursor !== '0');
    return found.map((key) => key.slice(`${redis.keyPrefix}eph:`.length)).sort();
  };
  const afterGrace = () => sleep(GRACE_MS + 100);

  it('when a family is rotated many times, then once the grace window passed it holds three keys and no rtu marker', async () => {
    const record = grant();
    const tokens = [await grants.issueRefresh(record, 3_600_000)];
    for (let i = 0; i < 40; i += 1) tokens.push(await rotate(tokens.at(-1)!));
    const during = await keysOf(record.familyId, tokens);
    assert.ok(
      during.some((key) => key.startsWith('rtu:')),
      'grace-window keys exist while it lasts',
    );
    await afterGrace();
    const current = sha256Hex(tokens.at(-1)!);
    assert.deepEqual(await keysOf(record.familyId, tokens), [
      `rt:{${current}}`,
      `rtf:${record.familyId}`,
      `rtfs:${record.familyId}`,
    ]);
    // And every one of the 40 rotated tokens is still recognised as reuse.
    for (const rotated of [tokens[0]!, tokens[20]!, tokens[39]!]) {
      const again = await redeem(rotated);
      assert.equal(again.kind, 'reused');
    }
  });

  it("when rotations issue access tokens, then the family's list keeps them (the newest 128, with those a record of the earlier layout carried, each once) and no token's record grows", async () => {
    const access = (n: number) => ({ jti: `jti-${n}`, expMs: 2_000_000_000_000 + n });
    const legacy = { ...grant(), accessTokens: [access(0), access(1)] };
    let token = await grants.issueRefresh(legacy, 3_600_000, {
      issued: [...legacy.accessTokens, access(2)],
    });
    for (let n = 3; n < 140; n += 1) {
      const record = recordOf(await redeem(token));
      assert.equal(record.accessTokens, undefined, 'the record carries none');
      token = await grants.issueRefresh(record, 3_600_000, { issued: [access(n)] });
    }
    const listed = await grants.familyAccessTokens({ ...legacy, accessTokens: [access(1)] });
    assert.deepEqual(
      listed.map((t) => t.jti),
      ['jti-1', ...Array.from({ length: 128 }, (_, i) => `jti-${i + 12}`)],
    );
    assert.deepEqual(listed.at(-1), access(139));
  });

  it('when its session ends, then every family of the session is forgotten: no key of them is left and their tokens are unknown', async () => {
    const first = grant();
    const second = { ...grant(), sessionId: first.sessionId };
    const other = grant();
    const firstTokens = [await grants.issueRefresh(first, 3_600_000)];
    for (let i = 0; i < 3; i += 1) firstTokens.push(await rotate(firstTokens.at(-1)!));
    const secondTokens = [await grants.issueRefresh(second, 3_600_000)];
    const otherToken = await grants.issueRefresh(other, 3_600_000);
    await afterGrace();

    await grants.forgetSession(first.sessionId);

    assert.deepEqual(await keysOf(first.familyId, firstTokens), []);
    assert.deepEqual(await keysOf(second.familyId, secondTokens), []);
    assert.deepEqual(await keysOf(first.sessionId, []), [], "the session's list of families");
    for (const token of [firstTokens.at(-1)!, firstTokens[0]!, secondTokens[0]!])
      assert.equal((await redeem(token)).kind, 'unknown');
    // Another session's family is untouched.
    assert.equal((await redeem(otherToken)).kind, 'ok');
  });

  it('when a rotated token is presented after the grace window, then it is reused, with its family and generation, and no rtu key is present', async () => {
    const record = grant();
    const first = await grants.issueRefresh(record, 3_600_000);
    const second = await rotate(first);
    await afterGrace();
    assert.equal(await redis.client.exists(`${redis.keyPrefix}eph:rtu:{${sha256Hex(first)}}`), 0);
    const again = await redeem(first);
    assert.equal(again.kind, 'reused');
    const reused = recordOf(again);
    assert.equal(reused.sessionId, record.sessionId);
    assert.equal(reused.clientId, record.clientId);
    assert.equal(reused.familyId, record.familyId);
    assert.equal(reused.generation, 0);
    // The successor is untouched by the detection itself (the caller ends the family).
    assert.equal((await redeem(second)).kind, 'ok');
  });

  it('when the current token was spent and its rotation never issued a successor, then presenting it after the window is reuse', async () => {
    const record = grant();
    const token = await grants.issueRefresh(record, 3_600_000);
    assert.equal((await redeem(token)).kind, 'ok');
    await afterGrace();
    assert.equal((await redeem(token)).kind, 'reused');
  });

  it('when a token has a real family id and generation but a MAC Latchkey did not make, then it is unknown', async () => {
    const record = grant();
    const first = await grants.issueRefresh(record, 3_600_000);
    await rotate(await rotate(first));
    await afterGrace();
    const forged = createRefreshTokenFormat(randomBytes(32)).mint(record.familyId, 0);
    assert.equal((await redeem(forged)).kind, 'unknown');
    // The real token's body with a tampered MAC (also a non-canonical spelling of it).
    const body = first.slice(0, first.lastIndexOf('.') + 1);
    const mac = first.slice(body.length);
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    assert.equal((await redeem(body + flipped)).kind, 'unknown');
    assert.equal((await redeem(first)).kind, 'reused', 'the genuine token is still reuse');
  });

  it("when a token's family id is swapped for another family's, then it is unknown and that family's tokens go on working", async () => {
    const a = grant();
    const b = grant();
    const aFirst = await grants.issueRefresh(a, 3_600_000);
    await rotate(aFirst);
    const bFirst = await grants.issueRefresh(b, 3_600_000);
    const bSecond = await rotate(bFirst);
    await afterGrace();
    const spliced = aFirst.replace(a.familyId, b.familyId);
    assert.notEqual(spliced, aFirst);
    assert.equal((await redeem(spliced)).kind, 'unknown');
    // Family A's rotated token is reuse in A only: B's current token still rotates.
    const reused = await redeem(aFirst);
    assert.equal(reused.kind, 'reused');
    assert.equal(recordOf(reused).sessionId, a.sessionId);
    assert.equal((await redeem(bSecond)).kind, 'ok');
  });

  it('when a family was revoked, then its current token is unknown and its rotated tokens are still reuse', async () => {
    const record = grant();
    const first = await grants.issueRefresh(record, 3_600_000);
    const second = await rotate(first);
    await afterGrace();
    await grants.revokeFamily(record.familyId);
    assert.equal(await grants.peekRefresh(second), null);
    assert.equal((await redeem(second)).kind, 'unknown');
    assert.equal((await redeem(first)).kind, 'reused');
  });

  it('when the family is gone (expired, or lost with Redis data), then a rotated token is unknown', async () => {
    const record = grant();
    const first = await grants.issueRefresh(record, 3_600_000);
    await rotate(first);
    await afterGrace();
    await redis.client.del(`${redis.keyPrefix}eph:rtfs:${record.familyId}`);
    assert.equal((await redeem(first)).kind, 'unknown');
  });

  it('when a token of the earlier opaque format is presented, then it rotates into the same family, and its reuse is still detected by its marker', async () => {
    const record: RefreshRecord = { ...grant(), expiresAtMs: Date.now() + 3_600_000 };
    // As the earlier format issued it: `rt_` and 256 random bits, its grant and its family.
    const old = `rt_${randomBytes(32).toString('base64url')}`;
    await ephemeral.put(`rt:{${sha256Hex(old)}}`, JSON.stringify(record), 3_600_000);
    await ephemeral.put(`rtf:${record.familyId}`, sha256Hex(old), 3_600_000);

    const redeemed = await grants.redeemRefresh(old, {
      expiresAtMs: record.expiresAtMs,
      graceMs: GRACE_MS,
    });
    assert.equal(redeemed.kind, 'ok');
    const successor = await grants.issueRefresh(recordOf(redeemed), 3_600_000);
    assert.match(successor, new RegExp(`^rt2_${record.familyId}\\.0\\.`));
    await afterGrace();
    const marker = await redis.client.pttl(`${redis.keyPrefix}eph:rtu:{${sha256Hex(old)}}`);
    assert.ok(marker > 3_000_000, `the earlier format keeps its marker (${marker} ms)`);
    assert.equal((await redeem(old)).kind, 'reused');
    assert.equal((await redeem(successor)).kind, 'ok', 'its successor rotates');
  });
});

describe('refresh-token format', () => {
  const format = createRefreshTokenFormat(KEY);

  it('when a token is minted, then it parses to its family and generation and its MAC verifies', () => {
    const familyId = randomUUID();
    const token = format.mint(familyId, 7);
    const facts = format.parse(token);
    assert.equal(facts?.familyId, familyId);
    assert.equal(facts?.generation, 7);
    assert.equal(format.verify(facts), true);
    assert.notEqual(format.mint(familyId, 7), token, 'each token has random bits of its own');
  });

  it('when a token was minted under another key or altered, then its MAC fails', () => {
    const familyId = randomUUID();
    const other = createRefreshTokenFormat(randomBytes(32)).mint(familyId, 1);
    assert.equal(format.verify(format.parse(other)!), false);
    const token = format.mint(familyId, 1);
    const bumped = token.replace(`${familyId}.1.`, `${familyId}.0.`);
    assert.equal(format.verify(format.parse(bumped)!), false, 'another generation');
  });

  it('when a token is of the earlier format or malformed, then it does not parse', () => {
    assert.equal(format.parse(`rt_${randomBytes(32).toString('base64url')}`), null);
    assert.equal(format.parse('rt2_fam.1.short.mac'), null);
    assert.equal(format.parse(`${format.mint('fam', 1)}x`), null);
    assert.equal(format.parse(format.mint('fam', 1).replace('.1.', '.01.')), null);
  });
});
