// What every org-owned admin resource (webhooks, connections) does alike: the calls of its
// service, reading one under tenant isolation, listing a page, and the refusals of a
// versioned write.
import type { Database, Queryable } from '../db/index.js';
import { toPage, type Page, type PageRequest } from '../pagination.js';
import type { RequestContext } from '../request-context.js';
import { assertOrgVisible } from './org-visibility.js';
import { actorOf, assertOrgAccess, notFound, type AdminPrincipal } from './principal.js';

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

/**
 * The audit event of what an admin API call did: the calling API key is the actor, the
 * call's request context the context; the caller gives the rest (type, org, target,
 * data). Every admin resource records its actions through this one.
 */
export const adminEvent = <E extends { type: string }>(
  principal: AdminPrincipal,
  context: RequestContext,
  event: E,
) => ({ ...event, actor: actorOf(principal), context });

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
