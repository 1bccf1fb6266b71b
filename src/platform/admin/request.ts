// The verified principal of an admin request (set by the API-key authentication in front
// of every /api/v1 route), and the shapes of path parameters.
import { AppError } from '../errors.js';
import { UUID_PATTERN } from '../pagination.js';
import type { AdminPrincipal } from './principal.js';

export function principalOf(locals: Record<string, unknown>): AdminPrincipal {
  const principal = locals.principal as AdminPrincipal | undefined;
  // Fail closed: a route reached without authentication is a wiring bug, never a pass.
  if (!principal) throw new AppError('unauthorized', 'An API key is required.', { status: 401 });
  return principal;
}

/** A path id that is not even well formed is as unknown as one that does not exist. */
export function uuidParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value)) {
    throw new AppError('not_found', `No such ${what}.`, { status: 404 });
  }
  return value;
}

export const rfc3339 = (date: Date | null) => (date ? date.toISOString() : null);
