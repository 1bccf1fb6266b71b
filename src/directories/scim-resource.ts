// What the SCIM Users and Groups services share: the caller, the audit actor, If-Match,
// ETags, meta, and the shape of a resource service the one router serves.
import type { AuditActor, RequestContext } from '../audit/index.js';
import { isUniqueViolation } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import type { DirectoryPrincipal } from './directory-store.js';
import { scimError, type ParsedFilter, type ScimKind } from './scim/index.js';

/** Who is calling the SCIM endpoint (a verified directory token) and from where. */
export interface ScimCaller {
  directory: DirectoryPrincipal;
  context: RequestContext;
}

/** A stored SCIM resource: what ETags, meta and the list page need. */
export interface StoredResource {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** `attributes` / `excludedAttributes` of a request (RFC 7644 §3.9), as given. */
export interface ScimProjection {
  attributes?: string;
  excludedAttributes?: string;
}

/** One resource type's operations (RFC 7644 §3.3–§3.6), each scoped to the caller's directory. */
export interface ScimResourceService<R extends StoredResource> {
  create(caller: ScimCaller, body: unknown): Promise<R>;
  get(caller: ScimCaller, id: string): Promise<R>;
  /** PUT (RFC 7644 §3.5.1); `ifMatch` the request's If-Match, if any. */
  replace(caller: ScimCaller, id: string, body: unknown, ifMatch?: string): Promise<R>;
  /** PATCH (RFC 7644 §3.5.2): every operation applies, or none does (one transaction). */
  patch(caller: ScimCaller, id: string, message: unknown, ifMatch?: string): Promise<R>;
  remove(caller: ScimCaller, id: string, ifMatch?: string): Promise<void>;
  /** The directory's resources matching the filter (all of them without one), oldest first. */
  list(caller: ScimCaller, filter: ParsedFilter | null): Promise<R[]>;
  /** How many resources of the type the directory holds (what a list without narrowing reads). */
  count(caller: ScimCaller): Promise<number>;
  /**
   * The page of a list about to be shown, completed with what `list` leaves out because it
   * is not stored with the resources (a user's read-only groups): one query for the page,
   * none when the projection does not show it.
   */
  completePage?(caller: ScimCaller, page: R[], projection: ScimProjection): Promise<R[]>;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const notFound = (id: string) => scimError(404, null, `Resource ${id} not found.`);

/** Every SCIM write is audited with the directory as actor. */
export const actorOf = (caller: ScimCaller): AuditActor => ({
  type: 'scim_directory',
  id: caller.directory.directoryId,
});
export const eventData = (caller: ScimCaller, extra: Record<string, unknown> = {}) => ({
  directory_id: caller.directory.directoryId,
  token_id: caller.directory.tokenId,
  ...extra,
});

/** RFC 7644 §3.14: a weak ETag of the resource's version. */
export const etagOfVersion = (version: number) => `W/"${version}"`;

/** RFC 7644 §3.14: If-Match names the version the client holds; `*` matches any. */
export function assertIfMatch(ifMatch: string | undefined, resource: StoredResource): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const held = ifMatch.split(',').map((tag) => tag.trim());
  const current = etagOfVersion(resource.version);
  if (!held.some((tag) => tag === current || tag === current.slice(2))) {
    throw new AppError('precondition_failed', 'The resource has changed (If-Match).', {
      status: 412,
    });
  }
}

/**
 * RFC 7644 §3.14 with RFC 9110 §13.1.2: If-None-Match holds when it names the resource's
 * version (weak comparison: `W/"3"` and `"3"` alike) or is `*`; a GET then answers 304.
 */
export function ifNoneMatchHolds(ifNoneMatch: string | undefined, resource: StoredResource) {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const current = etagOfVersion(resource.version).slice(2);
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === current);
}

/**
 * A `.catch` for a write: a unique index that saw a second resource with the same unique
 * attribute (a race the checks before the write lost) is the SCIM 409 `conflict()` gives.
 */
export const rethrowUniqueAs =
  (conflict: () => Error) =>
  (error: unknown): never => {
    throw isUniqueViolation(error) ? conflict() : error;
  };

/** The resource as SCIM JSON with its id and meta (RFC 7643 §3.1), before any projection. */
export const withMeta = (
  kind: ScimKind,
  stored: StoredResource,
  resource: Record<string, unknown>,
  location: string,
): Record<string, unknown> => ({
  ...resource,
  id: stored.id,
  meta: {
    resourceType: kind,
    created: stored.createdAt.toISOString(),
    lastModified: stored.updatedAt.toISOString(),
    version: etagOfVersion(stored.version),
    location,
  },
});
