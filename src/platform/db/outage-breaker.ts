import { UnavailableError } from '../errors.js';
import { dbErrorKind } from './db-errors.js';

/**
 * A circuit breaker for one database. While it is closed every call goes through. A call
 * that finds the database away (refused, reset, no answer in time) opens it; while it is
 * open, one call at a time goes through as a probe and every other call fails at once with
 * UnavailableError('database') (no cause: nothing was sent). The first probe that succeeds
 * closes it. So an outage costs each request at most one timeout, never one per query,
 * and recovery is seen by the first request after the database is back.
 */
export interface OutageBreaker {
  /** Runs fn through the breaker; its errors go through mapError on the way out. */
  call<T>(fn: () => Promise<T>, mapError: (error: unknown) => unknown): Promise<T>;
  /** Resolves 'opened' the next time the breaker opens; cancel() stops listening. */
  whenOpened(): { promise: Promise<'opened'>; cancel(): void };
  readonly open: boolean;
  close(): void;
}

export function createOutageBreaker(
  options: { onChange?: (available: boolean, error?: unknown) => void } = {},
): OutageBreaker {
  let open = false;
  let probing = false;
  const waiting = new Set<() => void>();

  const trip = (error: unknown) => {
    if (open) return;
    open = true;
    options.onChange?.(false, error);
    for (const wake of [...waiting]) wake();
  };

  return {
    get open() {
      return open;
    },

    async call(fn, mapError) {
      let probe = false;
      if (open) {
        if (probing) throw new UnavailableError('database');
        probe = probing = true;
      }
      try {
        const result = await fn();
        if (open && probe) {
          open = false;
          options.onChange?.(true);
        }
        return result;
      } catch (error) {
        // Only a lost or unreachable server opens it; a cancelled slow statement (57014)
        // is still a 503 (mapError) but says the server answers.
        if (dbErrorKind(error) === 'connection') trip(error);
        throw mapError(error);
      } finally {
        if (probe) probing = false;
      }
    },

    whenOpened() {
      let wake: () => void = () => undefined;
      const promise = new Promise<'opened'>((resolve) => {
        wake = () => resolve('opened');
        waiting.add(wake);
      });
      return { promise, cancel: () => void waiting.delete(wake) };
    },

    close() {
      waiting.clear();
    },
  };
}
