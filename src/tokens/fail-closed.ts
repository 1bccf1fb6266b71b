import { AppError, UnavailableError } from '../platform/errors.js';

/**
 * Wraps a call to the ephemeral store (Redis) so an outage fails closed: a 503
 * (`temporarily_unavailable` on protocol endpoints, RFC 6749 §5.2; "fail closed" in
 * issue 4), never a bare 500 `server_error`, and never a pass. Errors we raised
 * ourselves go through untouched.
 *
 * Fix: the provider's Redis calls (grant store, jti revocation list, the clients a
 * session signed in to) used to let the Redis client's error escape, which the one
 * error renderer can only answer as a 500 `server_error`.
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
