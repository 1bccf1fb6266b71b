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
    // RFC 9470 step-up: a payout needs an MFA sign-in within five minutes.
    app.post(
      '/payouts',
      v.middleware({
        scopes: ['reports:read'],
        acrValues: ['urn:latchkey:acr:mfa'],
        maxAgeSeconds: 300,
      }),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
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

  it('when a route needs a stronger or more recent sign-in than the token shows, then 401 insufficient_user_authentication with acr_values and max_age (RFC 9470)', async () => {
    const post = async (claims: Record<string, unknown>) =>
      fetch(`${base}/payouts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await t.accessToken(claims)}` },
      });
    const now = Math.floor(Date.now() / 1000);
    const challenge =
      'Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="urn:latchkey:acr:mfa", max_age="300"';
    for (const claims of [
      { auth_time: now - 10 }, // no acr at all: fail closed
      { acr: 'urn:latchkey:acr:password', auth_time: now - 10 },
    ]) {
      const res = await post(claims);
      assert.equal(res.status, 401, JSON.stringify(claims));
      assert.equal(res.headers.get('www-authenticate'), challenge);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(
        ((await res.json()) as { error: string }).error,
        'insufficient_user_authentication',
      );
    }
    for (const claims of [
      { acr: 'urn:latchkey:acr:mfa', auth_time: now - 600 },
      { acr: 'urn:latchkey:acr:mfa' }, // no auth_time: fail closed
    ]) {
      const stale = await post(claims);
      assert.equal(stale.status, 401, JSON.stringify(claims));
      assert.match(
        stale.headers.get('www-authenticate') ?? '',
        /error_description="More recent authentication is required", acr_values="urn:latchkey:acr:mfa", max_age="300"$/,
      );
    }
    const ok = await post({ acr: 'urn:latchkey:acr:mfa', auth_time: now - 10 });
    assert.equal(ok.status, 200);
    // Routes without a requirement are not touched by it.
    assert.equal((await get('/reports', `Bearer ${await t.accessToken()}`)).status, 200);
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
