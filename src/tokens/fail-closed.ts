import { AppError, UnavailableError } from '../platform/errors.js';

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
