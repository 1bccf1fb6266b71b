import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';

/**
 * The token, introspection and revocation endpoints are served ahead of Express
 * (src/http/form-endpoints.ts). What a client sees must not tell the two paths apart:
 * these tests hold the fast path to the same headers, errors and metrics as the rest.
 */
describe('form endpoints served ahead of Express', () => {
  let f: OAuthFixture;
  let basic: [string, string];

  before(async () => {
    f = await startOAuthFixture();
    const registered = await f.registerClient({
      allowed_scopes: ['openid', 'reports:read'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    });
    basic = [registered.client.id, registered.secret!];
  });
  after(async () => {
    await f.close();
  });

  /** A raw POST, so the test controls every header and byte. */
  const raw = (
    path: string,
    body: string | Buffer,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${f.t.issuer}${path}`, { method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });

  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const basicHeader = () =>
    `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString('base64')}`;

  it('when the token endpoint answers, then it carries the same security headers as an Express-served endpoint, no-store, and a request id', async () => {
    const express = await fetch(`${f.t.issuer}/oauth/userinfo`);
    const fast = await f.post('/oauth/token', { grant_type: 'client_credentials' }, basic);
    assert.equal(fast.status, 200);
    const securityHeaders = [
      'content-security-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
      'referrer-policy',
      'x-content-type-options',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-frame-options',
      'x-permitted-cross-domain-policies',
      'x-xss-protection',
    ];
    for (const name of securityHeaders) {
      assert.ok(express.headers.get(name), `Express sets ${name}`);
      assert.equal(fast.headers.get(name), express.headers.get(name), name);
    }
    assert.equal(fast.headers.get('cache-control'), 'no-store');
    assert.equal(fast.headers.get('pragma'), 'no-cache');
    assert.match(fast.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(fast.headers.get('x-powered-by'), null);
    assert.match(fast.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('when a well-formed request id comes in, then it is echoed; a malformed one is replaced', async () => {
    const kept = await raw('/oauth/token', 'grant_type=client_credentials', {
      ...FORM,
      authorization: basicHeader(),
      'x-request-id': 'front-proxy-0001',
    });
    assert.equal(kept.headers['x-request-id'], 'front-proxy-0001');
    const replaced = await raw('/oauth/token', 'grant_type=client_credentials', {
      ...FORM,
      authorization: basicHeader(),
      'x-request-id': 'bad id\twith spaces',
    });
    assert.notEqual(replaced.headers['x-request-id'], 'bad id\twith spaces');
  });

  it('when the body is not a form, then 400 invalid_request in RFC 6749 JSON', async () => {
    const res = await raw('/oauth/token', '{"grant_type":"client_credentials"}', {
      'content-type': 'application/json',
      authorization: basicHeader(),
    });
    assert.equal(res.status, 400);
    assert.equal((JSON.parse(res.body) as { error: string }).error, 'invalid_request');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('when the charset is not UTF-8 or the body is compressed, then 415 with an OAuth error body', async () => {
    for (const headers of [
      { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' },
      { ...FORM, 'content-encoding': 'gzip' },
    ]) {
      const res = await raw('/oauth/introspect', 'token=x', {
        ...headers,
        authorization: basicHeader(),
      });
      assert.equal(res.status, 415);
      assert.equal((JSON.parse(res.body) as { error: string }).error, 'invalid_request');
    }
  });

  it('when the body exceeds the limit or has too many parameters, then 413 and nothing is processed', async () => {
    const big = await raw(
      '/oauth/token',
      `grant_type=client_credentials&x=${'a'.repeat(200_000)}`,
      {
        ...FORM,
        authorization: basicHeader(),
      },
    );
    assert.equal(big.status, 413);
    const many = Array.from({ length: 150 }, (_, i) => `p${i}=1`).join('&');
    const res = await raw('/oauth/token', `grant_type=client_credentials&${many}`, {
      ...FORM,
      authorization: basicHeader(),
    });
    assert.equal(res.status, 413);
  });

  it('when a parameter is sent twice, then invalid_request (RFC 6749 §3.2)', async () => {
    const res = await raw('/oauth/token', 'grant_type=client_credentials&grant_type=password', {
      ...FORM,
      authorization: basicHeader(),
    });
    assert.equal(res.status, 400);
    assert.equal((JSON.parse(res.body) as { error: string }).error, 'invalid_request');
  });

  it('when client authentication fails over Basic, then 401 invalid_client with WWW-Authenticate', async () => {
    const res = await f.post('/oauth/introspect', { token: 'x' }, [basic[0], 'wrong']);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="latchkey"/);
  });

  it('when a query string follows the path, then the endpoint still answers; other methods fall through to a 404', async () => {
    const withQuery = await f.post('/oauth/revoke?x=1', { token: 'nothing' }, basic);
    assert.equal(withQuery.status, 200);
    assert.equal(await withQuery.text(), '');
    const get = await fetch(`${f.t.issuer}/oauth/token`, {
      headers: { accept: 'application/json' },
    });
    assert.equal(get.status, 404);
  });

  it('when requests were served, then the duration metric carries the route and the token SLI the grant', async () => {
    await f.post('/oauth/token', { grant_type: 'client_credentials' }, basic);
    const exposition = await (await fetch(`${f.t.managementUrl}/metrics`)).text();
    const lines = exposition.split('\n');
    assert.ok(
      lines.some((line) =>
        /^http_server_request_duration_seconds_count\{http_request_method="POST",http_route="\/oauth\/token",http_response_status_code="200"\} [1-9]/.test(
          line,
        ),
      ),
      'POST /oauth/token counted under its route',
    );
    assert.ok(
      lines.some((line) =>
        /_count\{grant_type="client_credentials",outcome="success"\} [1-9]/.test(line),
      ),
      'the token SLI counted the grant',
    );
  });
});
