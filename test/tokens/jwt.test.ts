import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createFakeClock } from '../../src/platform/clock.js';
import {
  createKeyFiles,
  createKeyManager,
  createKeyRing,
  createOwnJwtVerifier,
  createSqlSigningKeyStore,
  signJwt,
  type SigningAlgorithm,
} from '../../src/tokens/index.js';
import { databaseKinds, type DatabaseHarness } from '../support/databases.js';

/**
 * Latchkey signs its own JWTs with node:crypto (fast path); jose, an independent
 * implementation, must accept every one of them, and the own-token verifier must hold
 * its ground on cached tokens.
 */
describe('signing our own JWTs', () => {
  let h: DatabaseHarness;
  let dir: string;
  const clock = createFakeClock(Date.now());
  before(async () => {
    h = await databaseKinds.pglite();
    dir = await mkdtemp(path.join(tmpdir(), 'latchkey-jwt-'));
  });
  after(async () => {
    await h.teardown();
    await rm(dir, { recursive: true, force: true });
  });

  const ringFor = async (algorithm: SigningAlgorithm) => {
    await h.db.query('DELETE FROM signing_keys');
    const store = createSqlSigningKeyStore(h.db);
    const files = createKeyFiles(path.join(dir, algorithm));
    const manager = createKeyManager({
      store,
      files,
      clock,
      settings: { algorithm, minPublishedSecondsBeforeSigning: 0, retiredPublishedSeconds: 3900 },
    });
    await manager.ensureActiveKey({ generateIfMissing: true });
    const ring = createKeyRing({ store, files, clock, retiredPublishedSeconds: 3900 });
    await ring.refresh();
    return ring;
  };

  for (const algorithm of ['ES256', 'RS256', 'EdDSA'] as const) {
    it(`when a token is signed with ${algorithm}, then jose verifies it against the published JWKS`, async () => {
      const ring = await ringFor(algorithm);
      const now = Math.floor(Date.now() / 1000);
      const token = await signJwt(ring, 'at+jwt', {
        iss: 'https://sso.test',
        sub: 'u1',
        iat: now,
        exp: now + 60,
        ünï: 'cödé',
      });
      const header = decodeProtectedHeader(token);
      assert.deepEqual(header, { alg: algorithm, kid: ring.signingKey().kid, typ: 'at+jwt' });
      const { payload } = await jwtVerify(token, createLocalJWKSet(ring.jwks()), {
        issuer: 'https://sso.test',
        typ: 'at+jwt',
        algorithms: [algorithm],
      });
      assert.equal(payload.sub, 'u1');
      assert.equal(payload['ünï'], 'cödé');
    });
  }

  it('when a cached token expires or another typ is asked for, then the verifier refuses it', async () => {
    const ring = await ringFor('ES256');
    const verify = createOwnJwtVerifier(ring);
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(ring, 'at+jwt', {
      iss: 'https://sso.test',
      sub: 'u1',
      iat: now,
      exp: now + 60,
    });
    const options = { issuer: 'https://sso.test', typ: 'at+jwt' as const, nowSeconds: now };
    assert.ok(await verify(token, options));
    assert.ok(await verify(token, options), 'second time from the cache');
    assert.equal(await verify(token, { ...options, typ: 'JWT' }), null);
    assert.equal(await verify(token, { ...options, issuer: 'https://other.test' }), null);
    assert.equal(await verify(token, { ...options, nowSeconds: now + 61 }), null);
  });
});
