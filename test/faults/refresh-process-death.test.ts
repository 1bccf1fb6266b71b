import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as oidc from 'openid-client';
import { sha256Hex } from '../../src/platform/crypto/index.js';
import { startLatchkeyProcess, type LatchkeyProcess } from '../support/latchkey-process.js';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';
import { freePort, tcpProxy } from '../support/tcp-proxy.js';

const GRACE_SECONDS = 3;

/**
 * Nobody is signed out by a fault: a refresh spends its token before it answers, so a
 * process that dies in between, or an answer lost on the way, leaves the client holding a
 * spent token. Its retry within the grace window must succeed and keep the session; a
 * replay after the window must still end it (RFC 9700 §4.14.2). Three Latchkey processes
 * share PostgreSQL and Redis; one of them is killed in the middle of a refresh.
 */
describe('refresh across process deaths and lost answers', () => {
  let f: OAuthFixture;
  let doomed: LatchkeyProcess;
  let b: LatchkeyProcess;
  let c: LatchkeyProcess;
  let proxy: ReturnType<typeof tcpProxy>;
  let client: [string, string];
  let rp: oidc.Configuration;
  const env = { LATCHKEY_TOKENS_REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS) };

  before(async () => {
    f = await startOAuthFixture({ env });
    const app = await f.registerClient();
    client = [app.client.id, app.secret!];
    rp = await f.relyingParty(app.client, app.secret);
    // The process to be killed reaches PostgreSQL through a proxy the test can stall, so
    // it can be caught after it spent a token and before it answered.
    const port = await freePort();
    proxy = tcpProxy(port, { host: '127.0.0.1', port: 5432 });
    await proxy.start();
    const viaProxy = new URL(f.t.database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    [doomed, b, c] = await Promise.all([
      startLatchkeyProcess(f.t, { ...env, DATABASE_URL: viaProxy.toString() }),
      startLatchkeyProcess(f.t, env),
      startLatchkeyProcess(f.t, env),
    ]);
  });
  after(async () => {
    await doomed.kill();
    await b.stop();
    await c.stop();
    await proxy.stop();
    await f.close();
  });

  const refreshForm = (token: string) =>
    new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString();
  const authorization = () =>
    `Basic ${Buffer.from(`${client[0]}:${client[1]}`).toString('base64')}`;
  const refresh = async (base: string, token: string) => {
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: authorization(),
      },
      body: refreshForm(token),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  /** Sends a refresh and hangs up at once: the server does the work, the answer is lost. */
  const refreshAndHangUp = (base: string, token: string) =>
    new Promise<void>((resolve) => {
      const body = refreshForm(token);
      const req = request(`${base}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          authorization: authorization(),
        },
      });
      req.on('error', () => resolve());
      req.end(body, () => {
        req.destroy();
        resolve();
      });
    });
  const spent = async (token: string) =>
    (await f.t.redis.client.exists(`${f.t.redis.keyPrefix}eph:rtu:{${sha256Hex(token)}}`)) === 1;
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i += 1) {
      if (await check()) return;
      await sleep(25);
    }
    throw new Error(`never: ${what}`);
  };
  const sessionLives = async (sid: string) => (await f.t.app.sessions.get(f.org.id, sid)) !== null;

  it('when the process refreshing a token is killed, then the retry on another process succeeds and the session lives', async () => {
    f.syncClock();
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    // Warm the doomed process (client, user and org read), so that with PostgreSQL stalled
    // it gets as far as spending the token and writing the audit event.
    const warm = await refresh(doomed.url, tokens.refresh_token!);
    assert.equal(warm.status, 200);
    const held = warm.body.refresh_token!;

    proxy.stall();
    const lost = fetch(`${doomed.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: authorization(),
      },
      body: refreshForm(held),
    }).catch((error: unknown) => error);
    await until('the doomed process spent the token', () => spent(held));
    await doomed.kill();
    assert.ok((await lost) instanceof Error, 'the client never got an answer');
    proxy.resume();

    const retry = await refresh(b.url, held);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.ok(await sessionLives(session.id), 'the session lives');
    const next = await refresh(c.url, retry.body.refresh_token!);
    assert.equal(next.status, 200, 'and its successor works on any process');
  });

  it('when a refresh answer is lost, then the retry within the window succeeds, and a replay after the window ends the session', async () => {
    f.syncClock();
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    const held = tokens.refresh_token!;

    await refreshAndHangUp(b.url, held);
    await until('the rotation happened', () => spent(held));
    const retry = await refresh(c.url, held);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.ok(await sessionLives(session.id), 'the session lives');

    await sleep(GRACE_SECONDS * 1000 + 500);
    f.syncClock();
    const replay = await refresh(b.url, held);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(await sessionLives(session.id), false, 'a replay after the window ends it');
    assert.equal((await refresh(c.url, retry.body.refresh_token!)).status, 400);
  });
});
