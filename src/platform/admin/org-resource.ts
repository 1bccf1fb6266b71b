// What every org-owned admin resource (webhooks, connections) does alike: the calls of its
// service, reading one under tenant isolation, listing a page, and the refusals of a
// versioned write.
import type { Database, Queryable } from '../db/index.js';
import { toPage, type Page, type PageRequest } from '../pagination.js';
import type { RequestContext } from '../request-context.js';
import { assertOrgVisible } from './org-visibility.js';
import { actorOf, assertOrgAccess, notFound, type AdminPrincipal } from './principal.js';
import { staleWrite } from './versioning.js';

/** The admin API calls of an org-owned resource; `Created` is what create returns. */
export interface OrgResourceService<T, Created = T> {
  create(
    orgId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Created>;
  list(orgId: string, principal: AdminPrincipal, page: PageRequest): Promise<Page<T>>;
  get(orgId: string, id: string, principal: AdminPrincipal): Promise<T>;
  update(
    orgId: string,
    id: string,
    body: unknown,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<T>;
}

/** An admin's audit event about one of the org's resources (the caller adds its data). */
export const adminEvent = <T extends string>(
  type: T,
  orgId: string,
  target: { type: string; id: string },
  principal: AdminPrincipal,
  context: RequestContext,
) => ({ type, orgId, actor: actorOf(principal), target, context });

/** Refusal of a write that matched no row: stale if the row is still there, else 404. */
export const writeRefused = async (exists: () => Promise<unknown>, what: string) =>
  (await exists()) ? staleWrite() : notFound(what);

/** The error of a failed versioned update (WriteResult of platform/db orgRows). */
export const updateRefused = (reason: 'stale' | 'not_found', what: string) =>
  reason === 'stale' ? staleWrite() : notFound(what);

export function orgResourceReads<Stored, T extends { id: string }>(deps: {
  db: Database;
  /** The resource's name in 404s ("webhook"). */
  what: string;
  store: (q: Queryable) => {
    get(orgId: string, id: string): Promise<Stored | null>;
    list(orgId: string, page: PageRequest): Promise<T[]>;
  };
  /** The resource in a stored row. */
  view: (stored: Stored) => T;
}) {
  const { db, what } = deps;
  /** The org's resource, refused (404) to another org's key and when missing. */
  const load = async (orgId: string, id: string, principal: AdminPrincipal) => {
    assertOrgAccess(principal, orgId, what);
    const stored = await deps.store(db).get(orgId, id);
    if (!stored) throw notFound(what);
    return stored;
  };
  const list = async (orgId: string, principal: AdminPrincipal, page: PageRequest) => {
    await assertOrgVisible(db, principal, orgId);
    return toPage(await deps.store(db).list(orgId, page), page, (item) => item.id);
  };
  const get = async (orgId: string, id: string, principal: AdminPrincipal) =>
    deps.view(await load(orgId, id, principal));
  return { load, list, get };
}
