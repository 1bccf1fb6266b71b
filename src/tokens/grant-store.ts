import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../platform/crypto/index.js';
import type { EphemeralStore, StoreWrite } from '../platform/redis/index.js';
import { failClosedStore } from './fail-closed.js';
import { openSuccessor, successorKey, successorWrite } from './refresh-successor.js';
import {
  familyAccessWrite,
  familyAccessKey,
  readFamilyAccessTokens,
  type IssuedAccessToken,
} from './family-access-tokens.js';
import { createRefreshTokenFormat, type RefreshTokenFacts } from './refresh-token-format.js';

/**
 * Authorization codes and refresh tokens: random (256 bits), single use, stored only as
 * SHA-256 digests in the ephemeral store (Redis), so a dump grants nothing.
 *
 *   ac:{<digest>}   a code's grant, 60 s, taken exactly once
 *   acu:{<digest>}  a redeemed code: what it issued, to revoke on replay (RFC 6749 §4.1.2)
 *   rt:{<digest>}   a refresh token's grant, taken exactly once at rotation
 *   rtf:<family>    the digest of the family's current refresh token (retry window and
 *                   revocation read it; its meaning is the same in every version)
 *   rtfs:<family>   the family's state: its current token's generation, digest and grant
 *                   (client, org, user, session), whether it was revoked; as long as the
 *                   current token lives
 *   rtu:{<digest>}  a rotated refresh token's grant, for the retry grace window only
 *   rtg:{<digest>}  set at rotation for the retry grace window (RFC 9700 §4.14.2 allows
 *                   one): a retry by the same client within it is no reuse
 *   rts:{<digest>}  the successor the rotation issued, for that window, sealed with a key
 *                   derived from the rotated token itself (only its holder can open it)
 *   rtfa:<family>  the family's access tokens that may still be alive (jti and expiry,
 *                  the newest MAX_FAMILY_ACCESS_TOKENS): revoking the family revokes them
 *   session-families:<session>  the families of a session, forgotten when it ends
 *
 * So Redis holds four keys per live family, plus three per rotation for the grace
 * window, however often the family rotated. A rotation appends its access token to the
 * family's list rather than copying the list into every token's record, so what it
 * writes and reads stays the same size however fast the family rotates; its writes (the
 * successor's grant, rtf, rtfs, rtfa and the rotated token's rts) are one script on a
 * single Redis. Reuse of a rotated token (RFC 9700 §4.14.2) is read from the token and
 * its family: a refresh token names its family and generation under a MAC
 * (refresh-token-format.ts), and one whose grant is gone is a rotated one presented again
 * when its MAC holds and the family has a later generation, or has this very token as its
 * current one, spent and neither revoked nor expired. A token whose MAC fails, or whose
 * family is gone, is unknown: nothing is ended for it.
 *
 * Refresh tokens of the earlier format (`rt_`, opaque) carry neither: while they live,
 * their rotation keeps an `rtu` marker for as long as the token could have lived.
 *
 * A grant and its "used" marker share a Redis Cluster hash slot ({digest}), so taking one
 * and writing the other is one atomic script: one round trip per redemption. The
 * successor's writes touch the family's keys too, which no slot shares: on Redis Cluster
 * they are sent together but land one by one, and rts is written only after the others
 * landed (a retry is never handed a successor that was not issued).
 */
export interface GrantRecord {
  clientId: string;
  orgId: string;
  userId: string;
  sessionId: string;
  scope: string[];
  audience: string[];
  authTime: number;
  amr: string[];
}

export interface CodeRecord extends GrantRecord {
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
}

export interface RefreshRecord extends GrantRecord {
  familyId: string;
  /**
   * The token's generation in its family (absent before tokens carried it). Rotation
   * passes the rotated token's record to issueRefresh, which issues the next generation.
   */
  generation?: number;
  /** When this refresh token expires (ms); absent on records written before it was kept. */
  expiresAtMs?: number;
  /**
   * The family's access tokens, on records written before they were kept in the family's
   * own list (rtfa); read by familyAccessTokens, never written any more.
   */
  accessTokens?: IssuedAccessToken[];
}

/** rtfs:<family>: what reuse detection needs once the rotated tokens' grants are gone. */
interface FamilyState {
  digest: string;
  record: RefreshRecord & { generation: number; expiresAtMs: number };
  revoked?: boolean;
}

export type Redeemed<T> =
  { kind: 'ok'; record: T } | { kind: 'reused'; record: GrantRecord } | { kind: 'unknown' };

const opaque = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

const parse = <T>(value: string | null) => (value === null ? null : (JSON.parse(value) as T));
const codeKey = (digest: string) => `ac:{${digest}}`;
const refreshKey = (digest: string) => `rt:{${digest}}`;
const familyKey = (familyId: string) => `rtfs:${familyId}`;
const sessionFamiliesKey = (sessionId: string) => `session-families:${sessionId}`;

/** A rotated token's retry window (GrantStore.retryWindow). */
async function readRetryWindow(
  store: EphemeralStore,
  token: string,
  familyId: string,
): Promise<{ rotatedAtMs: number; successor: string | null; familyMovedOn: boolean } | null> {
  const digest = sha256Hex(token);
  const [rotatedAt, sealed, current] = await Promise.all([
    store.get(`rtg:{${digest}}`),
    store.get(successorKey(digest)),
    store.get(`rtf:${familyId}`),
  ]);
  if (rotatedAt === null) return null;
  const successor = sealed === null ? null : openSuccessor(token, sealed);
  const currentIsOurs =
    current === digest || (successor !== null && current === sha256Hex(successor));
  return { rotatedAtMs: Number(rotatedAt), successor, familyMovedOn: !currentIsOurs };
}

/** Ends a refresh-token family (GrantStore.revokeFamily). */
async function revokeFamilyIn(
  store: EphemeralStore,
  clock: { nowMs(): number },
  familyId: string,
): Promise<void> {
  const [current, state] = await Promise.all([
    store.take(`rtf:${familyId}`),
    store.get(familyKey(familyId)),
  ]);
  const family = parse<FamilyState>(state);
  const digests = new Set([current, family?.digest]);
  const done: Array<Promise<unknown>> = [];
  for (const digest of digests) if (digest) done.push(store.delete(refreshKey(digest)));
  const leftMs = family ? family.record.expiresAtMs - clock.nowMs() : 0;
  if (family && !family.revoked && leftMs > 0) {
    const revoked: FamilyState = { ...family, revoked: true };
    done.push(store.put(familyKey(familyId), JSON.stringify(revoked), leftMs));
  }
  await Promise.all(done);
}

/** Forgets an ended session's refresh-token families (GrantStore.forgetSession). */
async function forgetSessionIn(store: EphemeralStore, sessionId: string): Promise<void> {
  const families = await store.setMembers(sessionFamiliesKey(sessionId));
  await Promise.all(
    families.map(async (familyId) => {
      const [current, state] = await Promise.all([
        store.take(`rtf:${familyId}`),
        store.take(familyKey(familyId)),
      ]);
      const digests = new Set([current, parse<FamilyState>(state)?.digest]);
      await Promise.all([
        ...[...digests].flatMap((digest) => (digest ? [store.delete(refreshKey(digest))] : [])),
        store.delete(familyAccessKey(familyId)),
      ]);
    }),
  );
  await store.delete(sessionFamiliesKey(sessionId));
}

/** What the refresh-token functions below work with. */
interface RefreshDeps {
  store: EphemeralStore;
  clock: { nowMs(): number };
  refreshTokens: ReturnType<typeof createRefreshTokenFormat>;
}

/**
 * RFC 9700 §4.14.2 for a token whose grant is gone: reuse when it is ours (its MAC holds)
 * and its family either went on past its generation, or still has it as the current
 * token although its grant is gone, so it was spent (not revoked, not expired). The
 * record handed back is the family's, at the token's generation.
 */
async function reusedInFamilyOf(
  deps: RefreshDeps,
  facts: RefreshTokenFacts,
  digest: string,
): Promise<Redeemed<RefreshRecord>> {
  const { store, clock, refreshTokens } = deps;
  if (!refreshTokens.verify(facts)) return { kind: 'unknown' };
  const family = parse<FamilyState>(await store.get(familyKey(facts.familyId)));
  if (!family || family.record.familyId !== facts.familyId) return { kind: 'unknown' };
  const current = family.record.generation;
  const spentCurrent =
    facts.generation === current &&
    family.digest === digest &&
    !family.revoked &&
    clock.nowMs() < family.record.expiresAtMs;
  if (facts.generation < current || spentCurrent) {
    const record: RefreshRecord = { ...family.record, generation: facts.generation };
    return { kind: 'reused', record };
  }
  return { kind: 'unknown' };
}

/** Issues a refresh token (GrantStore.issueRefresh). */
async function issueRefreshIn(
  deps: RefreshDeps,
  { accessTokens: _carried, ...record }: RefreshRecord,
  ttlMs: number,
  options: IssueOptions,
): Promise<string> {
  const { store, clock, refreshTokens } = deps;
  const generation = record.generation === undefined ? 0 : record.generation + 1;
  const token = refreshTokens.mint(record.familyId, generation);
  const digest = sha256Hex(token);
  const stored = JSON.stringify({ ...record, generation, expiresAtMs: clock.nowMs() + ttlMs });
  // The FamilyState {digest, record} as JSON, its record serialised once (digest is hex).
  const family = `{"digest":"${digest}","record":${stored}}`;
  const writes: StoreWrite[] = [
    { key: refreshKey(digest), value: stored, ttlMs },
    { key: `rtf:${record.familyId}`, value: digest, ttlMs },
    { key: familyKey(record.familyId), value: family, ttlMs },
    familyAccessWrite(record.familyId, options.issued ?? [], ttlMs),
  ];
  const { rotated } = options;
  // The rotated token's successor is kept only with or after the token it names: a retry
  // must never be handed a successor that was not issued.
  const successor = rotated && successorWrite(rotated.token, token, rotated.graceMs);
  const together = successor && store.putAllIsAtomic;
  // All land before the token is handed out: on one Redis in one script, one round trip.
  await Promise.all([
    store.putAll(together ? [...writes, successor] : writes),
    // A new family is listed under its session, to be forgotten when the session ends.
    ...(generation === 0
      ? [store.addToSet(sessionFamiliesKey(record.sessionId), record.familyId, ttlMs)]
      : []),
  ]);
  if (successor && !together) await store.putAll([successor]);
  return token;
}

interface IssueOptions {
  /** Access tokens that join the family's (familyAccessTokens). */
  issued?: IssuedAccessToken[];
  /** The token this one succeeds: its successor is kept for its grace window (retryWindow). */
  rotated?: { token: string; graceMs: number };
}

export interface GrantStoreSettings {
  codeTtlMs: number;
  codeUsedTtlMs: number;
  /** How long a rotated token whose own expiry is unknown is remembered for reuse. */
  refreshUsedTtlMs: number;
  /** The MAC key of refresh tokens (deriveRefreshTokenKey, from a server secret). */
  refreshTokenKey: Buffer;
}

type RedeemArgs = [
  key: string,
  usedKey: string,
  usedTtlMs: number,
  mark?: { key: string; value: string; ttlMs: number },
];

/** Takes a single-use record; a second take within usedTtlMs is `reused`. */
async function redeemIn<T>(
  store: EphemeralStore,
  ...[key, usedKey, usedTtlMs, mark]: RedeemArgs
): Promise<Redeemed<T>> {
  const out = await store.redeem(key, usedKey, usedTtlMs, mark);
  if (!out) return { kind: 'unknown' };
  const record = JSON.parse(out.value) as T;
  return out.used ? { kind: 'reused', record: record as GrantRecord } : { kind: 'ok', record };
}

export function createGrantStore(
  backing: EphemeralStore,
  settings: GrantStoreSettings,
  clock: { nowMs(): number } = { nowMs: () => Date.now() },
) {
  const store = failClosedStore(backing);
  const refreshTokens = createRefreshTokenFormat(settings.refreshTokenKey);
  const redeem = <T>(...args: RedeemArgs) => redeemIn<T>(store, ...args);

  const reusedInFamily = (facts: RefreshTokenFacts, digest: string) =>
    reusedInFamilyOf({ store, clock, refreshTokens }, facts, digest);

  return {
    async issueCode(record: CodeRecord): Promise<string> {
      const code = opaque('ac_');
      await store.put(codeKey(sha256Hex(code)), JSON.stringify(record), settings.codeTtlMs);
      return code;
    },

    /** Takes a code; a second use of the same code is `reused`. */
    redeemCode(code: string): Promise<Redeemed<CodeRecord>> {
      const digest = sha256Hex(code);
      return redeem<CodeRecord>(codeKey(digest), `acu:{${digest}}`, settings.codeUsedTtlMs);
    },

    /**
     * A taken code whose redemption was refused (another client, redirect URI or PKCE
     * verifier) issued nothing: it stays spent, but presenting it again is not a replay
     * of a grant that issued tokens, so nothing is revoked for it.
     */
    async forgetRedeemedCode(code: string): Promise<void> {
      await store.delete(`acu:{${sha256Hex(code)}}`);
    },

    /** The code's grant without taking it: checks that can refuse run before it is spent. */
    async peekCode(code: string): Promise<CodeRecord | null> {
      return parse<CodeRecord>(await store.get(codeKey(sha256Hex(code))));
    },

    /**
     * Issues a refresh token of record.familyId: the family's first (generation 0) for a
     * new grant, the next generation when record is the rotated token's. `issued` joins
     * the family's access tokens (familyAccessTokens).
     */
    issueRefresh: (record: RefreshRecord, ttlMs: number, options: IssueOptions = {}) =>
      issueRefreshIn({ store, clock, refreshTokens }, record, ttlMs, options),

    /** Adds a grace-window retry's access token to its family's list (revoked with it). */
    rememberFamilyAccess: (familyId: string, access: IssuedAccessToken, ttlMs: number) =>
      store.putAll([familyAccessWrite(familyId, [access], ttlMs)]),

    /** The family's access tokens that may be alive (RFC 7009 §2.1; family-access-tokens.ts). */
    familyAccessTokens: (record: RefreshRecord) =>
      readFamilyAccessTokens(store, record.familyId, record.accessTokens),

    /**
     * Takes a refresh token for rotation; a rotated token presented again is `reused`. A
     * first use opens the retry grace window of graceMs, and keeps the token's grant for it
     * (rtu); after it, the family tells reuse (see above). A token of the earlier format
     * keeps its rtu marker as long as it could have lived (its record says until when).
     */
    async redeemRefresh(
      token: string,
      options: { expiresAtMs?: number | undefined; graceMs: number },
    ): Promise<Redeemed<RefreshRecord>> {
      const digest = sha256Hex(token);
      const facts = refreshTokens.parse(token);
      const graceMs = Math.max(options.graceMs, 1);
      let usedTtlMs = graceMs;
      if (!facts) {
        const remainingMs =
          options.expiresAtMs === undefined
            ? settings.refreshUsedTtlMs
            : options.expiresAtMs - clock.nowMs();
        usedTtlMs = Math.max(remainingMs, graceMs);
      }
      const redeemed = await redeem<RefreshRecord>(
        refreshKey(digest),
        `rtu:{${digest}}`,
        usedTtlMs,
        {
          key: `rtg:{${digest}}`,
          value: String(clock.nowMs()),
          ttlMs: graceMs,
        },
      );
      if (redeemed.kind !== 'unknown' || !facts) return redeemed;
      return reusedInFamily(facts, digest);
    },

    /**
     * A rotated token's retry window, while Redis keeps it: when it was rotated, the
     * successor the rotation kept (null if it died before keeping one), and whether the
     * family has moved on since (its current token is neither this one nor that successor:
     * the client used the successor, so a replay of this one is no retry).
     */
    retryWindow: (token: string, familyId: string) => readRetryWindow(store, token, familyId),

    /** The live refresh token's record without consuming it (introspection). */
    async peekRefresh(token: string): Promise<RefreshRecord | null> {
      return parse<RefreshRecord>(await store.get(refreshKey(sha256Hex(token))));
    },

    /**
     * Ends a refresh-token family: its current token stops working. The family's state
     * stays (marked revoked) so that its rotated tokens presented again are still reuse.
     */
    revokeFamily: (familyId: string) => revokeFamilyIn(store, clock, familyId),

    /**
     * Forgets every refresh-token family of an ended session: no token of a session that
     * ended can be used again (its grants check the session), so nothing of them needs
     * keeping, and Redis holds keys for live sessions only.
     */
    forgetSession: (sessionId: string) => forgetSessionIn(store, sessionId),
  };
}

export type { IssuedAccessToken } from './family-access-tokens.js';
export type GrantStore = ReturnType<typeof createGrantStore>;
