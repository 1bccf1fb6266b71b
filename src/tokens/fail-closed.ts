import { AppError, UnavailableError } from '../platform/errors.js';
import type { EphemeralStore, StoreWrite } from '../platform/redis/index.js';

/**
 * Wraps a call to the ephemeral store (Redis) so an outage fails closed: a 503
 * (`temporarily_unavailable` on protocol endpoints, RFC 6749 §5.2; "fail closed" in
 * issue 4), never a bare 500 `server_error`, and never a pass. Errors we raised
 * ourselves go through untouched.
 *
 * Every Redis call of the provider (grant store, jti revocation list, the clients a
 * session signed in to) goes through it: a Redis client's error that escaped would reach
 * the one error renderer as an unknown error, which it can only answer as a 500
 * `server_error`.
 */
export const failClosed =
  <A extends unknown[], R>(dependency: string, work: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await work(...args);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new UnavailableError(dependency, error);
    }
  };

/** The grant store's ephemeral store with every data call failing closed (as above). */
export function failClosedStore(store: EphemeralStore): EphemeralStore {
  const what = 'grant store';
  return {
    put: failClosed(what, (key: string, value: string, ttlMs: number) =>
      store.put(key, value, ttlMs),
    ),
    get: failClosed(what, (key: string) => store.get(key)),
    take: failClosed(what, (key: string) => store.take(key)),
    redeem: failClosed(
      what,
      (
        key: string,
        usedKey: string,
        ttlMs: number,
        mark?: { key: string; value: string; ttlMs: number },
      ) => store.redeem(key, usedKey, ttlMs, mark),
    ),
    claim: failClosed(what, (key: string, ttlMs: number) => store.claim(key, ttlMs)),
    addToSet: failClosed(what, (key: string, member: string, ttlMs: number) =>
      store.addToSet(key, member, ttlMs),
    ),
    setMembers: failClosed(what, (key: string) => store.setMembers(key)),
    putAll: failClosed(what, (writes: StoreWrite[]) => store.putAll(writes)),
    putAllIsAtomic: store.putAllIsAtomic,
    listMembers: failClosed(what, (key: string) => store.listMembers(key)),
    delete: failClosed(what, (key: string) => store.delete(key)),
    ping: () => store.ping(),
    incarnation: () => store.incarnation(),
    close: () => store.close(),
  };
}
