import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import { spec, toOpenApiPath } from '../support/openapi.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('openapi.yaml matches the routes that exist', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const served = () => new Set(t.app.routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
  const documented = () =>
    new Set(
      Object.entries(spec.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => METHODS.includes(key))
          .map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );

  it('when a route is served, then openapi.yaml documents it', () => {
    const missing = [...served()].filter((op) => !documented().has(op));
    assert.deepEqual(missing, [], 'routes missing from openapi.yaml');
  });

  it('when openapi.yaml documents an operation, then it is served', () => {
    const phantom = [...documented()].filter((op) => !served().has(op));
    assert.deepEqual(phantom, [], 'operations in openapi.yaml that no route serves');
  });

  it('when routes are listed, then the admin API is among them (the check is not vacuous)', () => {
    assert.ok(served().has('POST /api/v1/orgs'));
    assert.ok(served().has('GET /.well-known/jwks.json'));
  });
});
