import { AppError } from '../errors.js';
import { UUID_PATTERN } from '../pagination.js';
import type { RequestContext } from '../request-context.js';
import type { AdminPrincipal } from './principal.js';

/**
 * What admin routes need from a request, without importing express here: the verified
 * principal (set by the API-key authentication in front of every /api/v1 route) and the
 * audit context.
 */
export interface AdminRequestLike {
  ip?: string | undefined;
  get(name: string): string | undefined;
}

export function principalOf(locals: Record<string, unknown>): AdminPrincipal {
  const principal = locals.principal as AdminPrincipal | undefined;
  // Fail closed: a route reached without authentication is a wiring bug, never a pass.
  if (!principal) throw new AppError('unauthorized', 'An API key is required.', { status: 401 });
  return principal;
}

export function contextOf(req: AdminRequestLike, locals: Record<string, unknown>): RequestContext {
  return {
    requestId: typeof locals.requestId === 'string' ? locals.requestId : null,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent')?.slice(0, 512) ?? null,
  };
}

/** A path id that is not even well formed is as unknown as one that does not exist. */
export function uuidParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value)) {
    throw new AppError('not_found', `No such ${what}.`, { status: 404 });
  }
  return value;
}

export const rfc3339 = (date: Date | null) => (date ? date.toISOString() : null);
