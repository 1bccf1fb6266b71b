import { AppError } from '../errors.js';
import { notFound } from './principal.js';

/**
 * Optimistic concurrency for admin updates: every resource has a version, sent as a
 * strong ETag; an update with If-Match must name the current version or get 412.
 */
export const etagOf = (version: number) => `"${version}"`;

/**
 * The version an If-Match header asks for; null when absent or `*`. RFC 9110 §13.1.1:
 * If-Match uses the strong comparison, so a weak entity tag never matches (412).
 */
export function expectedVersion(ifMatch: string | undefined): number | null {
  if (ifMatch === undefined || ifMatch.trim() === '*') return null;
  if (/^\s*W\//.test(ifMatch)) throw staleWrite();
  const match = /^\s*"(\d+)"\s*$/.exec(ifMatch);
  if (!match) {
    throw new AppError(
      'precondition_failed',
      'If-Match must be an ETag from a previous response.',
      {
        status: 412,
      },
    );
  }
  return Number(match[1]);
}

export const staleWrite = () =>
  new AppError(
    'precondition_failed',
    'The resource changed since it was read (If-Match does not match its ETag); read it again.',
    { status: 412 },
  );

/** What a store answers to a versioned write: the resource as written, or why not. */
export type VersionedWrite<T> =
  { ok: true; value: T } | { ok: false; reason: 'not_found' | 'stale' };

/** The resource a versioned write wrote; else 412 if it was stale, 404 if it is gone. */
export function written<T>(result: VersionedWrite<T>, what: string): T {
  if (!result.ok) throw result.reason === 'stale' ? staleWrite() : notFound(what);
  return result.value;
}

/**
 * Why a versioned write that touched nothing was refused: 412 if the resource is still
 * there (at another version), else 404. `current` reads it again.
 */
export const refusalOf = async (what: string, current: () => Promise<unknown>) =>
  (await current()) ? staleWrite() : notFound(what);
