import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { spec, toOpenApiPath } from '../support/openapi.js';
import type { RouteEntry } from '../../src/http/route-table.js';

/** A path item: its operations, and a `servers` override where it is not the public listener. */
type PathItem = Record<string, unknown> & { servers?: Array<{ url: string }> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('openapi.yaml matches the routes that exist', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const operations = (routes: RouteEntry[]) =>
    new Set(routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
  /** Public routes and the management listener's (/metrics, /slo, and the probes again). */
  const served = () => operations([...t.app.routes, ...t.app.managementRoutes]);
  const documentedWhere = (keep: (item: PathItem) => boolean) =>
    new Set(
      Object.entries(spec.paths as Record<string, PathItem>)
        .filter(([, item]) => keep(item))
        .flatMap(([path, item]) =>
          Object.keys(item)
            .filter((key) => METHODS.includes(key))
            .map((method) => `${method.toUpperCase()} ${path}`),
        ),
    );
  const documented = () => documentedWhere(() => true);
  /** The management listener's own URL, from the configuration's defaults. */
  const managementUrl = () => `http://${t.config.management.host}:${t.config.management.port}`;
  const onManagement = (item: PathItem) =>
    (item.servers ?? []).some((server) => server.url === managementUrl());

  it('when a route is served, then openapi.yaml documents it', () => {
    const missing = [...served()].filter((op) => !documented().has(op));
    assert.deepEqual(missing, [], 'routes missing from openapi.yaml');
  });

  it('when openapi.yaml documents an operation, then it is served', () => {
    const phantom = [...documented()].filter((op) => !served().has(op));
    assert.deepEqual(phantom, [], 'operations in openapi.yaml that no route serves');
  });

  it('when an operation is served by the management listener only, then openapi.yaml gives it that listener as its server, and no other operation', () => {
    const publicOps = operations(t.app.routes);
    const managementOnly = [...operations(t.app.managementRoutes)].filter(
      (op) => !publicOps.has(op),
    );
    assert.deepEqual(managementOnly.sort(), ['GET /metrics', 'GET /slo']);
    assert.deepEqual([...documentedWhere(onManagement)].sort(), managementOnly.sort());
    // Every other path item is the public listener's: no server override of its own.
    const overridden = Object.entries(spec.paths as Record<string, PathItem>)
      .filter(([, item]) => item.servers && !onManagement(item))
      .map(([path]) => path);
    assert.deepEqual(overridden, []);
  });

  it('when a SCIM path is not served, then the SCIM catch-all answers it with an error, and it is neither a listed route nor documented', async () => {
    // The catch-all (router.all, scim.routes.ts) answers every method of every other path
    // under /scim/<version>/<directory id>/ with an error (tested in
    // test/directories/scim-errors.test.ts): the route table leaves method-less routes out,
    // and openapi.yaml's ScimError response describes it instead of an operation.
    const res = await request(t.app.http).post('/scim/v1/some-directory/Bulk');
    assert.equal(res.status, 401);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    const scimPaths = [...served(), ...documented()].filter((op) => op.includes('/scim/'));
    assert.ok(scimPaths.length > 0);
    assert.deepEqual(
      scimPaths.filter((op) => !op.includes('/scim/v2/{directoryId}/')),
      [],
    );
    assert.ok(!scimPaths.some((op) => /\/(Bulk|Me)$|\{(version|rest)\}/.test(op)));
  });

  it('when routes are listed, then the admin API is among them (the check is not vacuous)', () => {
    assert.ok(served().has('POST /api/v1/orgs'));
    assert.ok(served().has('GET /.well-known/jwks.json'));
  });
});

describe('openapi.yaml lists the 503 of every operation that needs PostgreSQL or Redis', () => {
  const REF = '#/components/responses/';
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([key]) => METHODS.includes(key))
      .map(([method, op]) => ({
        name: `${method.toUpperCase()} ${path}`,
        path,
        unavailable: (op.responses['503'] as { $ref?: string } | undefined)?.$ref,
      })),
  );
  /** The 503 each audience gets, in its error style (src/http/error-renderer.ts). */
  const expected = (path: string) => {
    if (path.startsWith('/api/v1/')) return `${REF}Unavailable`;
    if (['/oauth/token', '/oauth/introspect', '/oauth/revoke', '/oauth/userinfo'].includes(path))
      return `${REF}OAuthUnavailable`;
    if (path === '/saml/{connectionId}/metadata') return `${REF}Unavailable`;
    if (/^\/(oauth|login|account|saml)\//.test(path) || ['/login', '/account'].includes(path))
      return `${REF}PageUnavailable`;
    return null;
  };

  it('when an operation is under /api/v1, /oauth or a page that reads a store, then it lists the 503 of its audience', () => {
    const wrong = operations
      .filter((op) => expected(op.path) !== null && op.unavailable !== expected(op.path))
      .map((op) => `${op.name}: ${op.unavailable ?? 'no 503'}`);
    assert.deepEqual(wrong, []);
  });

  it('when the check runs, then it covers the admin API, every OAuth endpoint and the pages (it is not vacuous)', () => {
    const covered = new Set(operations.filter((op) => expected(op.path)).map((op) => op.name));
    for (const name of [
      'POST /api/v1/orgs',
      'POST /oauth/token',
      'POST /oauth/revoke',
      'GET /oauth/userinfo',
      'GET /oauth/authorize',
      'POST /oauth/logout',
      'POST /login',
      'GET /account',
    ])
      assert.ok(covered.has(name), name);
    assert.ok(covered.size > 70, `only ${covered.size} operations checked`);
  });
});
