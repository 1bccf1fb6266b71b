import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { adminClient, type AdminClient } from '../support/admin.js';
import { CONTEXT, startOAuthFixture, type OAuthFixture } from '../support/oauth.js';
import { assertMatchesSpec } from '../support/openapi.js';
import { ssfReceiver } from '../support/ssf-receiver.js';

const POLL = 'urn:ietf:rfc:8936';

/** A fetch answer in the shape assertMatchesSpec reads (status, content type, text). */
async function answer(res: Response) {
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  const body = (text && contentType.includes('json') ? JSON.parse(text) : {}) as Record<
    string,
    unknown
  >;
  const asSupertest = {
    status: res.status,
    headers: { 'content-type': contentType },
    text,
    body,
  } as unknown as request.Response;
  return { status: res.status, text, body, asSupertest };
}

/**
 * The Shared Signals transmitter's real answers, success and refusal, are the ones
 * openapi.yaml documents (status listed, body valid against its schema).
 */
describe('openapi.yaml describes the Shared Signals transmitter as it answers', () => {
  let f: OAuthFixture;
  let platform: AdminClient;
  let bearer: string;
  let streamId: string;
  const call = async (
    method: string,
    path: string,
    options: { body?: unknown; token?: string | null; accept?: string } = {},
  ) => {
    const token = options.token === undefined ? bearer : options.token;
    return answer(
      await fetch(`${f.t.issuer}${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(options.accept ? { accept: options.accept } : {}),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
    );
  };
  const matches = async (
    method: string,
    path: string,
    template: string,
    status: number,
    options?: Parameters<typeof call>[2],
  ) => {
    const res = await call(method, path, options);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    assertMatchesSpec(res.asSupertest, method, template);
    return res.body;
  };

  before(async () => {
    f = await startOAuthFixture();
    f.syncClock();
    const { client, secret } = await f.registerClient({
      name: 'Spec receiver',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      post_logout_redirect_uris: [],
      allowed_scopes: ['ssf'],
      allowed_audiences: [`${f.t.issuer}/ssf`],
    });
    bearer = await (await ssfReceiver(f.t.issuer, client.id, secret!)).token();
    const key = await f.t.app.apiKeys.create(
      { orgId: null, body: { name: 'spec platform' } },
      'cli',
      null,
    );
    platform = adminClient(f.t, key.secret);
  });
  after(() => f.close());

  it('when discovery is read, then it is the documented SsfConfiguration', async () => {
    await matches('GET', '/.well-known/ssf-configuration', '/.well-known/ssf-configuration', 200, {
      token: null,
    });
  });

  it('when a receiver has no stream or no token, then 404 and 401 are documented problems', async () => {
    assert.deepEqual(await matches('GET', '/ssf/streams', '/ssf/streams', 200), []);
    await matches('GET', '/ssf/streams?stream_id=none', '/ssf/streams', 404);
    await matches('GET', '/ssf/streams', '/ssf/streams', 401, { token: null });
    await matches('POST', '/ssf/streams', '/ssf/streams', 400, {
      body: { delivery: { method: 'carrier-pigeon' } },
    });
  });

  it('when a receiver manages its poll stream, then every answer matches the spec', async () => {
    const created = await matches('POST', '/ssf/streams', '/ssf/streams', 201, {
      body: { delivery: { method: POLL }, description: 'spec' },
    });
    streamId = created.stream_id as string;
    await matches('POST', '/ssf/streams', '/ssf/streams', 409, {
      body: { delivery: { method: POLL } },
    });
    const list = await matches('GET', '/ssf/streams', '/ssf/streams', 200);
    assert.ok(Array.isArray(list));
    const one = await matches('GET', `/ssf/streams?stream_id=${streamId}`, '/ssf/streams', 200);
    await matches('PATCH', '/ssf/streams', '/ssf/streams', 200, {
      body: { stream_id: streamId, description: 'changed' },
    });
    // What it read is accepted back as is; another endpoint for a poll stream is not.
    await matches('PUT', '/ssf/streams', '/ssf/streams', 200, { body: one });
    const { delivery, ...rest } = one as { delivery: { method: string } };
    await matches('PUT', '/ssf/streams', '/ssf/streams', 400, {
      body: { ...rest, delivery: { ...delivery, endpoint_url: 'https://elsewhere.example/poll' } },
    });
    await matches('GET', `/ssf/status?stream_id=${streamId}`, '/ssf/status', 200);
    await matches('GET', '/ssf/status?stream_id=other', '/ssf/status', 404);
    await matches('POST', '/ssf/status', '/ssf/status', 200, {
      body: { stream_id: streamId, status: 'paused', reason: 'maintenance' },
    });
    await matches('GET', '/ssf/events', '/ssf/events', 403, { accept: 'application/json' });
    await matches('POST', '/ssf/status', '/ssf/status', 200, {
      body: { stream_id: streamId, status: 'enabled' },
    });
    await matches('POST', '/ssf/verify', '/ssf/verify', 204, {
      body: { stream_id: streamId, state: 'spec' },
    });
    await matches('POST', '/ssf/verify', '/ssf/verify', 429, { body: { stream_id: streamId } });
    const { session } = await f.openSession();
    await f.t.app.sessions.end(f.org.id, session.id, 'admin', CONTEXT);
    const polled = await matches('POST', '/ssf/poll', '/ssf/poll', 200, {
      body: { maxEvents: 10, returnImmediately: true },
    });
    const jtis = Object.keys(polled.sets as object);
    assert.ok(
      jtis.some((jti) => jti.startsWith('evt-')),
      'the verification event',
    );
    assert.ok(
      jtis.some((jti) => jti.startsWith('rev-')),
      'the session revoked',
    );
    await matches('POST', '/ssf/poll', '/ssf/poll', 200, {
      body: { ack: Object.keys(polled.sets as object), maxEvents: 0 },
    });
  });

  it('when the feed is read as JSON, then the page and a bad position match the spec', async () => {
    const page = await matches('GET', '/ssf/events?after=0', '/ssf/events', 200, {
      accept: 'application/json',
    });
    assert.ok((page.sets as unknown[]).length > 0, 'the session revoked');
    await matches('GET', '/ssf/events?after=x', '/ssf/events', 400, {
      accept: 'application/json',
    });
  });

  it('when an admin lists and disables streams, then the admin API answers as documented', async () => {
    const list = await platform.get('/api/v1/ssf/streams');
    assert.equal(list.status, 200, list.text);
    assertMatchesSpec(list, 'GET', '/api/v1/ssf/streams');
    const path = `/api/v1/ssf/streams/${streamId}/status`;
    const disabled = await platform.post(path, { status: 'disabled', reason: 'spec' });
    assert.equal(disabled.status, 200, disabled.text);
    assertMatchesSpec(disabled, 'POST', '/api/v1/ssf/streams/{streamId}/status');
    const missing = await platform.post('/api/v1/ssf/streams/nope/status', { status: 'enabled' });
    assert.equal(missing.status, 404);
    assertMatchesSpec(missing, 'POST', '/api/v1/ssf/streams/{streamId}/status');
    await matches('POST', '/ssf/poll', '/ssf/poll', 403, { body: {} });
    await matches('POST', '/ssf/status', '/ssf/status', 403, {
      body: { stream_id: streamId, status: 'enabled' },
    });
    await matches('DELETE', `/ssf/streams?stream_id=${streamId}`, '/ssf/streams', 204);
    await matches('POST', '/ssf/poll', '/ssf/poll', 404, { body: {} });
  });
});
