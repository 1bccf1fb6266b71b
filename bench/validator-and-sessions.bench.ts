/**
 * The token validator's (@latchkey/validator) verifications per second (local JWKS check +
 * revocation lookup in its view, fed by the Shared Signals transmitter),
 * and Redis memory per session (MEMORY USAGE over 10,000 sessions and their indexes).
 * Run: npm run bench -- bench/validator-and-sessions.bench.ts  (needs Postgres and Redis)
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  createRedisSessionStore,
  mintSessionToken,
  type StoredSession,
} from '../src/sessions/index.js';
import { createTokenValidator, type RevocationFeedOptions } from '@latchkey/validator';
import { AUDIENCE, machine, pinToLoadCore, startBenchWorld } from './support/harness.js';
import { connectedRedisClient } from '../test/support/services.js';

pinToLoadCore();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

const world = await startBenchWorld();
try {
  // The validators receive revocations as this client (docs/revocation-events.md).
  const receiver = await world.app.clients.create(
    {
      name: 'bench validator',
      type: 'confidential',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      allowed_scopes: ['ssf'],
      allowed_audiences: [`${world.url}/ssf`],
    },
    { scope: 'platform:admin', keyId: 'bench' },
    { requestId: null, ip: '127.0.0.1', userAgent: 'bench' },
  );
  const revocations: RevocationFeedOptions = {
    clientId: receiver.client.id,
    clientSecret: receiver.secret!,
  };
  // --- validator: verify distinct live tokens round-robin, as a resource server would.
  const tokens = await Promise.all(Array.from({ length: 200 }, () => world.signIn()));
  const fresh = await Promise.all(Array.from({ length: 700 }, () => world.signIn()));
  // New access tokens of a few sessions, as refreshing clients get them.
  const refreshed: string[] = [];
  const chains = (await Promise.all(Array.from({ length: 50 }, () => world.signIn()))).map(
    (t) => t.refresh_token,
  );
  await Promise.all(
    chains.map(async (first) => {
      let refreshToken = first;
      for (let i = 0; i < 80; i++) {
        const res = await fetch(`${world.url}/oauth/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: world.basic,
          },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
        });
        const body = (await res.json()) as { access_token: string; refresh_token: string };
        refreshed.push(body.access_token);
        refreshToken = body.refresh_token;
      }
    }),
  );
  // The server relays the sign-ins' and refreshes' audit events meanwhile: let it finish.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  // First sight of each token (signature, claims, revocation state), in a process of its
  // own on the load core, as a resource server runs the validator: 64 at a time. Two sets:
  // tokens of distinct sessions, and the
  // tokens a few sessions get by refreshing (the sid is known, the token is new).
  const inputFile = path.join(await mkdtemp(path.join(tmpdir(), 'latchkey-validator-')), 'in.json');
  await writeFile(
    inputFile,
    JSON.stringify({
      issuer: world.url,
      audience: AUDIENCE,
      revocations,
      // Warm-up (JIT, the JWKS fetched once) on tokens not measured after.
      warmup: [...tokens.map((t) => t.access_token), ...refreshed.slice(0, 1000)],
      sets: {
        refreshed: refreshed.slice(1000),
        distinct: fresh.map((t) => t.access_token),
      },
    }),
  );
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./support/validator-process.ts', import.meta.url)),
      inputFile,
    ],
    { encoding: 'utf8' },
  );
  await rm(path.dirname(inputFile), { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`the validator process failed: ${child.stderr}`);
  const first = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
    distinct: number;
    refreshed: number;
  };

  // Repeat verifications of live tokens, here in the bench process.
  const validator = createTokenValidator({
    issuer: world.url,
    audience: AUDIENCE,
    revocations,
  });
  await validator.start();
  for (const t of tokens) await validator.verify(t.access_token);
  let verifications = 0;
  const endAt = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  while (Date.now() < endAt) {
    for (let i = 0; i < 1000; i++) await validator.verify(tokens[i % tokens.length]!.access_token);
    verifications += 1000;
    // A service's event loop turns between requests: the feed's heartbeats are read then
    // (a loop that never yields would starve them and the view would go stale).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await validator.close();

  // --- Redis memory per session, as stored by the real session store.
  const redis = await connectedRedisClient({
    url: world.redis.url,
    keyPrefix: `${world.redis.keyPrefix}mem:`,
  });
  const store = createRedisSessionStore(redis, { indexTtlMs: 90 * 86_400_000 });
  const orgId = randomUUID();
  const COUNT = 10_000;
  const users = Array.from({ length: 2_000 }, () => randomUUID());
  const now = Date.now();
  // One IdP connection for the org; each user is one subject there (the upstream index
  // for SAML/OIDC logout is per user, as in life, not per session).
  const connectionId = randomUUID();
  for (let i = 0; i < COUNT; i++) {
    const minted = mintSessionToken(orgId);
    const session: StoredSession = {
      id: minted.id,
      secretHash: minted.secretHash,
      userId: users[i % users.length]!,
      orgId,
      connectionId,
      amr: ['pwd', 'mfa'],
      acr: 'urn:latchkey:loa:mfa',
      authTime: Math.floor(now / 1000),
      createdAtMs: now + i,
      lastSeenAtMs: now + i,
      idleExpiresAtMs: now + 3_600_000,
      absoluteExpiresAtMs: now + 43_200_000,
      ip: '203.0.113.77',
      userAgent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      upstreamSessionId: randomUUID(),
      upstreamSubject: `${users[i % users.length]!}@acme.test`,
    };
    await store.create(session, 10);
  }
  const raw = new Redis(world.redis.url);
  let bytes = 0;
  let keys = 0;
  const byKind = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, batch] = await raw.scan(
      cursor,
      'MATCH',
      `${world.redis.keyPrefix}mem:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const key of batch) {
      const usage = (await raw.memory('USAGE', key, 'SAMPLES', '0')) ?? 0;
      bytes += usage;
      keys += 1;
      // By kind: s (session), su (user index), so (org index), sx (upstream index).
      const kind = /mem:(\w+):/.exec(key)?.[1] ?? 'other';
      byKind.set(kind, (byKind.get(kind) ?? 0) + usage);
    }
  } while (cursor !== '0');
  raw.disconnect();
  redis.disconnect();

  console.log(`\nmachine: ${machine()}; validator in this process on CPU 1\n`);
  console.log('| benchmark | figure |');
  console.log('|---|---:|');
  console.log(
    `| validator (own process), first verification, ${fresh.length} tokens of distinct sessions (signature + claims + revocation lookup), 64 in flight, per s | ${first.distinct} |`,
  );
  console.log(
    `| validator (own process), first verification, ${refreshed.length - 1000} tokens refreshed in ${chains.length} sessions (signature + claims), 64 in flight, per s | ${first.refreshed} |`,
  );
  console.log(
    `| validator, repeat verifications of 200 live tokens round-robin (expiry + revocation), per s | ${Math.round(verifications / seconds)} |`,
  );
  console.log(
    `| Redis bytes per session (${COUNT} sessions of ${users.length} users, ${keys} keys incl. indexes) | ${Math.round(bytes / COUNT)} |`,
  );
  console.log(
    `\nRedis bytes per session by key kind: ${[...byKind]
      .map(([kind, total]) => `${kind} ${Math.round(total / COUNT)}`)
      .join(', ')}`,
  );
} finally {
  await world.close();
}
