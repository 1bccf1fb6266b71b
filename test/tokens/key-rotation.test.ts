import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { createFakeClock } from '../../src/platform/clock.js';
import { isAppError } from '../../src/platform/errors.js';
import {
  createKeyFiles,
  createKeyManager,
  createKeyRing,
  createSqlSigningKeyStore,
  type ActiveSigningKey,
  type KeyFiles,
  type KeyLifecycleSettings,
  type KeyManager,
  type KeyRing,
  type SigningKeyStore,
} from '../../src/tokens/index.js';
import { databaseKinds, type DatabaseHarness } from '../support/databases.js';

const SETTINGS: KeyLifecycleSettings = {
  algorithm: 'ES256',
  minPublishedSecondsBeforeSigning: 3600,
  retiredPublishedSeconds: 3900,
};
const SECOND = 1000;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

/** Awaits promise and asserts it rejects with an AppError of this code. */
async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('signing key rotation (postgres)', () => {
  let harness: DatabaseHarness;
  let keysDir: string;
  let clock: ReturnType<typeof createFakeClock>;
  let store: SigningKeyStore;
  let files: KeyFiles;
  let manager: KeyManager;
  let ring: KeyRing;

  const kidsIn = (jwks: { keys: Array<{ kid?: string }> }) => jwks.keys.map((k) => k.kid).sort();
  const stateOf = async (kid: string) => (await store.get(kid))?.state;
  /** An active key, made the way a development start makes it, loaded into the ring. */
  const startWithActiveKey = async () => {
    await manager.ensureActiveKey({ generateIfMissing: true });
    await ring.refresh();
    return ring.signingKey().kid;
  };

  before(async () => {
    harness = await databaseKinds.postgres();
    store = createSqlSigningKeyStore(harness.db);
  });
  after(async () => {
    await harness.teardown();
  });

  // Each test starts from an empty store, an empty keys folder and its own clock.
  beforeEach(async () => {
    await harness.db.query('DELETE FROM signing_keys');
    if (keysDir) await rm(keysDir, { recursive: true, force: true });
    keysDir = await mkdtemp(path.join(tmpdir(), 'latchkey-rotation-'));
    clock = createFakeClock();
    files = createKeyFiles(keysDir);
    manager = createKeyManager({ store, files, clock, settings: SETTINGS });
    ring = createKeyRing({
      store,
      files,
      clock,
      retiredPublishedSeconds: SETTINGS.retiredPublishedSeconds,
    });
  });
  after(async () => {
    if (keysDir) await rm(keysDir, { recursive: true, force: true });
  });

  describe('add', () => {
    it('when a key is added, then it is next and published while the previous active key still signs', async () => {
      const activeKid = await startWithActiveKey();
      clock.advance(10 * SECOND);

      const added = await manager.add();
      assert.equal(added.state, 'next');
      assert.notEqual(added.kid, activeKid);
      assert.equal(await stateOf(added.kid), 'next');
      const listed = (await manager.list()).find((k) => k.kid === added.kid);
      assert.equal(listed?.published, true);
      assert.equal(listed?.publishedUntil, null);

      await ring.refresh();
      assert.deepEqual(kidsIn(ring.jwks()), [activeKid, added.kid].sort());
      assert.equal(ring.signingKey().kid, activeKid);

      const entry = ring.jwks().keys.find((k) => k.kid === added.kid);
      assert.ok(entry);
      for (const member of PRIVATE_MEMBERS)
        assert.equal(member in entry, false, `JWKS entry has ${member}`);
      assert.equal(entry.alg, 'ES256');
      assert.equal(entry.use, 'sig');

      const file = files.pathOf(added.kid);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const privateJwk = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      assert.equal(typeof privateJwk.d, 'string');
      assert.equal(privateJwk.kid, added.kid);
    });
  });

  describe('promote', () => {
    it('when a next key has not been published long enough, then promote is refused and nothing changes', async () => {
      const activeKid = await startWithActiveKey();
      const added = await manager.add();
      await rejectsWithCode(manager.promote(added.kid), 'key_not_published_long_enough');
      clock.advance((SETTINGS.minPublishedSecondsBeforeSigning - 1) * SECOND);
      await rejectsWithCode(manager.promote(added.kid), 'key_not_published_long_enough');
      assert.equal(await stateOf(added.kid), 'next');
      assert.equal(await stateOf(activeKid), 'active');
    });

    it('when a next key has been published long enough, then promote is allowed', async () => {
      const activeKid = await startWithActiveKey();
      const added = await manager.add();
      clock.advance(SETTINGS.minPublishedSecondsBeforeSigning * SECOND);
      assert.deepEqual(await manager.promote(added.kid), { previousKid: activeKid });
      assert.equal(await stateOf(added.kid), 'active');
    });

    it('when promote is forced, then a freshly added key may sign at once', async () => {
      const activeKid = await startWithActiveKey();
      const added = await manager.add();
      assert.deepEqual(await manager.promote(added.kid, { force: true }), {
        previousKid: activeKid,
      });
      assert.equal(await stateOf(added.kid), 'active');
    });

    it('when a key is promoted, then it signs and the old key is retired but still published', async () => {
      const oldKid = await startWithActiveKey();
      const added = await manager.add();
      clock.advance(SETTINGS.minPublishedSecondsBeforeSigning * SECOND);
      await manager.promote(added.kid);

      await ring.refresh();
      assert.equal(ring.signingKey().kid, added.kid);
      const old = await store.get(oldKid);
      assert.equal(old?.state, 'retired');
      assert.equal(old?.retiredAt?.getTime(), clock.nowMs());
      assert.deepEqual(kidsIn(ring.jwks()), [oldKid, added.kid].sort());
      const listedOld = (await manager.list()).find((k) => k.kid === oldKid);
      assert.equal(listedOld?.published, true);
      assert.equal(
        listedOld?.publishedUntil?.getTime(),
        clock.nowMs() + SETTINGS.retiredPublishedSeconds * SECOND,
      );
    });

    it('when a retired or unknown key is promoted, then it is refused', async () => {
      const oldKid = await startWithActiveKey();
      const added = await manager.add();
      await manager.promote(added.kid, { force: true });
      await rejectsWithCode(manager.promote(oldKid, { force: true }), 'key_state_invalid');
      await rejectsWithCode(manager.promote(added.kid, { force: true }), 'key_state_invalid');
      await rejectsWithCode(
        manager.promote('unknown-key-0000000000', { force: true }),
        'key_not_found',
      );
      assert.equal(await stateOf(oldKid), 'retired');
      assert.equal(await stateOf(added.kid), 'active');
    });

    it('when the private key file of a next key is missing, then promote is refused', async () => {
      const activeKid = await startWithActiveKey();
      const added = await manager.add();
      await rm(files.pathOf(added.kid));
      clock.advance(SETTINGS.minPublishedSecondsBeforeSigning * SECOND);
      await rejectsWithCode(manager.promote(added.kid), 'key_material_missing');
      await rejectsWithCode(manager.promote(added.kid, { force: true }), 'key_material_missing');
      assert.equal(await stateOf(added.kid), 'next');
      assert.equal(await stateOf(activeKid), 'active');
    });
  });

  describe('retire', () => {
    it('when the active key is retired, then it is refused and it keeps signing', async () => {
      const activeKid = await startWithActiveKey();
      await rejectsWithCode(manager.retire(activeKid), 'key_state_invalid');
      assert.equal(await stateOf(activeKid), 'active');
    });

    it('when a next key is retired, then it is retired and can no longer be promoted', async () => {
      const activeKid = await startWithActiveKey();
      const added = await manager.add();
      await manager.retire(added.kid);
      assert.equal(await stateOf(added.kid), 'retired');
      clock.advance(SETTINGS.minPublishedSecondsBeforeSigning * SECOND);
      await rejectsWithCode(manager.promote(added.kid), 'key_state_invalid');
      assert.equal(await stateOf(activeKid), 'active');
    });

    it('when an unknown key is retired, then it is refused as not found', async () => {
      await startWithActiveKey();
      await rejectsWithCode(manager.retire('unknown-key-0000000000'), 'key_not_found');
    });
  });

  describe('publication window and prune', () => {
    it('when a retired key outlives retiredPublishedSeconds, then it leaves the JWKS and prune removes it and its file only', async () => {
      const first = await startWithActiveKey();
      const second = (await manager.add()).kid;
      await manager.promote(second, { force: true }); // first retired now
      const firstRetiredAt = clock.nowMs();
      clock.advance(1000 * SECOND);
      const third = (await manager.add()).kid;
      await manager.promote(third, { force: true }); // second retired 1000 s later

      clock.set(firstRetiredAt + (SETTINGS.retiredPublishedSeconds - 1) * SECOND);
      await ring.refresh();
      assert.deepEqual(kidsIn(ring.jwks()), [first, second, third].sort());
      assert.deepEqual(await manager.prune(), []);

      clock.set(firstRetiredAt + (SETTINGS.retiredPublishedSeconds + 1) * SECOND);
      await ring.refresh();
      assert.deepEqual(kidsIn(ring.jwks()), [second, third].sort());
      assert.equal((await manager.list()).find((k) => k.kid === first)?.published, false);

      assert.deepEqual(await manager.prune(), [first]);
      assert.equal(await store.get(first), null);
      assert.equal(existsSync(files.pathOf(first)), false);
      assert.equal(await stateOf(second), 'retired');
      assert.equal(existsSync(files.pathOf(second)), true);
      assert.equal(await stateOf(third), 'active');
      assert.equal(existsSync(files.pathOf(third)), true);
      assert.deepEqual(await manager.prune(), []);
    });
  });

  describe('ensureActiveKey', () => {
    it('when no key is active and generating is off, then it is refused and nothing is created', async () => {
      await rejectsWithCode(
        manager.ensureActiveKey({ generateIfMissing: false }),
        'no_active_signing_key',
      );
      assert.deepEqual(await manager.list(), []);
    });

    it('when no key is active and generating is on, then exactly one active key exists, also after a second call', async () => {
      await manager.ensureActiveKey({ generateIfMissing: true });
      const keys = await manager.list();
      assert.equal(keys.length, 1);
      assert.equal(keys[0]!.state, 'active');
      assert.equal(existsSync(files.pathOf(keys[0]!.kid)), true);

      await manager.ensureActiveKey({ generateIfMissing: true });
      await manager.ensureActiveKey({ generateIfMissing: false });
      assert.deepEqual(
        (await manager.list()).map((k) => [k.kid, k.state]),
        [[keys[0]!.kid, 'active']],
      );
    });
  });

  describe('tokens', () => {
    const sign = async (key: ActiveSigningKey) =>
      new SignJWT({ sub: 'user-1' })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer('http://localhost:3000')
        .setIssuedAt(Math.floor(clock.nowMs() / 1000))
        .setExpirationTime(Math.floor(clock.nowMs() / 1000) + 3600)
        .sign(key.privateKey);
    /** Verifies against the JWKS as published now, checking the claims as of `at`. */
    const verify = (token: string, at: Date = clock.now()) =>
      jwtVerify(token, createLocalJWKSet(ring.jwks()), {
        issuer: 'http://localhost:3000',
        currentDate: at,
      });

    it('when a token is signed with the active key, then it verifies against the published JWKS', async () => {
      const kid = await startWithActiveKey();
      const token = await sign(ring.signingKey());
      const { payload, protectedHeader } = await verify(token);
      assert.equal(payload.sub, 'user-1');
      assert.equal(protectedHeader.kid, kid);
    });

    it('when the signing key is rotated, then tokens of the old key verify until it is unpublished', async () => {
      const oldKid = await startWithActiveKey();
      const signedAt = clock.now();
      const oldToken = await sign(ring.signingKey());
      const added = await manager.add();
      await manager.promote(added.kid, { force: true });
      await ring.refresh();
      const newToken = await sign(ring.signingKey());
      assert.equal((await verify(newToken)).protectedHeader.kid, added.kid);
      assert.equal((await verify(oldToken)).protectedHeader.kid, oldKid);

      clock.advance((SETTINGS.retiredPublishedSeconds + 1) * SECOND);
      await ring.refresh();
      // Claims checked as of signing, so only the key lookup can fail.
      await assert.rejects(verify(oldToken, signedAt), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'ERR_JWKS_NO_MATCHING_KEY');
        return true;
      });
    });
  });
});
