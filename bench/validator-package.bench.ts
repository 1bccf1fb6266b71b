/**
 * @latchkey/validator's first verifications on one core (issue 14: ≥ 8,000/s): verify()
 * of distinct fresh access tokens (cache misses: signature, typ, issuer, audience, expiry,
 * claims, then the revocation view), 64 in flight, in a process of its own on the load
 * core, as a resource server runs it (with its revocation feed over SSE). Peer, same
 * process and tokens: jose's jwtVerify against a local JWKS with the same checks (the
 * floor: what verify() adds on top of the signature check). Rounds alternate the two.
 * Run: npm run bench -- bench/validator-package.bench.ts  (needs Postgres and Redis)
 * Small: VALIDATOR_TOKENS=2000 npm run bench -- bench/validator-package.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUDIENCE, machine, pinToLoadCore, startBenchWorld } from './support/harness.js';
import { mintAccessTokens, registerReceiver } from './support/ssf.js';

pinToLoadCore();
const TOKENS = Number(process.env.VALIDATOR_TOKENS ?? 10_000);
const ROUNDS = Number(process.env.VALIDATOR_ROUNDS ?? 3);
const WARMUP = Math.min(1000, TOKENS);

const world = await startBenchWorld();
try {
  const { clientId, clientSecret } = await registerReceiver(world);
  const minted = await mintAccessTokens(world, TOKENS + WARMUP);
  // The server relays the grants' audit events meanwhile: let it finish.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const dir = await mkdtemp(path.join(tmpdir(), 'latchkey-validator-package-'));
  const inputFile = path.join(dir, 'in.json');
  await writeFile(
    inputFile,
    JSON.stringify({
      issuer: world.url,
      audience: AUDIENCE,
      clientId,
      clientSecret,
      rounds: ROUNDS,
      warmup: minted.slice(TOKENS),
      tokens: minted.slice(0, TOKENS),
    }),
  );
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./support/validator-package-process.ts', import.meta.url)),
      inputFile,
    ],
    { encoding: 'utf8' },
  );
  await rm(dir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`the validator process failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
    form: string;
    validator: number[];
    jose: number[];
  };
  const best = (xs: number[]) => Math.max(...xs);
  console.log(
    `\nmachine: ${machine()}; verifications in a process of their own on CPU 1 ` +
      `(the server on CPU 0); @latchkey/validator from ${result.form}\n`,
  );
  console.log(
    `| first verifications of ${TOKENS} distinct tokens, 64 in flight | best, per s | rounds, per s |`,
  );
  console.log('|---|---:|---:|');
  console.log(
    `| @latchkey/validator verify() (revocations over SSE) | ${best(result.validator)} | ${result.validator.join(', ')} |`,
  );
  console.log(
    `| peer: jose jwtVerify, local JWKS, same checks | ${best(result.jose)} | ${result.jose.join(', ')} |`,
  );
  console.log(
    `\nvalidator / jose: ${((100 * best(result.validator)) / best(result.jose)).toFixed(0)} % (issue's aim: ≥ 8,000/s on one core)`,
  );
} finally {
  await world.close();
}
