import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { errorStyle } from '../platform/error-style.js';
import { AppError } from '../platform/errors.js';
import type { Doors } from '../platform/rate-limit/index.js';
import { contextOf } from '../platform/request-context.js';
import type { DirectoryPrincipal, DirectoryService } from './directory-service.js';
import { tokenIdOf } from './directory-token-checks.js';
import {
  coerceOut,
  listResponse,
  resourceTypes,
  schemas,
  scimError,
  serviceProviderConfig,
  type ScimKind,
} from './scim/index.js';
import { noteScimFailure, recordScimOutcome } from './scim-activity-hook.js';
import { groupJsonOf, type ScimGroupService } from './scim-group-service.js';
import {
  listRequestOfQuery,
  listRequestOfSearch,
  listResources,
  projectionOf,
  type Projection,
} from './scim-list.js';
import {
  etagOfVersion,
  ifNoneMatchHolds,
  type ScimCaller,
  type ScimResourceService,
  type StoredResource,
} from './scim-resource.js';
import { scimJsonOf } from './scim-user-profile.js';
import type { ScimUserService } from './scim-user-service.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

interface ScimRouterDeps {
  directories: DirectoryService;
  users: ScimUserService;
  groups: ScimGroupService;
  /** Latchkey's issuer: the base of every meta.location. */
  issuer: string;
  bodyLimitBytes: number;
  /** The most resources one list answers (config scim.maxResultsPerPage). */
  maxResults: number;
  /** The most resources a filter that SQL cannot narrow may read (config scim.maxFilterScan). */
  maxFilterScan: number;
  /** The backoff of failed token checks and each directory's budget (docs/rate-limits.md). */
  doors: Pick<Doors, 'scim' | 'credentials'>;
}

/** RFC 6750 §3: a refused bearer token; the same answer whatever the reason (fail closed). */
const unauthorized = () =>
  new AppError('invalid_token', 'The bearer token is not valid for this directory.', {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer realm="scim"' },
  });

/** What a path the router does not serve is answered with (after authentication). */
function unserved(version: string, rest: string[]) {
  if (version !== 'v2') {
    return scimError(400, 'invalidVers', `This service speaks SCIM 2.0 only (/scim/v2/…).`);
  }
  const first = rest[0] ?? '';
  if (first === 'Bulk' || first === 'Me') {
    return scimError(501, null, `/${first} is not supported (ServiceProviderConfig).`);
  }
  return scimError(404, null, 'No such SCIM endpoint.');
}

const send = (res: Response, status: number, body: unknown) => {
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
};

const callerOf = (req: Request, res: Response): ScimCaller => ({
  directory: res.locals.scimDirectory as DirectoryPrincipal,
  context: contextOf(req, res.locals),
});

/** Bodies must be JSON (application/scim+json or application/json): anything else is 415. */
const requireScimJson: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is([SCIM_CONTENT_TYPE, 'application/json'])) {
    next(scimError(415, null, `Send the request body as ${SCIM_CONTENT_TYPE}.`));
    return;
  }
  next();
};

/** One resource type's endpoint: how its resources are served as SCIM JSON. */
interface Endpoint<R extends StoredResource> {
  kind: ScimKind;
  path: 'Users' | 'Groups';
  service: ScimResourceService<R>;
  /** The resource as SCIM JSON with id and meta; `baseUrl` the directory's SCIM base. */
  json: (resource: R, baseUrl: string) => Record<string, unknown>;
}

/**
 * POST, GET (list and one), PUT, PATCH and DELETE of one resource type (RFC 7644 §3), and
 * POST …/.search (§3.4.3), which answers what the list answers.
 */
function mountEndpoint<R extends StoredResource>(
  router: Router,
  door: RequestHandler[],
  deps: ScimRouterDeps,
  endpoint: Endpoint<R>,
) {
  const path = `/scim/v2/:directoryId/${endpoint.path}`;
  const baseUrl = (req: Request) => `${deps.issuer}/scim/v2/${String(req.params.directoryId)}`;
  const url = (req: Request) => `${baseUrl(req)}/${endpoint.path}`;
  const { kind, service } = endpoint;
  const present = (req: Request, resource: R, projection: Projection) =>
    coerceOut(kind, endpoint.json(resource, baseUrl(req)), url(req), projection);
  const sendOne = (req: Request, res: Response, status: number, resource: R) => {
    res.set('ETag', etagOfVersion(resource.version));
    if (status === 201) res.location(`${url(req)}/${resource.id}`);
    send(res, status, present(req, resource, projectionOf(req.query)));
  };
  const ifMatch = (req: Request) => req.get('if-match');
  const id = (req: Request) => String(req.params.id);
  const limits = { maxResults: deps.maxResults, maxFilterScan: deps.maxFilterScan };
  const list = (req: Request, res: Response, body: unknown) => {
    const lister = {
      kind,
      service,
      json: (resource: R) => endpoint.json(resource, baseUrl(req)),
      present: (resource: R, projection: Projection) => present(req, resource, projection),
    };
    const request = body === undefined ? listRequestOfQuery(req.query) : listRequestOfSearch(body);
    return listResources(lister, callerOf(req, res), request, limits);
  };

  router.post(path, ...door, async (req, res) => {
    sendOne(req, res, 201, await service.create(callerOf(req, res), req.body));
  });
  router.get(path, ...door, async (req, res) => {
    send(res, 200, await list(req, res, undefined));
  });
  router.post(`${path}/.search`, ...door, async (req, res) => {
    send(res, 200, await list(req, res, req.body ?? null));
  });
  router.get(`${path}/:id`, ...door, async (req, res) => {
    const resource = await service.get(callerOf(req, res), id(req));
    // RFC 7644 §3.14, RFC 9110 §13.1.2: the client holds this version already.
    if (ifNoneMatchHolds(req.get('if-none-match'), resource)) {
      res.set('ETag', etagOfVersion(resource.version)).status(304).end();
      return;
    }
    sendOne(req, res, 200, resource);
  });
  router.put(`${path}/:id`, ...door, async (req, res) => {
    const caller = callerOf(req, res);
    sendOne(req, res, 200, await service.replace(caller, id(req), req.body, ifMatch(req)));
  });
  router.patch(`${path}/:id`, ...door, async (req, res) => {
    const caller = callerOf(req, res);
    sendOne(req, res, 200, await service.patch(caller, id(req), req.body, ifMatch(req)));
  });
  router.delete(`${path}/:id`, ...door, async (req, res) => {
    await service.remove(callerOf(req, res), id(req), ifMatch(req));
    res.status(204).end();
  });
}

/**
 * /scim/v2/{directoryId}/…: one directory's SCIM 2.0 service provider (RFC 7644), Users and
 * Groups and discovery, behind that directory's bearer token. Errors are RFC 7644 §3.12 bodies.
 */
export function scimRouter(deps: ScimRouterDeps): Router {
  const router = Router();
  const base = '/scim/v2/:directoryId';
  const baseUrl = (req: Request) => `${deps.issuer}/scim/v2/${String(req.params.directoryId)}`;
  // A presented token is checked inside its backoffs (429 while one runs; each failure
  // counted for the token and the address); a verified one spends its directory's budget.
  const authenticate: RequestHandler = async (req, res, next) => {
    const presented = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const ip = req.ip ?? null;
    const principal = presented
      ? await deps.doors.credentials.verify('scim_token', tokenIdOf(presented), ip, () =>
          deps.directories.authenticate(String(req.params.directoryId), presented),
        )
      : null;
    if (!principal) throw unauthorized();
    res.locals.scimDirectory = principal;
    await deps.doors.scim(principal.directoryId, principal.orgId);
    next();
  };
  const json = express.json({
    type: [SCIM_CONTENT_TYPE, 'application/json'],
    limit: deps.bodyLimitBytes,
    strict: true,
  });
  const recordOutcome = recordScimOutcome(deps.directories.activity);
  const door = [errorStyle('scim'), recordOutcome, authenticate, requireScimJson, json];

  router.get(`${base}/ServiceProviderConfig`, ...door, (req, res) => {
    send(res, 200, serviceProviderConfig(baseUrl(req), deps.maxResults));
  });
  router.get(`${base}/ResourceTypes`, ...door, (req, res) => {
    const types = resourceTypes(baseUrl(req));
    send(res, 200, listResponse(types, { totalResults: types.length, startIndex: 1 }));
  });
  router.get(`${base}/ResourceTypes/:name`, ...door, (req, res) => {
    const found = resourceTypes(baseUrl(req)).find((type) => type.id === req.params.name);
    if (!found) throw scimError(404, null, 'No such resource type.');
    send(res, 200, found);
  });
  router.get(`${base}/Schemas`, ...door, (req, res) => {
    const all = schemas(baseUrl(req));
    send(res, 200, listResponse(all, { totalResults: all.length, startIndex: 1 }));
  });
  router.get(`${base}/Schemas/:id`, ...door, (req, res) => {
    const found = schemas(baseUrl(req)).find((schema) => schema.id === req.params.id);
    if (!found) throw scimError(404, null, 'No such schema.');
    send(res, 200, found);
  });

  mountEndpoint(router, door, deps, {
    kind: 'User',
    path: 'Users',
    service: deps.users,
    json: (user, base) => scimJsonOf(user, `${base}/Users/${user.id}`),
  });
  mountEndpoint(router, door, deps, {
    kind: 'Group',
    path: 'Groups',
    service: deps.groups,
    json: (group, base) => groupJsonOf(group, `${base}/Groups/${group.id}`, `${base}/Users`),
  });
  // Everything else under /scim/…/<directory id>/, once the token is verified (a stranger
  // learns nothing of what is served): another protocol version is 400 invalidVers, bulk
  // and /Me are 501 (RFC 7644 §3.7, §3.11: not supported), the rest 404, all in SCIM's form.
  router.all('/scim/:version/:directoryId{/*rest}', errorStyle('scim'), authenticate, (req) => {
    throw unserved(String(req.params.version), (req.params.rest as string[] | undefined) ?? []);
  });
  // Keeps what a directory's request was refused with, for its sync status.
  router.use(base, noteScimFailure);
  return router;
}
