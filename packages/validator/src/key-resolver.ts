import {
  createRemoteJWKSet,
  customFetch as customFetchSymbol,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
} from 'jose';

/** How long a key the JWKS gave is used before the (cached) set is asked again. */
const KEY_CACHE_MS = 30_000;

/**
 * The key lookup jwtVerify is given, for access tokens and SETs alike: Latchkey's remote
 * JWKS, with resolved keys kept.
 */
export function createKeyResolver(options: {
  issuer: string;
  jwksUri?: string;
  fetch?: typeof globalThis.fetch;
}) {
  const customFetch = options.fetch;
  const jwks = createRemoteJWKSet(
    new URL(options.jwksUri ?? `${options.issuer}/.well-known/jwks.json`),
    {
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      ...(customFetch
        ? {
            [customFetchSymbol]: (url: string, init: Parameters<typeof fetch>[1]) =>
              customFetch(url, init),
          }
        : {}),
    },
  );
  // The keys the remote set resolved, by kid and alg, trusted for KEY_CACHE_MS before the
  // set is asked again (it caches the JWKS itself and refetches on an unknown kid): the
  // set's own lookup is a sizeable share of a first verification. jose still checks the
  // algorithm against `algorithms` before asking for a key, and the key against the alg.
  const resolvedKeys = new Map<string, { key: Awaited<ReturnType<typeof jwks>>; atMs: number }>();
  return async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const id = header.kid === undefined ? null : `${header.alg ?? ''} ${header.kid}`;
    const hit = id === null ? undefined : resolvedKeys.get(id);
    if (hit && Date.now() - hit.atMs < KEY_CACHE_MS) return hit.key;
    const key = await jwks(header, token);
    if (id !== null) {
      if (resolvedKeys.size >= 100) resolvedKeys.clear();
      resolvedKeys.set(id, { key, atMs: Date.now() });
    }
    return key;
  };
}

export type KeyResolver = ReturnType<typeof createKeyResolver>;
