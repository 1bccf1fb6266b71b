import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Router } from 'express';
import request from 'supertest';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { errorStyle } from '../../src/http/error-renderer.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { AppError } from '../../src/platform/errors.js';
import { createLogger } from '../../src/platform/logger.js';
import { createMetrics } from '../../src/metrics/index.js';
import { LogCapture } from '../support/app.js';

/** An HTTP app with a few routes that fail on purpose, to see each error shape. */
function buildTestHttp() {
  const logs = new LogCapture();
  const config = loadConfig({ env: { NODE_ENV: 'test' } });
  const api = Router();
  api.post('/echo', (req, res) => {
    res.status(201).json({ received: req.body as unknown });
  });
  api.get('/things/:thingId', (req, res) => {
    res.json({ id: req.params.thingId });
  });
  api.get('/conflict', () => {
    throw new AppError('org_exists', 'An org with this slug exists.', {
      status: 409,
      fields: [{ field: 'slug', message: 'already taken' }],
    });
  });
  api.get('/boom', () => {
    throw new Error('database password is hunter2 at /srv/secret/path.ts:42');
  });
  const oauth = Router();
  oauth.post('/oauth/test', errorStyle('oauth'), () => {
    throw new AppError('invalid_grant', 'The authorization code is invalid or expired.');
  });
  oauth.post('/oauth/crash', errorStyle('oauth'), () => {
    throw new Error('kaboom');
  });
  const pages = Router();
  pages.get('/page/fail', errorStyle('html'), () => {
    throw new AppError('login_failed', 'Your company sign-in did not complete.', { status: 400 });
  });
  const metrics = createMetrics();
  const http = createHttpApp({
    config,
    logger: createLogger({ level: 'info', destination: logs }),
    metrics,
    checks: [],
    apiRouters: [api],
    rootRouters: [oauth, pages],
  });
  return { http, logs, metrics };
}

const isProblem = (res: request.Response, status: number, code: string) => {
  assert.equal(res.status, status);
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, `urn:latchkey:problem:${code}`);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.equal(body.request_id, res.headers['x-request-id']);
  return body;
};

describe('error rendering', () => {
  let t: ReturnType<typeof buildTestHttp>;
  before(() => {
    t = buildTestHttp();
  });

  it('when JSON is well formed, then the route receives it', async () => {
    const res = await request(t.http).post('/api/v1/echo').send({ a: 1 });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { received: { a: 1 } });
  });

  it('when the JSON body is malformed, then 400 problem+json malformed_body', async () => {
    const res = await request(t.http)
      .post('/api/v1/echo')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    isProblem(res, 400, 'malformed_body');
  });

  it('when the body is over the limit, then 413 payload_too_large', async () => {
    const res = await request(t.http)
      .post('/api/v1/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(110 * 1024) }));
    isProblem(res, 413, 'payload_too_large');
  });

  it('when the body is not JSON, then 415 unsupported_media_type', async () => {
    const form = await request(t.http).post('/api/v1/echo').type('form').send('a=1');
    isProblem(form, 415, 'unsupported_media_type');
    const text = await request(t.http)
      .post('/api/v1/echo')
      .set('Content-Type', 'text/plain')
      .send('{"a":1}');
    isProblem(text, 415, 'unsupported_media_type');
  });

  it('when the route is unknown, then 404 problem+json not_found, under /api and elsewhere', async () => {
    isProblem(await request(t.http).get('/api/v1/nothing-here'), 404, 'not_found');
    isProblem(
      await request(t.http).get('/nothing-here').set('Accept', 'application/json'),
      404,
      'not_found',
    );
    isProblem(await request(t.http).delete('/'), 404, 'not_found');
  });

  it('when a browser asks for an unknown page, then an HTML error page with the correlation id', async () => {
    const res = await request(t.http)
      .get('/nothing-here')
      .set('Accept', 'text/html,application/xhtml+xml');
    assert.equal(res.status, 404);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
    assert.ok(res.text.includes(res.headers['x-request-id'] as string));
    assert.ok(res.text.includes('not_found'));
    // Nothing about routes for whoever reads it (issue 20); the request is in the log.
    assert.ok(res.text.includes('There is nothing at this address.'));
    // What to do, in plain words; the code and correlation id kept for the IT team.
    assert.ok(res.text.includes('Check the address, or start again from the sign-in page.'));
    assert.match(res.text, /<h2 id="it-details">Details for your IT team<\/h2>/);
    assert.doesNotMatch(res.text, /route|nothing-here|GET/i);
  });

  it('when a route throws an AppError, then its code, status and field details are rendered', async () => {
    const body = isProblem(await request(t.http).get('/api/v1/conflict'), 409, 'org_exists');
    assert.deepEqual(body.errors, [{ field: 'slug', message: 'already taken' }]);
  });

  it('when a route throws an unknown error, then 500 with no stack or internal detail, and it is logged', async () => {
    const res = await request(t.http).get('/api/v1/boom');
    const body = isProblem(res, 500, 'internal_error');
    assert.doesNotMatch(res.text, /hunter2|secret|\.ts:|at /);
    assert.equal(body.detail, 'An unexpected error occurred.');
    assert.ok(
      t.logs.lines.some(
        (line) => line.includes('unhandled error') && line.includes(body.request_id as string),
      ),
    );
  });

  it('when an OAuth endpoint fails, then RFC 6749 error JSON', async () => {
    const res = await request(t.http).post('/oauth/test').type('form').send('grant_type=x');
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(res.body, {
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid or expired.',
    });
    assert.equal(res.headers['cache-control'], 'no-store');
    const crash = await request(t.http).post('/oauth/crash');
    assert.equal(crash.status, 500);
    assert.deepEqual(Object.keys(crash.body as object).sort(), ['error', 'error_description']);
    assert.equal((crash.body as { error: string }).error, 'server_error');
  });

  it('when a page fails, then an HTML page with the human message, reason code and correlation id', async () => {
    const res = await request(t.http).get('/page/fail');
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
    assert.ok(res.text.includes('Your company sign-in did not complete.'));
    assert.ok(res.text.includes('login_failed'));
    assert.ok(res.text.includes(res.headers['x-request-id'] as string));
    assert.doesNotMatch(res.text, /<script/i);
  });

  it('when any response is sent, then strict security headers come with it', async () => {
    const res = await request(t.http).get('/healthz');
    const csp = res.headers['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('when a client sends a usable request id, then it is kept; a hostile one is replaced', async () => {
    const kept = await request(t.http).get('/healthz').set('X-Request-Id', 'edge-1234-abcd');
    assert.equal(kept.headers['x-request-id'], 'edge-1234-abcd');
    const replaced = await request(t.http)
      .get('/healthz')
      .set('X-Request-Id', 'x<script>alert(1)</script>');
    assert.notEqual(replaced.headers['x-request-id'], 'x<script>alert(1)</script>');
    assert.match(replaced.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
  });
});

describe('request metrics', () => {
  it('when a parameterised route is hit, then its template labels the duration, not the raw path', async () => {
    const t = buildTestHttp();
    await request(t.http).get('/api/v1/things/abc-123').expect(200);
    await request(t.http).get('/api/v1/things/def-456').expect(200);
    const text = await t.metrics.registry.metrics();
    assert.match(
      text,
      /http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/api\/v1\/things\/:thingId",http_response_status_code="200"\} 2/,
    );
    assert.doesNotMatch(text, /abc-123|def-456/);
  });
});

describe('log redaction', () => {
  let t: ReturnType<typeof buildTestHttp>;
  before(() => {
    t = buildTestHttp();
  });
  after(() => undefined);

  it('when requests carry credentials, then no log line holds them', async () => {
    await request(t.http)
      .post('/api/v1/echo?code=query-secret-code&state=s')
      .set('Authorization', 'Bearer lk_abc_supersecretkeymaterial')
      .set('Cookie', '__Host-latchkey=session-secret-value')
      .send({ password: 'pw-secret-value' });
    await request(t.http).post('/oauth/test').set('Authorization', 'Basic Y2xpZW50OnNlY3JldA==');
    const text = t.logs.text;
    assert.ok(t.logs.lines.length >= 2, 'requests were logged');
    for (const secret of [
      'supersecretkeymaterial',
      'session-secret-value',
      'query-secret-code',
      'pw-secret-value',
      'Y2xpZW50OnNlY3JldA==',
    ]) {
      assert.ok(!text.includes(secret), `log contains ${secret}`);
    }
  });
});
