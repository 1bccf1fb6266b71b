// One admin API exchange, read and answered the same way by every resource: who is
// calling, which version an If-Match names, and the four answers (a page, one versioned
// resource, 201 Created, 204 No Content). Written against the few members of Express's
// request and response it uses, so platform/ stays free of express (rule 3).
import type { Page } from '../pagination.js';
import { contextOf, type HttpRequestLike, type RequestContext } from '../request-context.js';
import type { AdminPrincipal } from './principal.js';
import { principalOf } from './request.js';
import { etagOf, expectedVersion } from './versioning.js';

/** Where the admin routers are mounted: the prefix of every Location. */
const API_PREFIX = '/api/v1';

/** The Location of a resource at `path` under the admin API, e.g. '/clients/{id}'. */
export const apiLocation = (path: string): string => `${API_PREFIX}${path}`;

/** The path parameters of an admin request, unchecked. */
export type AdminParams = Record<string, unknown>;

/** What an admin handler reads from an Express request. */
export interface AdminRequest extends HttpRequestLike {
  params: AdminParams;
  query: Record<string, unknown>;
  body: unknown;
}

/** What an admin handler does with an Express response. */
export interface AdminResponse {
  locals: Record<string, unknown>;
  status(code: number): AdminResponse;
  location(url: string): AdminResponse;
  set(field: string, value: string): AdminResponse;
  json(body: unknown): unknown;
  end(): unknown;
}

export type AdminHandler = (req: AdminRequest, res: AdminResponse) => Promise<void>;

/** Who is calling and from where: the two arguments every admin service write takes last. */
export const callerOf = (
  req: AdminRequest,
  res: AdminResponse,
): readonly [AdminPrincipal, RequestContext] => [
  principalOf(res.locals),
  contextOf(req, res.locals),
];

/** The version the request's If-Match names (null: none or `*`); 412 when malformed. */
export const ifMatchOf = (req: AdminRequest): number | null => expectedVersion(req.get('if-match'));

/** A cursor page: its items as the admin API shows them and the cursor to the next page. */
export function sendPage<T>(
  res: AdminResponse,
  page: Page<T>,
  present: (item: T) => unknown = (item) => item,
): void {
  res.json({ items: page.items.map((item) => present(item)), next_cursor: page.nextCursor });
}

/** One versioned resource, with its version as the strong ETag a later If-Match names. */
export function sendVersioned(
  res: AdminResponse,
  resource: { version: number },
  body: unknown,
): void {
  res.set('ETag', etagOf(resource.version)).json(body);
}

/** 201 Created: where the new resource lives and, for a versioned one, its ETag. */
export function sendCreated(
  res: AdminResponse,
  location: string,
  body: unknown,
  version?: number,
): void {
  const created = res.status(201).location(location);
  if (version !== undefined) created.set('ETag', etagOf(version));
  created.json(body);
}

export function sendNoContent(res: AdminResponse): void {
  res.status(204).end();
}
