/**
 * The peer of bench/oauth-peers.bench.ts: node-oidc-provider with the Redis adapter of
 * peer-redis-adapter.ts, in a process of its own (the bench starts it pinned to CPU 0, as
 * the harness starts Latchkey). Configured to match Latchkey's bench client: one
 * confidential client (client_secret_basic) with authorization_code, refresh_token and
 * client_credentials; ES256 for ID tokens and JWT access tokens; refresh tokens rotated
 * at every use; token and introspection endpoints at Latchkey's paths.
 *
 * Access tokens: opaque (stored in Redis) by default, which is what node-oidc-provider
 * can introspect (it looks tokens up in its adapter; JWT access tokens are not stored,
 * so its introspection answers them inactive). The client-credentials resource
 * PEER_JWT_AUDIENCE gets JWT (ES256) access tokens instead, like Latchkey's.
 *
 * Shortcut, instead of driving its authorization code flow: on an IPC 'mint' message it
 * saves grants, refresh tokens and access tokens through its own models (provider.Grant,
 * RefreshToken, AccessToken), as the code grant would after consent, and answers with
 * their values. Environment: PEER_PORT, PEER_REDIS_URL, PEER_REDIS_PREFIX, PEER_CLIENT_ID,
 * PEER_CLIENT_SECRET, PEER_AUDIENCE, PEER_JWT_AUDIENCE.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { redisAdapterFor } from './peer-redis-adapter.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const port = Number(env('PEER_PORT'));
const clientId = env('PEER_CLIENT_ID');
const audience = env('PEER_AUDIENCE');
const jwtAudience = env('PEER_JWT_AUDIENCE');
const issuer = `http://127.0.0.1:${port}`;
const ACCOUNT = { sub: 'bench-user', email: 'bench@bench.test', email_verified: true };
const DAY_SECONDS = 86_400;

const redis = new Redis(env('PEER_REDIS_URL'), { keyPrefix: env('PEER_REDIS_PREFIX') });
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const configuration: Configuration = {
  adapter: redisAdapterFor(redis),
  clients: [
    {
      client_id: clientId,
      client_secret: env('PEER_CLIENT_SECRET'),
      redirect_uris: ['http://127.0.0.1:9/cb'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: {
    keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'peer', alg: 'ES256', use: 'sig' }],
  },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'email', 'offline_access', 'reports:read'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ ...ACCOUNT, sub }) }),
  // Latchkey rotates at every use (RFC 9700 §4.14); node-oidc-provider's default would
  // rotate a confidential client's token only after 70 % of its life.
  rotateRefreshToken: true,
  routes: { token: '/oauth/token', introspection: '/oauth/introspect' },
  ttl: {
    AccessToken: 3600,
    ClientCredentials: 3600,
    IdToken: 300,
    RefreshToken: 30 * DAY_SECONDS,
    Grant: 30 * DAY_SECONDS,
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      // As Latchkey answers (RFC 7662 §4): only the client a token was issued to learns
      // about it.
      allowedPolicy: (_ctx, caller, token) => token.clientId === caller.clientId,
    },
    resourceIndicators: {
      enabled: true,
      // Client credentials go to the bench's API (Latchkey's default audience); user
      // tokens stay userinfo tokens, as without resource indicators.
      defaultResource: (ctx: KoaContextWithOIDC) =>
        ctx.oidc.params?.grant_type === 'client_credentials' ? audience : undefined!,
      useGrantedResource: () => false,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'reports:read',
        audience: resource,
        accessTokenTTL: 3600,
        ...(resource === jwtAudience
          ? { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: 'ES256' as const } } }
          : { accessTokenFormat: 'opaque' as const }),
      }),
    },
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (_ctx, error) => console.error('peer server_error', error));

/** What a code grant with consent leaves behind: a grant and its refresh token. */
async function mintRefreshToken(scope: string) {
  const client = (await provider.Client.find(clientId))!;
  const grant = new provider.Grant({ accountId: ACCOUNT.sub, clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const refreshToken = new provider.RefreshToken({
    accountId: ACCOUNT.sub,
    client,
    grantId,
    scope,
    gty: 'authorization_code',
    authTime: Math.floor(Date.now() / 1000),
    iiat: Math.floor(Date.now() / 1000),
  });
  return refreshToken.save();
}

/** A user's opaque access token (a userinfo token), as a code grant issues it. */
async function mintAccessToken(scope: string) {
  const client = (await provider.Client.find(clientId))!;
  const grant = new provider.Grant({ accountId: ACCOUNT.sub, clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const accessToken = new provider.AccessToken({
    accountId: ACCOUNT.sub,
    client,
    grantId,
    scope,
    gty: 'authorization_code',
  });
  return accessToken.save();
}

export interface MintRequest {
  kind: 'mint';
  refreshTokens: number;
  refreshScope: string;
  accessTokens: number;
  accessScope: string;
}

process.on('message', (message: MintRequest) => {
  if (message.kind !== 'mint') return;
  void (async () => {
    const refreshTokens = await Promise.all(
      Array.from({ length: message.refreshTokens }, () => mintRefreshToken(message.refreshScope)),
    );
    const accessTokens = await Promise.all(
      Array.from({ length: message.accessTokens }, () => mintAccessToken(message.accessScope)),
    );
    process.send!({ kind: 'minted', refreshTokens, accessTokens });
  })();
});

const handle = provider.callback();
const server = http.createServer((req, res) => void handle(req, res));
server.listen(port, '127.0.0.1', () => process.send!({ kind: 'ready' }));
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
