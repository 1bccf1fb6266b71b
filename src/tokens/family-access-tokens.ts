import type { EphemeralStore, StoreWrite } from '../platform/redis/index.js';

/**
 * rtfa:<family>: the access tokens a refresh-token family's grant issued that may still be
 * alive, as a list in the ephemeral store, newest last: revoking the family revokes them
 * too (RFC 7009 §2.1). A rotation appends its one access token, rather than copying the
 * family's whole list into every refresh token's record, so what a rotation writes and
 * reads stays the same size however fast the family rotates.
 */
export interface IssuedAccessToken {
  jti: string;
  expMs: number;
}

/** A family remembers at most this many access tokens (a refresh every ~30 s for an hour). */
export const MAX_FAMILY_ACCESS_TOKENS = 128;

export const familyAccessKey = (familyId: string) => `rtfa:${familyId}`;

const member = (t: IssuedAccessToken) => `${t.jti} ${t.expMs}`;
const ofMember = (listed: string): IssuedAccessToken => {
  const [jti = '', expMs] = listed.split(' ');
  return { jti, expMs: Number(expMs) };
};

/** Adds access tokens to the family's list, which lives as long as its newest refresh token. */
export const familyAccessWrite = (
  familyId: string,
  issued: IssuedAccessToken[],
  ttlMs: number,
): StoreWrite => ({
  key: familyAccessKey(familyId),
  append: issued.map(member),
  maxLength: MAX_FAMILY_ACCESS_TOKENS,
  ttlMs,
});

/**
 * The family's access tokens: those a record of the earlier layout carries (it kept them
 * in each refresh token's record), then the family's list, each once.
 */
export async function readFamilyAccessTokens(
  store: EphemeralStore,
  familyId: string,
  carried: IssuedAccessToken[] = [],
): Promise<IssuedAccessToken[]> {
  const listed = await store.listMembers(familyAccessKey(familyId));
  const all = [...carried, ...listed.map(ofMember)];
  return all.filter((t, i) => all.findIndex((u) => u.jti === t.jti) === i);
}
