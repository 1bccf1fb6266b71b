import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createTokenValidator, type TokenValidator } from '../src/index.js';
import {
  AUDIENCE,
  RECEIVER,
  recordingLogger,
  startFakeTransmitter,
  waitUntil,
  type FakeTransmitter,
} from './support/fake-transmitter.js';

/** The Express middleware's answers: RFC 6750 §3, and 503 while failing closed. */
describe('bearer middleware', () => {
  let t: FakeTransmitter;
  let v: TokenValidator;
  let server: Server;
  let base: string;

  before(async () => {
    t = await startFakeTransmitter({ heartbeatMs: 50 });
    v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, stalenessBoundMs: 1000 },
      logger: recordingLogger(),
      onError: () => undefined,
    });
    await v.start();
    const app = express();
    app.get('/reports', v.middleware({ scopes: ['reports:read'] }), (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    app.get('/admin', v.middleware({ scopes: ['reports:admin'] }), (_req, res) => {
      res.json({ ok: true });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await v.close();
    await t.close();
  });

  const get = (path: string, authorization?: string) =>
    fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });

  it('when the token is good, then 200 and req.auth holds its claims', async () => {
    const res = await get('/reports', `Bearer ${await t.accessToken({ sub: 'erin' })}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { sub: 'erin' });
  });

  it('when no token comes, then 401 with a bare Bearer challenge', async () => {
    const res = await get('/reports');
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.equal(((await res.json()) as { code: string }).code, 'token_missing');
  });

  it('when the token is not a JWT, then 401 invalid_token', async () => {
    const res = await get('/reports', 'Bearer not-a-jwt');
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('when the token is revoked, then 401 invalid_token with code token_revoked', async () => {
    const token = await t.accessToken({ sid: 'sid-mw' });
    const position = await t.sessionRevoked('sid-mw');
    await waitUntil(() => v.status().position === position);
    const res = await get('/reports', `Bearer ${token}`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(((await res.json()) as { code: string }).code, 'token_revoked');
  });

  it('when a scope is missing, then 403 insufficient_scope', async () => {
    const res = await get('/admin', `Bearer ${await t.accessToken()}`);
    assert.equal(res.status, 403);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  });

  it('when the revocation view is stale, then 503 with Retry-After', async () => {
    const token = await t.accessToken();
    t.control.heartbeats = false;
    await waitUntil(() => !v.status().current, 4000, 'stale');
    const res = await get('/reports', `Bearer ${token}`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(((await res.json()) as { code: string }).code, 'validator_unavailable');
    t.control.heartbeats = true;
  });
});
