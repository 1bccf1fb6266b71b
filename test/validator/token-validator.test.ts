import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, base64url, generateKeyPair, type JWK } from 'jose';
import {
  createTokenValidator,
  TokenValidationError,
  type AccessTokenClaims,
  type TokenValidator,
} from '@latchkey/validator';
import { startLiveApp, type LiveApp } from '../support/live.js';

/**
 * The validator against Latchkey's real JWKS, and tokens forged every way the RFC 8725
 * (JWT best practices) and RFC 9068 checklists name.
 */
describe('token validator', () => {
  let t: LiveApp;
  let v: TokenValidator;
  const audience = 'https://reports.example';
  let activeKid: string;
  let privateKey: CryptoKey;
  let publicJwk: JWK;

  before(async () => {
    t = await startLiveApp();
    v = createTokenValidator({ issuer: t.issuer, audience });
    const key = t.app.keyRing.signingKey();
    activeKid = key.kid;
    privateKey = key.privateKey;
    publicJwk = t.app.keyRing.jwks().keys.find((k) => k.kid === activeKid)!;
  });
  after(async () => {
    await v.close();
    await t.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({
    iss: t.issuer,
    sub: 'user-1',
    aud: audience,
    client_id: 'lkc_test',
    jti: randomUUID(),
    iat: now(),
    exp: now() + 300,
    scope: 'reports:read',
    ...over,
  });
  const sign = (
    payload: Record<string, unknown>,
    header: Record<string, unknown> = {},
    key: CryptoKey = privateKey,
  ) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: activeKid, typ: 'at+jwt', ...header })
      .sign(key);
  const rejects = async (token: string, code: string) =>
    assert.rejects(
      v.verify(token),
      (e: unknown) => e instanceof TokenValidationError && e.code === code,
    );

  it('when a token is signed by the active key with every claim, then it is accepted', async () => {
    const got = await v.verify(await sign(claims()));
    assert.equal(got.sub, 'user-1');
  });

  it('when alg is none, then it is refused', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: activeKid }));
    const body = base64url.encode(JSON.stringify(claims()));
    await rejects(`${header}.${body}.`, 'token_invalid');
  });

  it('when HS256 is signed with the public key as the secret, then it is refused', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: activeKid, typ: 'at+jwt' })
      .sign(secret);
    await rejects(forged, 'token_invalid');
    const xy = Buffer.from(`${String(publicJwk.x)}${String(publicJwk.y)}`);
    const forged2 = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: activeKid, typ: 'at+jwt' })
      .sign(xy);
    await rejects(forged2, 'token_invalid');
  });

  it('when the kid is unknown, or the key is not ours under our kid, then it is refused', async () => {
    const { privateKey: other } = await generateKeyPair('ES256');
    await rejects(await sign(claims(), { kid: 'no-such-kid' }, other), 'token_invalid');
    await rejects(await sign(claims(), {}, other), 'token_invalid');
  });

  it('when typ, iss or aud is wrong, then it is refused', async () => {
    await rejects(await sign(claims(), { typ: 'JWT' }), 'token_invalid');
    await rejects(await sign(claims({ iss: 'https://evil.example' })), 'token_invalid');
    await rejects(await sign(claims({ aud: 'https://other-service.example' })), 'token_invalid');
  });

  it('when a required claim is missing, then it is refused', async () => {
    for (const missing of ['exp', 'iat', 'jti', 'sub', 'client_id']) {
      const c = claims();
      delete (c as Record<string, unknown>)[missing];
      await rejects(await sign(c), 'token_invalid');
    }
  });

  it('when the token expired, then token_expired; when the payload was altered, then token_invalid', async () => {
    await rejects(await sign(claims({ iat: now() - 900, exp: now() - 600 })), 'token_expired');
    const good = await sign(claims());
    const [h, , s] = good.split('.');
    const altered = base64url.encode(JSON.stringify(claims({ sub: 'admin' })));
    await rejects(`${h}.${altered}.${s}`, 'token_invalid');
  });

  it('when a token lives longer than maxTokenLifetimeSeconds, then it is refused', async () => {
    await rejects(await sign(claims({ exp: now() + 3600 + 300 })), 'token_invalid');
  });

  it('when there is no token or not a JWT, then it is refused with its own code', async () => {
    await rejects('', 'token_missing');
    await rejects('opaque-token', 'token_malformed');
  });

  it('when used as Express middleware, then 401 with WWW-Authenticate, 403 for a missing scope, next() when valid', async () => {
    const run = async (authorization: string | undefined, scopes?: string[]) => {
      const req: { headers: Record<string, string | undefined>; auth?: AccessTokenClaims } = {
        headers: { authorization },
      };
      let status = 0;
      let headers: Record<string, string> = {};
      let nextCalled = false;
      await v.middleware({ scopes })(
        req,
        {
          status(code) {
            status = code;
            return {
              set(h) {
                headers = h;
                return { json: () => undefined };
              },
            };
          },
        },
        () => (nextCalled = true),
      );
      return { status, headers, nextCalled, req };
    };
    const ok = await run(`Bearer ${await sign(claims())}`, ['reports:read']);
    assert.equal(ok.nextCalled, true);
    assert.ok(ok.req.auth);
    const missing = await run(undefined);
    assert.equal(missing.status, 401);
    assert.match(missing.headers['WWW-Authenticate']!, /^Bearer/);
    const bad = await run('Bearer x.y.z');
    assert.equal(bad.status, 401);
    assert.match(bad.headers['WWW-Authenticate']!, /error="invalid_token"/);
    const scope = await run(`Bearer ${await sign(claims())}`, ['reports:write']);
    assert.equal(scope.status, 403);
  });
});
