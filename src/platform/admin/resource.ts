// The one shape of an admin API resource: a collection (create, list) and its items (get,
// update, remove), each answered the same way. A resource declares its paths, how its
// path parameters are checked, its view, and which service call serves each verb; the
// routes here do the rest. Actions beyond the five (verify, rotate a secret, ...) are
// declared next to it with the same exchange helpers (./exchange.ts).
import type { Page } from '../pagination.js';
import type { RequestContext } from '../request-context.js';
import {
  apiLocation,
  callerOf,
  ifMatchOf,
  sendCreated,
  sendNoContent,
  sendPage,
  sendVersioned,
  type AdminHandler,
  type AdminParams,
  type AdminRequest,
} from './exchange.js';
import type { AdminPrincipal } from './principal.js';
import { principalOf, uuidParam } from './request.js';

/** The members of an Express router a resource registers its routes with. */
export interface AdminRouter {
  get(path: string, handler: AdminHandler): unknown;
  post(path: string, handler: AdminHandler): unknown;
  patch(path: string, handler: AdminHandler): unknown;
  delete(path: string, handler: AdminHandler): unknown;
}

/** Checked path parameters, in the order the resource's service takes them. */
type Ids = readonly unknown[];

/** What a create may answer besides the resource: fields shown this once (a new secret). */
const SHOWN_ONCE = Symbol('shownOnce');
export interface ShownOnce<R> {
  resource: R;
  [SHOWN_ONCE]: Record<string, unknown>;
}

/** A created resource whose answer also carries `fields`, after its view's own. */
export const withShownOnce = <R>(resource: R, fields: Record<string, unknown>): ShownOnce<R> => ({
  resource,
  [SHOWN_ONCE]: fields,
});

export interface AdminResource<
  P extends Ids,
  K extends Ids,
  R extends { id: string; version: number },
> {
  /** The collection's path under /api/v1, e.g. '/orgs/:orgId/connections'. */
  collection: string;
  /** The path parameter naming one item of the collection, e.g. 'connectionId'. */
  idParam: string;
  /** The collection path's parameters, checked (a malformed id is a 404), e.g. [orgId]. */
  parent: (params: AdminParams) => P;
  /** The item path's parameters, checked, e.g. [orgId, connectionId]. */
  key: (params: AdminParams) => K;
  /** The admin API's view of one resource. */
  present: (resource: R) => object;
  create?: (
    ...args: [...P, body: unknown, principal: AdminPrincipal, context: RequestContext]
  ) => Promise<R | ShownOnce<R>>;
  /** The query is the request's: the service (or this function) reads page and filters. */
  list?: (
    ...args: [...P, query: Record<string, unknown>, principal: AdminPrincipal]
  ) => Promise<Page<R>>;
  get?: (...args: [...K, principal: AdminPrincipal]) => Promise<R>;
  update?: (
    ...args: [
      ...K,
      body: unknown,
      expected: number | null,
      principal: AdminPrincipal,
      context: RequestContext,
    ]
  ) => Promise<R>;
  remove?: (
    ...args: [...K, expected: number | null, principal: AdminPrincipal, context: RequestContext]
  ) => Promise<void>;
}

/**
 * The paths of a resource that hangs off an org, /orgs/{orgId}/{name}/{id}: its parent is
 * the org, its key the org and its own id, both UUIDs. `orgWhat` names what the 404 for a
 * malformed org id in an item path says is missing.
 */
export function underOrg(name: string, idParam: string, what: string, orgWhat = 'org') {
  return {
    collection: `/orgs/:orgId/${name}`,
    idParam,
    parent: (params: AdminParams) => [uuidParam(params.orgId, 'org')] as const,
    key: (params: AdminParams) =>
      [uuidParam(params.orgId, orgWhat), uuidParam(params[idParam], what)] as const,
  };
}

/** The collection path with the request's (already checked) parameters filled in. */
const collectionOf = (template: string, req: AdminRequest) =>
  template.replace(/:(\w+)/g, (_, name: string) => String(req.params[name]));

/**
 * Registers the verbs `resource` declares, each checking its path parameters first, then
 * If-Match (update, remove), then calling the service with the caller last:
 * POST collection → 201, Location, ETag; GET collection → a page; GET item → ETag;
 * PATCH item (If-Match) → ETag; DELETE item (If-Match) → 204. Answers the router.
 */
export function adminResource<
  Rt extends AdminRouter,
  P extends Ids,
  K extends Ids,
  R extends { id: string; version: number },
>(router: Rt, resource: AdminResource<P, K, R>): Rt {
  const { collection, present, create, list, get, update, remove } = resource;
  const item = `${collection}/:${resource.idParam}`;

  if (create) {
    router.post(collection, async (req, res) => {
      const result = await create(...resource.parent(req.params), req.body, ...callerOf(req, res));
      const [created, shown] =
        SHOWN_ONCE in result ? [result.resource, result[SHOWN_ONCE]] : [result, {}];
      const location = apiLocation(`${collectionOf(collection, req)}/${created.id}`);
      const body = { ...present(created), ...shown };
      sendCreated(res, location, body, created.version);
    });
  }
  if (list) {
    router.get(collection, async (req, res) => {
      const parent = resource.parent(req.params);
      sendPage(res, await list(...parent, req.query, principalOf(res.locals)), present);
    });
  }
  if (get) {
    router.get(item, async (req, res) => {
      const found = await get(...resource.key(req.params), principalOf(res.locals));
      sendVersioned(res, found, present(found));
    });
  }
  if (update) {
    router.patch(item, async (req, res) => {
      const key = resource.key(req.params);
      const updated = await update(...key, req.body, ifMatchOf(req), ...callerOf(req, res));
      sendVersioned(res, updated, present(updated));
    });
  }
  if (remove) {
    router.delete(item, async (req, res) => {
      await remove(...resource.key(req.params), ifMatchOf(req), ...callerOf(req, res));
      sendNoContent(res);
    });
  }
  return router;
}
