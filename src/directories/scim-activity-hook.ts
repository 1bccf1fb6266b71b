// The SCIM door's two hooks into a directory's sync status: one notes what a request was
// refused with, the other records the answered request once it is sent. Written against
// the few members of Express's request and response they use (rule 3: only *.routes.ts
// and http/ import express), like platform/admin/exchange.ts.
import { isAppError } from '../platform/errors.js';
import type { DirectoryActivity } from './directory-activity.js';
import type { DirectoryPrincipal } from './directory-store.js';

interface HookRequest {
  method: string;
  route?: { path?: unknown };
}

interface HookResponse {
  statusCode: number;
  locals: Record<string, unknown>;
  once(event: 'finish', listener: () => void): unknown;
}

/** Where the refusal is kept between the router's error hook and the finish hook. */
const FAILURE = 'scimFailure';

/** `/scim/v2/:directoryId/Users/:id` → `/Users/{id}`: the route, never the ids in it. */
export const pathShapeOf = (routePath: unknown): string =>
  (typeof routePath === 'string' ? routePath : '')
    .replace(/^.*:directoryId/, '')
    .replace(/:(\w+)/g, '{$1}') || '/';

/** scimType and detail of what was thrown; nothing of anything else (it may quote the body). */
function refusalOf(error: unknown): { scimType: string | null; detail: string | null } {
  if (!isAppError(error)) return { scimType: null, detail: null };
  const scimType =
    error.code.startsWith('scim_') && error.code !== 'scim_error'
      ? error.code.slice('scim_'.length)
      : null;
  return { scimType, detail: error.message };
}

/**
 * Before the door's checks: once the answer is sent, records it for the directory the
 * token opened. A request with no verified directory (401) is not anybody's to record.
 */
export function recordScimOutcome(activity: Pick<DirectoryActivity, 'record'>) {
  return (req: HookRequest, res: HookResponse, next: () => void): void => {
    const path = pathShapeOf(req.route?.path);
    res.once('finish', () => {
      const principal = res.locals.scimDirectory as DirectoryPrincipal | undefined;
      if (!principal) return;
      const failure = res.statusCode >= 400 ? refusalOf(res.locals[FAILURE]) : {};
      activity.record({
        directoryId: principal.directoryId,
        method: req.method,
        path,
        status: res.statusCode,
        ...failure,
      });
    });
    next();
  };
}

/** An error hook of the SCIM router: keeps what was thrown for the finish hook, passes it on. */
export function noteScimFailure(
  error: unknown,
  _req: unknown,
  res: { locals: Record<string, unknown> },
  next: (error: unknown) => void,
): void {
  res.locals[FAILURE] = error;
  next(error);
}
