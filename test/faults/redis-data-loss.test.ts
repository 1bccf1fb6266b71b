import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as oidc from 'openid-client';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';
import { startValidatorProcess } from '../support/validator-process.js';

const AUDIENCE = 'https://ads-api.example';

/**
 * The invariant: nothing revoked comes back. Redis holds sessions and the fast copy of the
 * revocations; PostgreSQL holds the revocations durably. Here Redis (a server of the
 * test's own) loses its data or goes back to an older snapshot after sessions were
 * ended, and every door must still refuse them: introspection, the account page, and a
 * validator (receiving revocations from the Shared Signals transmitter, with no access to
 * Redis) in a process started after the restart.
 */
describe('revocations survive the loss of Redis data', () => {
  let redis: OwnRedis;
  let f: OAuthFixture;
  let rp: oidc.Configuration;
  let introspector: [string, string];
  let receiver: [string, string];

  before(async () => {
    redis = await startOwnRedis();
    f = await startOAuthFixture({ redisUrl: redis.url });
    const app = await f.registerClient({ allowed_audiences: [AUDIENCE] });
    rp = await f.relyingParty(app.client, app.secret);
    introspector = [app.client.id, app.secret!];
    const ssf = await f.registerClient({
      name: 'Validator',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      post_logout_redirect_uris: [],
      allowed_scopes: ['ssf'],
      allowed_audiences: [`${f.t.issuer}/ssf`],
    });
    receiver = [ssf.client.id, ssf.secret!];
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
    await redis.stop();
  });

  const signedIn = async () => {
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token, { resource: AUDIENCE });
    return { session, sessionToken: token, tokens };
  };

  /** Introspection's answer once Latchkey answers at all (a 503 while it reloads is fine). */
  const introspection = async (token: string) => {
    for (let i = 0; i < 100; i += 1) {
      const res = await f.post('/oauth/introspect', { token }, introspector);
      if (res.status === 200) return (await res.json()) as { active: boolean };
      assert.equal(res.status, 503, `introspection answered ${res.status}`);
      await sleep(50);
    }
    throw new Error('introspection never answered');
  };

  /** The account page for a session cookie, once Latchkey answers at all. */
  const accountPage = async (sessionToken: string) => {
    for (let i = 0; i < 100; i += 1) {
      const res = await fetch(`${f.t.issuer}/account`, {
        headers: { cookie: `latchkey=${sessionToken}` },
        redirect: 'manual',
      });
      if (res.status !== 503) return res;
      await sleep(50);
    }
    throw new Error('the account page never answered');
  };

  /** What a validator started now, in a process of its own (no Redis), decides of the token. */
  const freshValidator = async (token: string) => {
    const v = await startValidatorProcess({
      issuer: f.t.issuer,
      audience: AUDIENCE,
      clientId: receiver[0],
      clientSecret: receiver[1],
      stalenessBoundMs: 2_000,
    });
    try {
      return await v.firstDecision(token, 15_000);
    } finally {
      await v.stop();
    }
  };

  const assertRefusedEverywhere = async (
    ended: Awaited<ReturnType<typeof signedIn>>,
    what: string,
  ) => {
    assert.equal((await introspection(ended.tokens.access_token)).active, false, what);
    assert.equal((await introspection(ended.tokens.refresh_token!)).active, false, what);
    const account = await accountPage(ended.sessionToken);
    assert.equal(account.status, 303, `${what}: the account page sends the browser to sign in`);
    assert.match(account.headers.get('location') ?? '', /^\/login/);
    assert.equal(await freshValidator(ended.tokens.access_token), 'token_revoked', what);
  };

  it('when Redis restarts empty after a session ended, then introspection, the account page and a new validator refuse it', async () => {
    const ended = await signedIn();
    const live = await signedIn();
    await f.t.app.sessions.end(f.org.id, ended.session.id, 'admin');

    await redis.kill();
    await redis.start();

    await assertRefusedEverywhere(ended, 'after an empty restart');
    // What was never revoked is simply gone with Redis's data (sessions live only there).
    assert.equal((await introspection(live.tokens.refresh_token!)).active, false);
  });

  it('when Redis restarts from a snapshot taken before the session ended, then the session stays ended', async () => {
    const ended = await signedIn();
    const kept = await signedIn();
    await redis.save();
    await f.t.app.sessions.end(f.org.id, ended.session.id, 'admin');

    await redis.kill();
    await redis.start();

    await assertRefusedEverywhere(ended, 'after a restart from an older snapshot');
    assert.equal(await f.t.app.sessions.get(f.org.id, ended.session.id), null);
    // The sessions in the snapshot that nobody ended are as they were.
    assert.equal((await introspection(kept.tokens.access_token)).active, true);
    assert.ok(await f.t.app.sessions.get(f.org.id, kept.session.id));
  });

  it('when Redis is flushed while connected, then the sweep restores the revocations and a new validator refuses the token', async () => {
    const ended = await signedIn();
    await f.t.app.sessions.end(f.org.id, ended.session.id, 'admin');
    const admin = redis.client();
    await admin.flushall();
    await assertRefusedEverywhere(ended, 'after FLUSHALL');
  });

  it('when an access token without a session was revoked and Redis restarts empty, then introspection still says inactive', async () => {
    const service = await oidc.clientCredentialsGrant(rp, { resource: AUDIENCE });
    assert.equal((await introspection(service.access_token)).active, true);
    await oidc.tokenRevocation(rp, service.access_token);
    assert.equal((await introspection(service.access_token)).active, false);

    await redis.kill();
    await redis.start();

    assert.equal((await introspection(service.access_token)).active, false);
  });
});
