import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';
import { auditRowsOf, expectThrottled, waitUntilAdmitted } from '../support/rate-limits.js';

/**
 * The OAuth form endpoints' doors (config limits.*): the token endpoint per address and
 * per client, introspection and revocation per client, and the backoff of failed client
 * secrets per client × address, per address and per client.
 */
describe('Rate limits: token, introspection and revocation endpoints', () => {
  let f: OAuthFixture;
  let seq = 0;
  /** A fresh address of its own for each caller that must not share another's budget. */
  const freshIp = () => `198.51.100.${(seq += 1)}`;

  const form = (
    path: string,
    params: Record<string, string>,
    options: { basic: [string, string]; ip: string },
  ) =>
    fetch(`${f.t.issuer}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': options.ip,
        authorization: `Basic ${Buffer.from(`${options.basic[0]}:${options.basic[1]}`).toString('base64')}`,
      },
      body: new URLSearchParams(params).toString(),
    });
  const clientCredentials = (basic: [string, string], ip: string) =>
    form('/oauth/token', { grant_type: 'client_credentials' }, { basic, ip });
  const machineClient = async () => {
    const { client, secret } = await f.registerClient({
      grant_types: ['client_credentials'],
      redirect_uris: [],
      post_logout_redirect_uris: [],
    });
    return [client.id, secret] as [string, string];
  };

  before(async () => {
    f = await startOAuthFixture({
      env: {
        LATCHKEY_SERVER_TRUST_PROXY: 'true',
        LATCHKEY_LIMITS_TOKEN_PER_IP_POINTS: '20',
        LATCHKEY_LIMITS_TOKEN_PER_IP_WINDOW_SECONDS: '3',
        LATCHKEY_LIMITS_TOKEN_PER_CLIENT_POINTS: '30',
        LATCHKEY_LIMITS_TOKEN_PER_CLIENT_WINDOW_SECONDS: '10',
        LATCHKEY_LIMITS_INTROSPECTION_PER_CLIENT_POINTS: '3',
        LATCHKEY_LIMITS_INTROSPECTION_PER_CLIENT_WINDOW_SECONDS: '10',
        LATCHKEY_LIMITS_REVOCATION_PER_CLIENT_POINTS: '3',
        LATCHKEY_LIMITS_REVOCATION_PER_CLIENT_WINDOW_SECONDS: '10',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_CREDENTIAL_AND_IP: '3',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_IP: '12',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_ATTEMPTS_PER_CREDENTIAL: '8',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_WINDOW_SECONDS: '60',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_BACKOFF_BASE_SECONDS: '1',
        LATCHKEY_LIMITS_FAILED_CREDENTIALS_BACKOFF_CAP_SECONDS: '2',
      },
    });
  });
  after(async () => {
    await f?.close();
  });

  it('when one address spends the token budget, then it gets 429 in OAuth style with the RateLimit headers, another address does not, and the window resets', async () => {
    const client = await machineClient();
    const ip = freshIp();
    const admitted = await Promise.all(
      Array.from({ length: 20 }, () => clientCredentials(client, ip).then((r) => r.status)),
    );
    assert.deepEqual(new Set(admitted), new Set([200]), 'the budget of 20 admitted');
    const refused = await clientCredentials(client, ip);
    await expectThrottled(refused, { policy: 'token-ip', points: 20, window: 3, style: 'oauth' });
    assert.equal((await clientCredentials(client, freshIp())).status, 200, 'another address');
    await waitUntilAdmitted(() => clientCredentials(client, ip), 'the address after its window');
    const rows = await auditRowsOf(f.t, 'security.rate_limited');
    assert.equal(
      rows.filter((r) => r.data.policy === 'token-ip' && r.target_id === ip).length,
      1,
      'one audit event for the throttled address, however many refusals',
    );
  });

  it('when one client spends its token budget from many addresses, then it alone is refused', async () => {
    const client = await machineClient();
    for (let i = 0; i < 30; i += 1)
      assert.equal((await clientCredentials(client, freshIp())).status, 200, `request ${i + 1}`);
    await expectThrottled(await clientCredentials(client, freshIp()), {
      policy: 'token-client',
      points: 30,
      window: 10,
      style: 'oauth',
    });
    const other = await machineClient();
    assert.equal((await clientCredentials(other, freshIp())).status, 200, 'another client');
  });

  it('when a client spends its introspection or revocation budget, then it is refused there and another client is not', async () => {
    const client = await machineClient();
    const other = await machineClient();
    const tokenOf = async (of: [string, string]) =>
      ((await (await clientCredentials(of, freshIp())).json()) as { access_token: string })
        .access_token;
    const token = await tokenOf(client);
    const otherToken = await tokenOf(other);
    for (const [path, policy] of [
      ['/oauth/introspect', 'introspection-client'],
      ['/oauth/revoke', 'revocation-client'],
    ] as const) {
      for (let i = 0; i < 3; i += 1)
        assert.equal(
          (await form(path, { token }, { basic: client, ip: freshIp() })).status,
          200,
          `${path} ${i + 1}`,
        );
      await expectThrottled(await form(path, { token }, { basic: client, ip: freshIp() }), {
        policy,
        points: 3,
        window: 10,
        style: 'oauth',
      });
      assert.equal(
        (await form(path, { token: otherToken }, { basic: other, ip: freshIp() })).status,
        200,
        `${path}: another client`,
      );
    }
  });

  it('when wrong secrets are tried from one address, then that address backs off exponentially, the owner elsewhere is unaffected, and a correct secret is accepted after the backoff', async () => {
    const client = await machineClient();
    const wrong: [string, string] = [client[0], 'A'.repeat(43)];
    const attacker = freshIp();
    for (let i = 0; i < 3; i += 1)
      assert.equal((await clientCredentials(wrong, attacker)).status, 401, `failure ${i + 1}`);
    // The third failure started a 1 s backoff: even the right secret waits from there.
    const during = await clientCredentials(client, attacker);
    await expectThrottled(during, {
      policy: 'client_secret-credential-ip-backoff',
      points: 3,
      window: 60,
      style: 'oauth',
      maxRetryAfter: 1,
    });
    assert.equal((await clientCredentials(client, freshIp())).status, 200, 'the owner elsewhere');
    await waitUntilAdmitted(() => clientCredentials(client, attacker), 'after the 1 s backoff');

    // The success forgave the pair; three failures start 1 s again, the next one 2 s.
    for (let i = 0; i < 3; i += 1)
      assert.equal((await clientCredentials(wrong, attacker)).status, 401, `again ${i + 1}`);
    await sleep(1100);
    assert.equal((await clientCredentials(wrong, attacker)).status, 401, 'checked after 1 s');
    const doubled = await clientCredentials(wrong, attacker);
    assert.equal(doubled.status, 429, 'refused unchecked during the 2 s backoff');
    assert.equal(doubled.headers.get('retry-after'), '2', 'the backoff doubled');
  });

  it('when wrong secrets come from many addresses, then the client is held for one step at a time, never longer', async () => {
    const client = await machineClient();
    const wrong: [string, string] = [client[0], 'B'.repeat(43)];
    for (let i = 0; i < 8; i += 1)
      assert.equal((await clientCredentials(wrong, freshIp())).status, 401, `failure ${i + 1}`);
    const owner = freshIp();
    await expectThrottled(await clientCredentials(client, owner), {
      policy: 'client_secret-credential-backoff',
      points: 8,
      window: 60,
      style: 'oauth',
      maxRetryAfter: 1,
    });
    await waitUntilAdmitted(() => clientCredentials(client, owner), 'the owner after one step');
  });

  it('when one address sprays wrong secrets at many clients, then the address is refused even with a right secret', async () => {
    const sprayer = freshIp();
    for (let i = 0; i < 12; i += 1) {
      const res = await clientCredentials([`unknown-client-${i}`, 'C'.repeat(43)], sprayer);
      assert.equal(res.status, 401, `spray ${i + 1}`);
    }
    const client = await machineClient();
    await expectThrottled(await clientCredentials(client, sprayer), {
      policy: 'client_secret-ip-backoff',
      points: 12,
      window: 60,
      style: 'oauth',
    });
    assert.equal((await clientCredentials(client, freshIp())).status, 200, 'another address');
  });
});
