import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifiedDomain } from '../support/federation-seed.js';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';

const LOGIN_PER_IP = 6;

/**
 * Limits fail closed: with the limiter's Redis (a server of the test's own) gone, every
 * door answers 503 before it verifies anything — a flood must not get through, nor may a
 * credential be guessed without its failures counted — and once Redis is back the doors
 * answer, and count, as before.
 */
describe('rate limits when their Redis is down', () => {
  let redis: OwnRedis;
  let f: OAuthFixture;
  let client: [string, string];
  let apiKey: string;
  /** What the login page answers a lookup of an unknown domain (its normal answer). */
  let lookupStatus: number;

  before(async () => {
    redis = await startOwnRedis();
    f = await startOAuthFixture({
      redisUrl: redis.url,
      env: {
        LATCHKEY_LIMITS_LOGIN_PER_IP_POINTS: String(LOGIN_PER_IP),
        LATCHKEY_LIMITS_TOKEN_PER_IP_POINTS: '50',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_IP: '20',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_CREDENTIAL_AND_IP: '20',
      },
    });
    await verifiedDomain(f.t, f.org.id, 'acme.example');
    const registered = await f.registerClient({ grant_types: ['client_credentials'] });
    client = [registered.client.id, registered.secret!];
    apiKey = (
      await f.t.app.apiKeys.create({ orgId: null, body: { name: 'fault test' } }, 'cli', null)
    ).secret;
  });
  after(async () => {
    await f.close();
    await redis.stop();
  });

  const wrongSecret = () =>
    f.post('/oauth/token', { grant_type: 'client_credentials' }, [client[0], 'not-the-secret']);
  /** The same key id, another secret: a well-formed key that does not verify. */
  const wrongKey = () => apiKey.replace(/_[^_]+$/, '_notthesecret');
  const adminCall = (key: string) =>
    fetch(`${f.t.issuer}/api/v1/orgs`, { headers: { authorization: `Bearer ${key}` } });
  const loginLink = () =>
    fetch(`${f.t.issuer}/login?connection=${f.connectionId}`, { redirect: 'manual' });
  const loginForm = () =>
    fetch(`${f.t.issuer}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: f.t.issuer },
      body: new URLSearchParams({ email: 'bob@acme.example' }).toString(),
    });
  /** A login page lookup that finds no org: one request of the address's budget. */
  const loginLookup = () =>
    fetch(`${f.t.issuer}/login?login_hint=someone%40nowhere.example`, { redirect: 'manual' });
  const storeUnavailable = async (door: string) => {
    const text = await f.t.app.metrics.registry.metrics();
    const line = new RegExp(
      `^latchkey_rate_limited_total\\{door="${door}",reason="store_unavailable"\\} (\\d+)$`,
      'm',
    ).exec(text);
    return line ? Number(line[1]) : 0;
  };

  it('when Redis is up, then the doors answer as usual (the baseline)', async () => {
    assert.equal((await wrongSecret()).status, 401);
    assert.equal((await adminCall(wrongKey())).status, 401);
    assert.equal((await adminCall(apiKey)).status, 200);
    lookupStatus = (await loginLookup()).status;
    assert.ok(![429, 503].includes(lookupStatus), `login lookup: ${lookupStatus}`);
  });

  it('when Redis is killed, then the token endpoint, the login doors and the admin API answer 503, and count store_unavailable', async () => {
    await redis.kill();

    const token = await wrongSecret();
    assert.equal(token.status, 503, 'a wrong client secret is not verified: 503, not 401');

    for (const [what, res] of [
      ['GET /login?connection=', await loginLink()],
      ['POST /login (verified domain)', await loginForm()],
    ] as const) {
      assert.equal(res.status, 503, `${what}: ${res.status}`);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/, `${what}: the error page`);
      assert.match(await res.text(), /<html/i, `${what}: the error page`);
    }

    const admin = await adminCall(wrongKey());
    assert.equal(admin.status, 503, 'a wrong API key in its backoff scope: 503, not 401');
    assert.match(admin.headers.get('content-type') ?? '', /json/);
    assert.equal((await adminCall(apiKey)).status, 503, 'a good key cannot spend its budget');

    assert.ok((await storeUnavailable('token')) >= 1, 'token: store_unavailable counted');
    assert.ok((await storeUnavailable('login')) >= 2, 'login: store_unavailable counted');
    // This process saw the key fail (the baseline): both calls ask its backoff, and fail there.
    assert.ok((await storeUnavailable('api_key')) >= 2, 'api_key: store_unavailable counted');
  });

  it('when Redis is back on its port, then the doors answer (and count) normally again', async () => {
    // More refused tries while it is down: they must not be held against the address later.
    for (let i = 0; i < 2 * LOGIN_PER_IP; i++)
      assert.equal((await loginLookup()).status, 503, `login ${i} while Redis is down`);

    await redis.start();
    const deadline = Date.now() + 10_000;
    let status = 503;
    while (status === 503) {
      assert.ok(Date.now() < deadline, 'the token endpoint still answers 503 after 10 s');
      await sleep(100);
      status = (await wrongSecret()).status;
    }
    assert.equal(status, 401, 'a wrong client secret is refused as such again');
    assert.equal((await adminCall(wrongKey())).status, 401);
    assert.equal((await adminCall(apiKey)).status, 200);

    // The restarted Redis is empty: the address's login budget is whole, and counted again.
    for (let i = 1; i <= LOGIN_PER_IP; i++)
      assert.equal(
        (await loginLookup()).status,
        lookupStatus,
        `login lookup ${i} of ${LOGIN_PER_IP}`,
      );
    const refused = await loginLookup();
    assert.equal(refused.status, 429, 'the budget is enforced again');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  });
});
