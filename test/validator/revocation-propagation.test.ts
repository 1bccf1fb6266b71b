import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { s256 } from '../../src/tokens/oauth-service.js';
import {
  createTokenValidator,
  TokenValidationError,
  type RevocationFeedOptions,
  type TokenValidator,
} from '@latchkey/validator';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { startLatchkeyProcess, type LatchkeyProcess } from '../support/latchkey-process.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

async function eventually(check: () => Promise<void>, attempts = 100): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await check();
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(50);
    }
  }
}

describe('revocation reaches every Latchkey process and every validator', () => {
  let a: LiveApp;
  let b: LatchkeyProcess;
  let validators: TokenValidator[];
  let client: { id: string; secret: string };
  let receiver: RevocationFeedOptions;
  let world: { orgId: string; connectionId: string };
  const audience = 'https://ads-api.example';

  before(async () => {
    a = await startLiveApp();
    b = await startLatchkeyProcess(a);
    const org = await a.app.orgs.create({ slug: 'acme', name: 'Acme' }, platform, ctx);
    const connectionId = randomUUID();
    await a.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'test', 'active', '{}', now(), now())`,
      [connectionId, org.id],
    );
    const created = await a.app.clients.create(
      {
        name: 'Ads console',
        type: 'confidential',
        redirect_uris: ['http://127.0.0.1:9/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
        allowed_audiences: [audience],
      },
      platform,
      ctx,
    );
    client = { id: created.client.id, secret: created.secret! };
    const ssf = await a.app.clients.create(
      {
        name: 'Ads API validator',
        type: 'confidential',
        redirect_uris: [],
        grant_types: ['client_credentials'],
        allowed_scopes: ['ssf'],
        allowed_audiences: [`${a.issuer}/ssf`],
      },
      platform,
      ctx,
    );
    receiver = { clientId: ssf.client.id, clientSecret: ssf.secret!, stalenessBoundMs: 2_000 };
    validators = [0, 1].map(() =>
      createTokenValidator({ issuer: a.issuer, audience, revocations: receiver }),
    );
    for (const v of validators) await v.start();
    world = { orgId: org.id, connectionId };
  });

  after(async () => {
    for (const v of validators) await v.close();
    await b.stop();
    await a.close();
  });

  /** A signed-in user with an access token and an ID token, through the code flow on A. */
  async function signIn(subject: string) {
    const { orgId, connectionId } = world;
    const { user } = await a.app.users.provisionFromIdentity(
      {
        orgId,
        connectionId,
        subject,
        email: `${subject}@acme.test`,
        emailVerified: true,
        name: subject,
      },
      ctx,
    );
    const { token: cookie, session } = await a.app.sessions.open(
      {
        userId: user.id,
        orgId,
        connectionId,
        amr: ['pwd'],
        policy: { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 7200, maxSessionsPerUser: 10 },
      },
      ctx,
    );
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${a.issuer}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      client_id: client.id,
      redirect_uri: 'http://127.0.0.1:9/cb',
      response_type: 'code',
      scope: 'openid email',
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
      state: 'st',
    }))
      authorize.searchParams.set(k, v);
    const redirect = await fetch(authorize, {
      headers: { cookie: `latchkey=${cookie}` },
      redirect: 'manual',
    });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    assert.ok(code, 'authorization code issued');
    const tokens = (await (
      await fetch(`${a.issuer}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: 'http://127.0.0.1:9/cb',
        }),
      })
    ).json()) as { access_token: string; id_token: string; refresh_token: string };
    return { session, tokens };
  }

  const introspect = async (base: string, token: string) =>
    (await (
      await fetch(`${base}/oauth/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }),
      })
    ).json()) as { active: boolean };

  const rejectedAsRevoked = async (v: TokenValidator, token: string) => {
    await assert.rejects(
      v.verify(token),
      (e: unknown) => e instanceof TokenValidationError && e.code === 'token_revoked',
    );
  };

  it('when a session is ended on process A, then process B and both validators refuse its token', async () => {
    const { session, tokens } = await signIn('alice');
    for (const v of validators) assert.equal((await v.verify(tokens.access_token)).sid, session.id);
    assert.equal((await introspect(b.url, tokens.access_token)).active, true);

    const heard: number[] = [];
    validators[0]!.onRevocation((revocation, { delayMs }) => {
      if (revocation.kind === 'session' && revocation.sid === session.id) heard.push(delayMs);
    });
    await a.app.sessions.end(session.orgId, session.id, 'admin');

    await eventually(async () => {
      for (const v of validators) await rejectedAsRevoked(v, tokens.access_token);
    });
    assert.equal(heard.length, 1, 'the validator heard the revocation on the stream');
    assert.equal((await introspect(b.url, tokens.access_token)).active, false);
    assert.equal((await introspect(a.issuer, tokens.refresh_token)).active, false);
  });

  it('when a user logs out through process B, then process A and the validators refuse the token', async () => {
    const { tokens } = await signIn('bob');
    for (const v of validators) await v.verify(tokens.access_token);
    const logout = await fetch(`${b.url}/oauth/logout?id_token_hint=${tokens.id_token}`, {
      redirect: 'manual',
    });
    assert.equal(logout.status, 200);
    await eventually(async () => {
      for (const v of validators) await rejectedAsRevoked(v, tokens.access_token);
    });
    assert.equal((await introspect(a.issuer, tokens.access_token)).active, false);
  });

  it('when a validator starts after a revocation, then the stream replays the revocation and it refuses the token', async () => {
    const { session, tokens } = await signIn('carol');
    await a.app.sessions.end(session.orgId, session.id, 'admin');
    const late = createTokenValidator({ issuer: a.issuer, audience, revocations: receiver });
    await late.start();
    try {
      await rejectedAsRevoked(late, tokens.access_token);
    } finally {
      await late.close();
    }
  });
});
