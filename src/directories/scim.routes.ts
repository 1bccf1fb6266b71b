import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { errorStyle } from '../platform/error-style.js';
import { AppError } from '../platform/errors.js';
import type { Doors } from '../platform/rate-limit/index.js';
import { contextOf } from '../platform/request-context.js';
import type { DirectoryPrincipal, DirectoryService } from './directory-service.js';
import { tokenIdOf } from './directory-token-checks.js';
import {
  coerceUserOut,
  listResponse,
  parseFilter,
  schemas,
  scimError,
  serviceProviderConfig,
  userResourceType,
} from './scim/index.js';
import { etagOfVersion, scimJsonOf } from './scim-user-profile.js';
import type { ScimCaller, ScimUserService } from './scim-user-service.js';
import type { ScimUser } from './scim-user-store.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

interface ScimRouterDeps {
  directories: DirectoryService;
  users: ScimUserService;
  /** Latchkey's issuer: the base of every meta.location. */
  issuer: string;
  bodyLimitBytes: number;
  /** The most resources one list answers (config scim.maxResultsPerPage). */
  maxResults: number;
  /** The backoff of failed token checks and each directory's budget (docs/rate-limits.md). */
  doors: Pick<Doors, 'scim' | 'credentials'>;
}

/** RFC 6750 §3: a refused bearer token; the same answer whatever the reason (fail closed). */
const unauthorized = () =>
  new AppError('invalid_token', 'The bearer token is not valid for this directory.', {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer realm="scim"' },
  });

const send = (res: Response, status: number, body: unknown) => {
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
};

const callerOf = (req: Request, res: Response): ScimCaller => ({
  directory: res.locals.scimDirectory as DirectoryPrincipal,
  context: contextOf(req, res.locals),
});

const queryString = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw scimError(400, 'invalidValue', `Give ${name} once.`);
  return value;
};

/** RFC 7644 §3.4.2.4: startIndex (1-based, at least 1) and count (0 to the maximum). */
function pageOf(req: Request, maxResults: number) {
  const integer = (name: string, fallback: number) => {
    const raw = queryString(req, name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) throw scimError(400, 'invalidValue', `${name} must be an integer.`);
    return Number(raw);
  };
  const startIndex = Math.max(1, integer('startIndex', 1));
  const count = Math.min(Math.max(0, integer('count', maxResults)), maxResults);
  return { startIndex, count };
}

const projectionOf = (req: Request) => {
  const attributes = queryString(req, 'attributes');
  const excludedAttributes = queryString(req, 'excludedAttributes');
  return {
    ...(attributes ? { attributes } : {}),
    ...(excludedAttributes ? { excludedAttributes } : {}),
  };
};

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

/**
 * /scim/v2/{directoryId}/…: one directory's SCIM 2.0 service provider (RFC 7644), Users and
 * discovery, behind that directory's bearer token. Errors are RFC 7644 §3.12 bodies.
 */
export function scimRouter(deps: ScimRouterDeps): Router {
  const router = Router();
  const base = '/scim/v2/:directoryId';
  const baseUrl = (req: Request) => `${deps.issuer}/scim/v2/${String(req.params.directoryId)}`;
  const usersUrl = (req: Request) => `${baseUrl(req)}/Users`;
  const present = (req: Request, user: ScimUser) =>
    coerceUserOut(
      scimJsonOf(user, `${usersUrl(req)}/${user.id}`),
      usersUrl(req),
      projectionOf(req),
    );
  const sendUser = (req: Request, res: Response, status: number, user: ScimUser) => {
    res.set('ETag', etagOfVersion(user.version));
    if (status === 201) res.location(`${usersUrl(req)}/${user.id}`);
    send(res, status, present(req, user));
  };

  // A presented token is checked inside its backoffs (429 while one runs; each failure
  // counted for the token and the address); a verified one spends its directory's budget.
  const authenticate: RequestHandler = async (req, res, next) => {
    const presented = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const ip = req.ip ?? null;
    const tokenId = presented ? tokenIdOf(presented) : null;
    if (presented) await deps.doors.credentials.check('scim_token', tokenId, ip);
    const principal = presented
      ? await deps.directories.authenticate(String(req.params.directoryId), presented)
      : null;
    if (!principal) {
      if (presented) await deps.doors.credentials.failed('scim_token', tokenId, ip);
      throw unauthorized();
    }
    await deps.doors.credentials.succeeded('scim_token', tokenId, ip);
    await deps.doors.scim(principal.directoryId, principal.orgId);
    res.locals.scimDirectory = principal;
    next();
  };
  const json = express.json({
    type: [SCIM_CONTENT_TYPE, 'application/json'],
    limit: deps.bodyLimitBytes,
    strict: true,
  });
  const door = [errorStyle('scim'), authenticate, requireScimJson, json];
  const ifMatch = (req: Request) => req.get('if-match');

  router.get(`${base}/ServiceProviderConfig`, ...door, (req, res) => {
    send(res, 200, serviceProviderConfig(baseUrl(req), deps.maxResults));
  });
  router.get(`${base}/ResourceTypes`, ...door, (req, res) => {
    const types = [userResourceType(baseUrl(req))];
    send(res, 200, listResponse(types, { totalResults: types.length, startIndex: 1 }));
  });
  router.get(`${base}/ResourceTypes/:name`, ...door, (req, res) => {
    if (req.params.name !== 'User') throw scimError(404, null, 'No such resource type.');
    send(res, 200, userResourceType(baseUrl(req)));
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

  router.post(`${base}/Users`, ...door, async (req, res) => {
    sendUser(req, res, 201, await deps.users.create(callerOf(req, res), req.body));
  });
  router.get(`${base}/Users`, ...door, async (req, res) => {
    const expression = queryString(req, 'filter');
    const filter = expression === undefined ? null : parseFilter(expression);
    const { startIndex, count } = pageOf(req, deps.maxResults);
    const matches = await deps.users.list(callerOf(req, res), filter);
    const page = matches.slice(startIndex - 1, startIndex - 1 + count);
    const resources = page.map((user) => present(req, user));
    send(res, 200, listResponse(resources, { totalResults: matches.length, startIndex }));
  });
  router.get(`${base}/Users/:id`, ...door, async (req, res) => {
    sendUser(req, res, 200, await deps.users.get(callerOf(req, res), String(req.params.id)));
  });
  router.put(`${base}/Users/:id`, ...door, async (req, res) => {
    const id = String(req.params.id);
    const user = await deps.users.replace(callerOf(req, res), id, req.body, ifMatch(req));
    sendUser(req, res, 200, user);
  });
  router.patch(`${base}/Users/:id`, ...door, async (req, res) => {
    const id = String(req.params.id);
    const user = await deps.users.patch(callerOf(req, res), id, req.body, ifMatch(req));
    sendUser(req, res, 200, user);
  });
  router.delete(`${base}/Users/:id`, ...door, async (req, res) => {
    await deps.users.remove(callerOf(req, res), String(req.params.id), ifMatch(req));
    res.status(204).end();
  });
  return router;
}
