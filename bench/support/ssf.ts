/**
 * What the revocation-event benches share: a receiver client for the Shared Signals
 * transmitter, access tokens to revoke, revoking one (RFC 7009), and @latchkey/validator
 * as a service would load it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import type * as ValidatorSources from '../../packages/validator/src/index.js';
import { AUDIENCE, type BenchWorld } from './harness.js';

type ValidatorModule = typeof ValidatorSources;

const platform = { scope: 'platform:admin' as const, keyId: 'bench' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'bench' };

/**
 * @latchkey/validator: its build (packages/validator/dist, `npm run build -w
 * @latchkey/validator`) when there is one, as a service installs it; else its sources
 * (through tsx). `form` says which was loaded.
 */
export async function loadValidatorPackage(): Promise<{
  validator: ValidatorModule;
  form: string;
}> {
  const dist = fileURLToPath(new URL('../../packages/validator/dist/index.js', import.meta.url));
  if (existsSync(dist))
    return {
      validator: (await import(pathToFileURL(dist).href)) as ValidatorModule,
      form: 'packages/validator/dist (built)',
    };
  return {
    validator: await import('../../packages/validator/src/index.js'),
    form: 'packages/validator/src (through tsx; not built)',
  };
}

/** A confidential client that receives revocations: scope ssf, audience <issuer>/ssf. */
export async function registerReceiver(
  world: BenchWorld,
  name = 'bench receiver',
): Promise<{ clientId: string; clientSecret: string }> {
  const created = await world.app.clients.create(
    {
      name,
      type: 'confidential',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      allowed_audiences: [`${world.url}/ssf`],
      allowed_scopes: ['ssf'],
    },
    platform,
    ctx,
  );
  return { clientId: created.client.id, clientSecret: created.secret! };
}

/** A client-credentials access token of `basic`'s client for `resource`. */
async function clientCredentials(
  pool: Pool,
  basic: string,
  scope: string,
  resource: string,
): Promise<string> {
  const res = await pool.request({
    path: '/oauth/token',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }).toString(),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`token endpoint: ${res.statusCode} ${text}`);
  return (JSON.parse(text) as { access_token: string }).access_token;
}

/** `count` distinct access tokens for the bench API (AUDIENCE), `connections` at a time. */
export async function mintAccessTokens(
  world: BenchWorld,
  count: number,
  connections = 32,
): Promise<string[]> {
  const pool = new Pool(world.url, { connections, pipelining: 1 });
  const tokens: string[] = [];
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (tokens.length < count) {
          tokens.push('');
          const index = tokens.length - 1;
          tokens[index] = await clientCredentials(pool, world.basic, 'reports:read', AUDIENCE);
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return tokens;
}

/** RFC 7009 revocation of an access token by the client it was issued to; throws unless 200. */
export async function revokeAccessToken(url: string, basic: string, token: string): Promise<void> {
  const res = await fetch(`${url}/oauth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`revocation endpoint: ${res.status}`);
}

/** The `jti` claim of a JWT (not verified: the bench minted it). */
export function jtiOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    jti: string;
  };
  return payload.jti;
}

/** Wall-clock time in ms with sub-millisecond precision, comparable across local processes. */
export const wallMs = (): number => performance.timeOrigin + performance.now();

/** Percentiles (nearest rank) of a list of numbers. */
export function percentiles(values: number[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length
      ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
      : NaN;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? NaN, n: sorted.length };
}
