import assert from 'node:assert/strict';
import argon2 from 'argon2';
import { after, before, describe, it } from 'node:test';
import { createApiKeyService } from '../../src/orgs/index.js';
import {
  createSecretChecker,
  DEFAULT_SECRET_CHECK_LIMITS,
} from '../../src/platform/crypto/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { adminClient, startAdminFixture, type AdminFixture } from '../support/admin.js';

const PLATFORM = { scope: 'platform:admin' as const, keyId: 'test' };
const CONTEXT = { requestId: null, ip: '127.0.0.1', userAgent: 'api-key-cache-test' };

/** The same key id with another (well-formed) secret. */
const wrongSecretOf = (secret: string) => secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');

/**
 * Issue 12: when a valid admin API key's 60 s cache entry expired under concurrent use,
 * every request started its own argon2 check and all but maxPerCredential of them were
 * refused 503 `secret_checks_busy`. Concurrent checks of one presented key share one
 * verification, and a use near the end of an entry's life refreshes it in the background.
 */
describe('admin API key verifications: one at a time per presented key, refreshed before they expire', () => {
  let f: AdminFixture;
  const clock = createFakeClock(Date.now());
  before(async () => {
    f = await startAdminFixture({ clock });
  });
  after(async () => {
    await f.t.close();
  });

  /** A service of its own whose argon2 verifications are counted (and can be held). */
  const countedService = () => {
    const counted = {
      verifications: 0,
      hold: null as Promise<void> | null,
      entered: () => {},
      runs: [] as Array<Promise<boolean>>,
    };
    const service = createApiKeyService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock,
      cacheSeconds: 60,
      secretChecker: createSecretChecker(DEFAULT_SECRET_CHECK_LIMITS, (verifier, secret) => {
        counted.verifications += 1;
        counted.entered();
        const run = (async () => {
          if (counted.hold) await counted.hold;
          return argon2.verify(verifier, secret);
        })();
        counted.runs.push(run);
        return run;
      }),
    });
    /** Every verification started so far has finished and its outcome is stored. */
    const settled = async () => {
      await Promise.allSettled(counted.runs);
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { service, counted, settled };
  };

  const newPlatformKey = async (name: string) =>
    (await f.t.app.apiKeys.create({ orgId: null, body: { name } }, 'cli', null)).secret;

  it('when 60 requests arrive with a valid key whose cache entry just expired, then all are 2xx (no 503 secret_checks_busy)', async () => {
    const key = await newPlatformKey('busy under load');
    const admin = adminClient(f.t, key);
    assert.equal((await admin.get('/api/v1/orgs')).status, 200);
    clock.advance(60_001);
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => admin.get(`/api/v1/orgs/${f.orgA.id}`)),
    );
    assert.deepEqual(
      answers.map((res) => res.status),
      Array.from({ length: 60 }, () => 200),
    );
  });

  it('when 60 checks of a valid key whose entry expired run at once, then exactly one argon2 verification serves them all', async () => {
    const { service, counted } = countedService();
    const key = await newPlatformKey('single flight');
    assert.ok(await service.authenticate(key));
    assert.equal(counted.verifications, 1);
    clock.advance(60_001);
    const principals = await Promise.all(
      Array.from({ length: 60 }, () => service.authenticate(key)),
    );
    assert.ok(principals.every((p) => p?.scope === 'platform:admin'));
    assert.equal(counted.verifications, 2, 'one more verification for the 60 checks');
  });

  it('when a wrong secret of the same key id arrives among right ones, then it is refused and the right ones pass', async () => {
    const { service, counted } = countedService();
    const key = await newPlatformKey('wrong among right');
    clock.advance(60_001);
    const checks = Array.from({ length: 30 }, (_, i) =>
      service.authenticate(i === 15 ? wrongSecretOf(key) : key),
    );
    const principals = await Promise.all(checks);
    assert.equal(principals[15], null, 'the wrong secret did not ride on the right one');
    assert.equal(principals.filter((p) => p?.scope === 'platform:admin').length, 29);
    assert.equal(counted.verifications, 2, 'one for the right secret, one for the wrong');
    assert.equal(await service.authenticate(wrongSecretOf(key)), null, 'nor is it cached');
  });

  it('when a key is used in the last 10 s of its entry, then it answers at once and is re-verified in the background, so the entry never expires under use', async () => {
    const { service, counted, settled } = countedService();
    const key = await newPlatformKey('refresh ahead');
    assert.ok(await service.authenticate(key));
    clock.advance(45_000);
    assert.ok(await service.authenticate(key));
    assert.equal(counted.verifications, 1, 'not yet in the last 10 s: the entry answers');

    let entered = () => {};
    const refreshing = new Promise<void>((resolve) => (entered = resolve));
    counted.entered = entered;
    clock.advance(10_000);
    assert.ok(await service.authenticate(key), 'the entry answers while it is refreshed');
    await refreshing;
    assert.equal(counted.verifications, 2);
    await settled();

    clock.advance(10_000); // 65 s after the first verification: the first entry has expired.
    assert.ok(await service.authenticate(key));
    assert.equal(counted.verifications, 2, 'answered from the refreshed entry');
  });

  it('when a key is revoked while a background refresh of it waits for argon2, then the next request is refused at once and the refresh does not bring it back', async () => {
    const { service, counted, settled } = countedService();
    const key = await newPlatformKey('revoked mid-refresh');
    const principal = await service.authenticate(key);
    assert.ok(principal);

    let open = () => {};
    counted.hold = new Promise<void>((resolve) => (open = resolve));
    let entered = () => {};
    const inArgon2 = new Promise<void>((resolve) => (entered = resolve));
    counted.entered = entered;
    clock.advance(55_000);
    assert.ok(await service.authenticate(key), 'answers from the entry; a refresh starts');
    await inArgon2;

    await service.revoke(null, principal.keyId, PLATFORM, CONTEXT);
    assert.equal(await service.authenticate(key), null, 'refused right after revocation');

    open();
    await settled();
    assert.equal(await service.authenticate(key), null, 'the refresh did not re-cache it');
  });

  it('when a key is revoked in another process, then a refresh ahead of expiry notices it before the entry runs out', async () => {
    const { service, counted } = countedService();
    const key = await newPlatformKey('revoked elsewhere');
    const principal = await service.authenticate(key);
    assert.ok(principal);
    await f.t.app.apiKeys.revoke(null, principal.keyId, PLATFORM, CONTEXT);

    clock.advance(55_000);
    assert.ok(await service.authenticate(key), 'still within the cache bound');
    // The refresh reads the row in the background; the clock stands still meanwhile.
    let answer = await service.authenticate(key);
    for (let i = 0; answer !== null && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await service.authenticate(key);
    }
    assert.equal(answer, null, 'the refresh dropped the entry within the cache bound');
    assert.equal(counted.verifications, 1, 'a revoked row is refused without argon2');
  });
});
