// A list of Users or Groups (RFC 7644 §3.4.2) and its POST form, the search (§3.4.3): one
// request shape, read from the query or from a SearchRequest body, answered by one function.
import {
  listResponse,
  parseFilter,
  parseSort,
  scimError,
  sortResources,
  type ParsedFilter,
  type ScimKind,
} from './scim/index.js';
import type {
  ScimCaller,
  ScimProjection,
  ScimResourceService,
  StoredResource,
} from './scim-resource.js';

export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** RFC 7644 §3.9: which attributes an answer carries. */
export type Projection = ScimProjection;

/** What a list asks for, wherever it came from. */
export interface ListRequest {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: number;
  count?: number;
  projection: Projection;
}

export interface ListLimits {
  /** The most resources one list answers (config scim.maxResultsPerPage). */
  maxResults: number;
  /** The most resources a filter that SQL cannot narrow may read (config scim.maxFilterScan). */
  maxFilterScan: number;
}

/** One resource type as the list needs it. */
export interface Lister<R extends StoredResource> {
  kind: ScimKind;
  service: ScimResourceService<R>;
  /** The resource as SCIM JSON with id and meta (what sortBy reads). */
  json: (resource: R) => Record<string, unknown>;
  /** The resource as the client sees it, projected. */
  present: (resource: R, projection: Projection) => Record<string, unknown>;
}

const invalidValue = (message: string) => scimError(400, 'invalidValue', message);

/** A request's query parameters, as Express parses them. */
export type Query = Record<string, unknown>;

export const queryString = (query: Query, name: string): string | undefined => {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidValue(`Give ${name} once.`);
  return value;
};

export const projectionOf = (query: Query): Projection => {
  const attributes = queryString(query, 'attributes');
  const excludedAttributes = queryString(query, 'excludedAttributes');
  return {
    ...(attributes ? { attributes } : {}),
    ...(excludedAttributes ? { excludedAttributes } : {}),
  };
};

const queryInteger = (query: Query, name: string): number | undefined => {
  const raw = queryString(query, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidValue(`${name} must be an integer.`);
  return Number(raw);
};

/** GET /Users?filter=…&sortBy=…&startIndex=…&count=…&attributes=… */
export const listRequestOfQuery = (query: Query): ListRequest => ({
  filter: queryString(query, 'filter'),
  sortBy: queryString(query, 'sortBy'),
  sortOrder: queryString(query, 'sortOrder'),
  startIndex: queryInteger(query, 'startIndex'),
  count: queryInteger(query, 'count'),
  projection: projectionOf(query),
});

const invalidSyntax = (message: string) => scimError(400, 'invalidSyntax', message);

/** RFC 7644 §3.4.3: the SearchRequest's attributes are a list of names (a string is taken too). */
function namesOf(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value || undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length ? value.join(',') : undefined;
  }
  throw invalidSyntax(`${name} must be a list of attribute names.`);
}

function optional<T>(body: Record<string, unknown>, name: string, is: (v: unknown) => v is T) {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!is(value)) throw invalidSyntax(`${name} is not of its SearchRequest type.`);
  return value;
}
const isString = (value: unknown): value is string => typeof value === 'string';
const isInteger = (value: unknown): value is number => Number.isInteger(value);

/**
 * POST /Users/.search (RFC 7644 §3.4.3): a SearchRequest message, the query parameters of a
 * list as a body. Anything else is 400 invalidSyntax.
 */
export function listRequestOfSearch(body: unknown): ListRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidSyntax('Send a SearchRequest message.');
  }
  const message = body as Record<string, unknown>;
  const schemas = message.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST)) {
    throw invalidSyntax(`A search's schemas must be ["${SEARCH_REQUEST}"].`);
  }
  const attributes = namesOf(message, 'attributes');
  const excludedAttributes = namesOf(message, 'excludedAttributes');
  return {
    filter: optional(message, 'filter', isString),
    sortBy: optional(message, 'sortBy', isString),
    sortOrder: optional(message, 'sortOrder', isString),
    startIndex: optional(message, 'startIndex', isInteger),
    count: optional(message, 'count', isInteger),
    projection: {
      ...(attributes ? { attributes } : {}),
      ...(excludedAttributes ? { excludedAttributes } : {}),
    },
  };
}

/** Whether the store narrows the filter in SQL (an equality on the name or externalId). */
const narrowed = (filter: ParsedFilter) =>
  filter.narrowing.name !== undefined || filter.narrowing.externalId !== undefined;

/**
 * The list response of a request: filtered, sorted (RFC 7644 §3.4.2.3), then paged
 * (§3.4.2.4: startIndex 1-based and at least 1, count from 0 to the maximum). A filter that
 * SQL cannot narrow is evaluated here over every resource of the directory: over
 * `maxFilterScan` of them it is 400 tooMany (§3.12) before anything is read.
 */
export async function listResources<R extends StoredResource>(
  lister: Lister<R>,
  caller: ScimCaller,
  request: ListRequest,
  limits: ListLimits,
) {
  const { kind, service } = lister;
  const filter = request.filter === undefined ? null : parseFilter(kind, request.filter);
  const sort = parseSort(kind, request.sortBy, request.sortOrder);
  const startIndex = Math.max(1, request.startIndex ?? 1);
  const count = Math.min(Math.max(0, request.count ?? limits.maxResults), limits.maxResults);
  if (filter && !narrowed(filter) && (await service.count(caller)) > limits.maxFilterScan) {
    throw scimError(
      400,
      'tooMany',
      `The directory holds more ${kind}s than this filter may read (${limits.maxFilterScan}): filter by an equality on ${kind === 'User' ? 'userName' : 'displayName'} or externalId.`,
    );
  }
  const matches = await service.list(caller, filter);
  const ordered = sort ? sortResources(sort, matches, lister.json) : matches;
  const page = ordered.slice(startIndex - 1, startIndex - 1 + count);
  // What is not stored with the resources (a user's groups), read for the page alone.
  const shown = service.completePage
    ? await service.completePage(caller, page, request.projection)
    : page;
  const resources = shown.map((resource) => lister.present(resource, request.projection));
  return listResponse(resources, { totalResults: matches.length, startIndex });
}
