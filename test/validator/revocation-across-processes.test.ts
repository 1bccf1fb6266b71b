import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';
import { freePort, tcpProxy } from '../support/tcp-proxy.js';
import { seedTokenWorld, type TokenWorld } from '../support/token-world.js';
import {
  startValidatorProcess,
  type ValidatorProcess,
  type ValidatorProcessOptions,
} from '../support/validator-process.js';

const AUDIENCE = 'https://reports-api.example';
const STALENESS_BOUND_MS = 2_000;
/**
 * How long a revocation may take to reach a validator here: the transmitter's own
 * freshness window (2 × feedPollIntervalMs + heartbeat, 3 s with the settings below),
 * the validator's staleness bound, and slack for a machine shared with other tests. A
 * validator that has not heard of it by then must at least refuse the token as
 * unavailable, never accept it.
 */
const PROPAGATION_MS = 3_000 + STALENESS_BOUND_MS + 5_000;
/** SSE reconnects back off up to 5 s; then a heartbeat, and slack. */
const RECOVERY_MS = 5_000 + STALENESS_BOUND_MS + 5_000;

/**
 * Validators in processes of their own, with nothing but the issuer URL and a receiver
 * client's credentials (no Redis, no database), learn every kind of revocation from the
 * Shared Signals transmitter; what was revoked stays revoked after Latchkey's Redis is
 * flushed and restarted; a validator that loses the stream fails closed and comes back.
 */
describe('revocations reach validators in other processes, without Redis', () => {
  let redis: OwnRedis;
  let a: LiveApp;
  let w: TokenWorld;
  const validators: ValidatorProcess[] = [];

  const validatorOptions = (): ValidatorProcessOptions => ({
    issuer: a.issuer,
    audience: AUDIENCE,
    clientId: w.receiver.id,
    clientSecret: w.receiver.secret,
    stalenessBoundMs: STALENESS_BOUND_MS,
  });
  const startValidator = async (over: Partial<ValidatorProcessOptions> = {}) => {
    const v = await startValidatorProcess({ ...validatorOptions(), ...over });
    validators.push(v);
    return v;
  };
  /** Every validator of `some` refuses the token as revoked (never accepts it meanwhile). */
  const assertRevokedEverywhere = async (some: ValidatorProcess[], token: string) => {
    for (const v of some) {
      const outcomes = await v.assertOutcomeWithin(token, 'token_revoked', PROPAGATION_MS);
      assert.ok(!outcomes.slice(1).includes('valid'), `accepted again: ${outcomes.join(' → ')}`);
    }
  };
  const assertValidEverywhere = async (some: ValidatorProcess[], token: string) => {
    for (const v of some) await v.assertOutcomeWithin(token, 'valid', PROPAGATION_MS);
  };

  before(async () => {
    redis = await startOwnRedis();
    a = await startLiveApp({
      redisUrl: redis.url,
      env: { LATCHKEY_SIGNALS_HEARTBEAT_SECONDS: '1' },
    });
    w = await seedTokenWorld(a, AUDIENCE);
  });
  after(async () => {
    for (const v of validators) await v.stop();
    await a?.close();
    await redis?.stop();
  });

  describe('two validator processes, one on the SSE stream, one polling the JSON feed', () => {
    let pair: ValidatorProcess[];
    before(async () => {
      pair = await Promise.all([startValidator(), startValidator({ delivery: 'poll' })]);
    });

    it('when one session is ended, then both refuse its token and accept the user’s other session', async () => {
      const ended = await w.signIn('alice');
      const other = await w.signIn('alice');
      await assertValidEverywhere(pair, ended.tokens.access_token);
      await a.app.sessions.end(ended.session.orgId, ended.session.id, 'admin');
      await assertRevokedEverywhere(pair, ended.tokens.access_token);
      for (const v of pair) assert.equal(await v.verify(other.tokens.access_token), 'valid');
    });

    it('when all of a user’s sessions are ended, then both refuse every token issued before, and accept one issued after', async () => {
      const first = await w.signIn('bob');
      const second = await w.signIn('bob');
      const bystander = await w.signIn('carol');
      await assertValidEverywhere(pair, first.tokens.access_token);
      await a.app.sessions.endAllForUser(w.home.orgId, first.user.id, 'admin');
      await assertRevokedEverywhere(pair, first.tokens.access_token);
      await assertRevokedEverywhere(pair, second.tokens.access_token);
      for (const v of pair) assert.equal(await v.verify(bystander.tokens.access_token), 'valid');
      // The cut-off is by issue time: the user signing in again is not cut off.
      const again = await w.signIn('bob');
      for (const v of pair) assert.equal(await v.verify(again.tokens.access_token), 'valid');
    });

    it('when all of an org’s sessions are ended, then both refuse its tokens and accept another org’s', async () => {
      const globex = await w.createOrg('globex');
      const inOrg = await w.signIn('dave', globex);
      const elsewhere = await w.signIn('erin');
      await assertValidEverywhere(pair, inOrg.tokens.access_token);
      await a.app.sessions.endAllForOrg(globex.orgId, 'admin');
      await assertRevokedEverywhere(pair, inOrg.tokens.access_token);
      for (const v of pair) assert.equal(await v.verify(elsewhere.tokens.access_token), 'valid');
    });

    it('when a client revokes its client-credentials token, then both refuse it and accept its next one', async () => {
      const revoked = await w.clientCredentials(w.codeClient);
      await assertValidEverywhere(pair, revoked);
      await w.revoke(w.codeClient, revoked);
      await assertRevokedEverywhere(pair, revoked);
      const next = await w.clientCredentials(w.codeClient);
      for (const v of pair) assert.equal(await v.verify(next), 'valid');
    });

    it('when a client revokes a refresh token, then both refuse the access token its grant issued, and accept another grant’s', async () => {
      const granted = await w.signIn('frank');
      const other = await w.signIn('frank');
      assert.ok(granted.tokens.refresh_token, 'the code client gets a refresh token');
      await assertValidEverywhere(pair, granted.tokens.access_token);
      await w.revoke(w.codeClient, granted.tokens.refresh_token);
      await assertRevokedEverywhere(pair, granted.tokens.access_token);
      for (const v of pair) assert.equal(await v.verify(other.tokens.access_token), 'valid');
    });

    it('when a client is deleted, then both refuse the tokens it obtained', async () => {
      const doomed = await w.createClient({ name: 'Doomed' });
      const token = await w.clientCredentials(doomed);
      await assertValidEverywhere(pair, token);
      await a.app.clients.remove(doomed.id, null, w.PLATFORM, w.CONTEXT);
      await assertRevokedEverywhere(pair, token);
    });

    it('when a client’s secret is rotated with no overlap, then both refuse tokens from before and accept tokens from the new secret', async () => {
      const rotated = await w.createClient({ name: 'Rotated' });
      const before = await w.clientCredentials(rotated);
      await assertValidEverywhere(pair, before);
      const { secret } = await a.app.clients.rotateSecret(
        rotated.id,
        { overlap_seconds: 0 },
        w.PLATFORM,
        w.CONTEXT,
      );
      await assertRevokedEverywhere(pair, before);
      const after = await w.clientCredentials({ id: rotated.id, secret });
      for (const v of pair) assert.equal(await v.verify(after), 'valid');
    });
  });

  it('when Redis is flushed and restarted, then tokens revoked before stay refused by running and fresh validators and by introspection', async () => {
    const running = await startValidator();
    const ended = await w.signIn('frank');
    const service = await w.clientCredentials(w.codeClient);
    const live = await w.clientCredentials(w.codeClient);
    await a.app.sessions.end(ended.session.orgId, ended.session.id, 'admin');
    await w.revoke(w.codeClient, service);
    await assertRevokedEverywhere([running], ended.tokens.access_token);
    await assertRevokedEverywhere([running], service);

    await redis.client().flushall();
    await redis.kill();
    await redis.start();

    const fresh = await startValidator();
    for (const v of [running, fresh]) {
      assert.equal(
        await v.firstDecision(ended.tokens.access_token, PROPAGATION_MS),
        'token_revoked',
      );
      assert.equal(await v.firstDecision(service, PROPAGATION_MS), 'token_revoked');
      assert.equal(await v.firstDecision(live, PROPAGATION_MS), 'valid');
    }
    assert.equal((await w.introspect(w.codeClient, ended.tokens.access_token)).active, false);
    assert.equal((await w.introspect(w.codeClient, service)).active, false);
    assert.equal((await w.introspect(w.codeClient, live)).active, true);
  });

  it('when a validator loses the stream, then it refuses tokens as unavailable after its bound (those already revoked as revoked), and accepts them again by itself once the stream is back', async () => {
    const port = await freePort();
    const proxy = tcpProxy(port, { host: '127.0.0.1', port: Number(new URL(a.issuer).port) });
    await proxy.start();
    try {
      const cut = await startValidator({ via: `http://127.0.0.1:${port}` });
      const token = await w.clientCredentials(w.codeClient);
      const revokedBefore = await w.clientCredentials(w.codeClient);
      await w.revoke(w.codeClient, revokedBefore);
      await cut.assertOutcomeWithin(revokedBefore, 'token_revoked', PROPAGATION_MS);
      await cut.assertOutcomeWithin(token, 'valid', PROPAGATION_MS);

      await proxy.stop();
      await cut.assertOutcomeWithin(token, 'validator_unavailable', RECOVERY_MS);
      assert.equal((await cut.status()).current, false);
      // What the view already holds still decides: revoked, not merely unavailable.
      assert.equal(await cut.verify(revokedBefore), 'token_revoked');
      // A revocation made while it is cut off is learnt when the stream comes back.
      const revokedMeanwhile = await w.clientCredentials(w.codeClient);
      await w.revoke(w.codeClient, revokedMeanwhile);
      assert.equal(await cut.verify(revokedMeanwhile), 'validator_unavailable');

      await proxy.start();
      await cut.assertOutcomeWithin(token, 'valid', RECOVERY_MS);
      assert.equal(await cut.verify(revokedMeanwhile), 'token_revoked');
      assert.equal((await cut.status()).current, true);
    } finally {
      await proxy.stop();
    }
  });

  it('when a validator starts while the transmitter is unreachable, then it refuses tokens as unavailable until it reaches it, then decides them', async () => {
    const port = await freePort();
    const proxy = tcpProxy(port, { host: '127.0.0.1', port: Number(new URL(a.issuer).port) });
    const token = await w.clientCredentials(w.codeClient);
    const revoked = await w.clientCredentials(w.codeClient);
    await w.revoke(w.codeClient, revoked);
    // start() resolves after the staleness bound even when nothing answers.
    const early = await startValidator({ via: `http://127.0.0.1:${port}` });
    try {
      assert.equal((await early.status()).current, false);
      assert.equal(await early.verify(token), 'validator_unavailable');
      await proxy.start();
      await early.assertOutcomeWithin(token, 'valid', RECOVERY_MS);
      assert.equal(await early.verify(revoked), 'token_revoked');
    } finally {
      await proxy.stop();
    }
  });
});
