import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import {
  createTokenValidator,
  TokenValidationError,
  type TokenValidator,
} from '../../src/validator/index.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';

/**
 * A validator trusts "no tombstone" only while Latchkey's marker says Redis holds every
 * revocation in force, loaded into this very Redis run: a Redis that lost its data or was
 * restarted (perhaps from an older snapshot) proves nothing until Latchkey reloads it.
 */
describe('token validator and the revocations-loaded marker', () => {
  let t: LiveApp;
  let redis: OwnRedis;
  let v: TokenValidator;
  const audience = 'https://reports.example';
  const prefix = 'marker-test:';
  const marker = `${prefix}eph:revocations:loaded`;

  before(async () => {
    t = await startLiveApp();
    redis = await startOwnRedis();
    v = createTokenValidator({
      issuer: t.issuer,
      audience,
      redis: { url: redis.url, keyPrefix: prefix },
    });
    await v.start();
  });
  after(async () => {
    await v.close();
    await redis.stop();
    await t.close();
  });

  const token = () => {
    const key = t.app.keyRing.signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: t.issuer,
      sub: 'user-1',
      aud: audience,
      client_id: 'lkc_test',
      jti: randomUUID(),
      sid: `sid-${randomUUID()}`,
      iat: now,
      exp: now + 300,
    })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
      .sign(key.privateKey);
  };
  const refusedAs = (work: Promise<unknown>, code: string) =>
    assert.rejects(work, (e: unknown) => e instanceof TokenValidationError && e.code === code);
  const runId = async () => /^run_id:(\w+)/m.exec(await redis.client().info('server'))![1]!;

  it('when the marker is missing, then a token without a tombstone is refused as unavailable (fail closed)', async () => {
    await redis.client().del(marker);
    await refusedAs(v.verify(await token()), 'validator_unavailable');
  });

  it('when the marker names this Redis run, then a token without a tombstone is accepted', async () => {
    await redis.client().set(marker, await runId());
    assert.equal((await v.verify(await token())).sub, 'user-1');
  });

  it('when the marker names another Redis run (an older snapshot), then it is refused as unavailable', async () => {
    await redis.client().set(marker, 'f'.repeat(40));
    await refusedAs(v.verify(await token()), 'validator_unavailable');
  });

  it('when the session has a tombstone, then it is refused as revoked whatever the marker says', async () => {
    await redis.client().del(marker);
    const revoked = await token();
    const { sid } = JSON.parse(Buffer.from(revoked.split('.')[1]!, 'base64url').toString()) as {
      sid: string;
    };
    await redis.client().set(`${prefix}eph:revoked:${sid}`, 'admin');
    await refusedAs(v.verify(revoked), 'token_revoked');
  });

  it('when Redis restarts and Latchkey has not reloaded yet, then the validator refuses; once the marker names the new run, it accepts', async () => {
    await redis.client().set(marker, await runId());
    const live = await token();
    assert.equal((await v.verify(live)).sub, 'user-1');
    await redis.save();
    await redis.kill();
    await redis.start();
    // The snapshot brought back the old run's marker.
    const fresh = await token();
    for (let i = 0; i < 100; i += 1) {
      try {
        await v.verify(fresh);
        assert.fail('accepted before the revocations were reloaded');
      } catch (error) {
        if (error instanceof TokenValidationError && error.code === 'validator_unavailable') break;
        throw error;
      }
    }
    await redis.client().set(marker, await runId());
    // The validator's lookup connection reconnects on its own backoff: give it 10 s.
    const accepted = await token();
    for (let waited = 0; ; waited += 100) {
      try {
        assert.equal((await v.verify(accepted)).sub, 'user-1');
        break;
      } catch (error) {
        const unavailable =
          error instanceof TokenValidationError && error.code === 'validator_unavailable';
        if (!unavailable || waited >= 10_000) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
});
