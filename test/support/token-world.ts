import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { s256 } from '../../src/tokens/oauth-service.js';
import { uuidv7 } from '../../src/platform/ids.js';
import type { LiveApp } from './live.js';

const PLATFORM = { scope: 'platform:admin' as const, keyId: 'test' };
const CONTEXT = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const REDIRECT_URI = 'http://127.0.0.1:9/cb';

export interface Credentials {
  id: string;
  secret: string;
}

const basic = ({ id, secret }: Credentials) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/**
 * What the validator tests need of a live Latchkey on the real clock (the SSE heartbeats
 * follow the real clock, so no fake one here): orgs with users, an OAuth client whose
 * tokens name `audience`, a receiver client for the Shared Signals transmitter, sign-in
 * by the code flow, client-credentials tokens, revocation and introspection over HTTP.
 */
export async function seedTokenWorld(a: LiveApp, audience: string) {
  const createClient = async (overrides: Record<string, unknown>): Promise<Credentials> => {
    const created = await a.app.clients.create(
      {
        name: 'Ads console',
        type: 'confidential',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        allowed_audiences: [audience],
        ...overrides,
      },
      PLATFORM,
      CONTEXT,
    );
    return { id: created.client.id, secret: created.secret! };
  };

  const createOrg = async (slug: string) => {
    const org = await a.app.orgs.create({ slug, name: slug }, PLATFORM, CONTEXT);
    const connectionId = uuidv7();
    await a.app.db.query(
      `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
       VALUES ($1, $2, 'oidc', 'test', 'active', '{}', now(), now())`,
      [connectionId, org.id],
    );
    return { orgId: org.id, connectionId };
  };

  const post = (path: string, form: Record<string, string>, client: Credentials) =>
    fetch(`${a.issuer}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(client),
      },
      body: new URLSearchParams(form),
    });

  const codeClient = await createClient({});
  /** The validators' receiver: scope ssf, audience <issuer>/ssf (docs/revocation-events.md). */
  const receiver = await createClient({
    name: 'Reports API validator',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    allowed_scopes: ['ssf'],
    allowed_audiences: [`${a.issuer}/ssf`],
  });
  const home = await createOrg('acme');

  return {
    createClient,
    createOrg,
    codeClient,
    receiver,
    home,
    /** A user of the org signed in through the code flow: its session and tokens. */
    async signIn(subject: string, org = home) {
      const { user } = await a.app.users.provisionFromIdentity(
        {
          orgId: org.orgId,
          connectionId: org.connectionId,
          subject,
          email: `${subject}@acme.test`,
          emailVerified: true,
          name: subject,
        },
        CONTEXT,
      );
      const { token: cookie, session } = await a.app.sessions.open(
        {
          userId: user.id,
          orgId: org.orgId,
          connectionId: org.connectionId,
          amr: ['pwd'],
          policy: {
            idleTimeoutSeconds: 3600,
            absoluteLifetimeSeconds: 7200,
            maxSessionsPerUser: 10,
          },
        },
        CONTEXT,
      );
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(`${a.issuer}/oauth/authorize`);
      for (const [k, v] of Object.entries({
        client_id: codeClient.id,
        redirect_uri: REDIRECT_URI,
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
      const code = new URL(redirect.headers.get('location')!).searchParams.get('code');
      assert.ok(code, `no authorization code: ${redirect.status}`);
      const res = await post(
        '/oauth/token',
        {
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT_URI,
        },
        codeClient,
      );
      assert.equal(res.status, 200, `token endpoint: ${res.status}`);
      const tokens = (await res.json()) as {
        access_token: string;
        id_token: string;
        refresh_token: string;
      };
      return { user, session, tokens };
    },
    /** RFC 6749 §4.4: an access token of the client itself, for `audience`. */
    async clientCredentials(client: Credentials) {
      const res = await post(
        '/oauth/token',
        { grant_type: 'client_credentials', resource: audience },
        client,
      );
      assert.equal(res.status, 200, `token endpoint: ${res.status} ${await res.clone().text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    /** RFC 7009, by the client the token was issued to. */
    async revoke(client: Credentials, token: string) {
      const res = await post('/oauth/revoke', { token }, client);
      assert.equal(res.status, 200, `revocation endpoint: ${res.status}`);
    },
    /** RFC 7662 as `client`, once Latchkey answers at all (503 while it recovers is fine). */
    async introspect(client: Credentials, token: string, base = a.issuer) {
      for (let i = 0; i < 200; i += 1) {
        const res = await fetch(`${base}/oauth/introspect`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basic(client),
          },
          body: new URLSearchParams({ token }),
        });
        if (res.status === 200) return (await res.json()) as { active: boolean };
        assert.equal(res.status, 503, `introspection answered ${res.status}`);
        await sleep(50);
      }
      throw new Error('introspection never answered');
    },
    PLATFORM,
    CONTEXT,
  };
}

export type TokenWorld = Awaited<ReturnType<typeof seedTokenWorld>>;
