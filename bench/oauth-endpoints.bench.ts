/**
 * Introspection, refresh-token rotation and client-credentials grants on one core.
 * Run: npm run bench -- bench/oauth-endpoints.bench.ts  (needs Postgres and Redis)
 */
import {
  clientCredentialsLoad,
  introspectionLoad,
  pinToLoadCore,
  refreshRotationLoad,
  report,
  startBenchWorld,
  type LoadResult,
} from './support/harness.js';

pinToLoadCore();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

const world = await startBenchWorld();
const results: LoadResult[] = [];
try {
  // Introspection of live access tokens: 50 sessions, each token checked over and over.
  results.push(
    await introspectionLoad(
      world,
      'introspection (RFC 7662), 50 connections',
      CONNECTIONS,
      SECONDS,
    ),
  );

  // Refresh rotation: each connection walks its own chain of rotated refresh tokens.
  const sessions = await Promise.all(Array.from({ length: CONNECTIONS }, () => world.signIn()));
  results.push(
    await refreshRotationLoad(
      world,
      'refresh-token rotation, 50 connections',
      CONNECTIONS,
      SECONDS,
      { refreshTokens: sessions.map((s) => s.refresh_token) },
    ),
  );

  results.push(
    await clientCredentialsLoad(
      world,
      'client credentials grant, 50 connections',
      CONNECTIONS,
      SECONDS,
    ),
  );
  report(results);
} finally {
  await world.close();
}
