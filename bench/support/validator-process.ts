/**
 * The token validator (@latchkey/validator) in a process of its own, as a resource server
 * runs it: first verifications of the tokens named in the file argv[2] (JSON: { issuer,
 * audience, revocations: { clientId, clientSecret }, warmup: token[], sets: { name:
 * token[] } }), IN_FLIGHT at a time, one set after another. Prints one JSON line:
 * { name: verifications per second }. Started by validator-and-sessions.bench.ts on the
 * load core.
 */
import { readFileSync } from 'node:fs';
import { createTokenValidator, type RevocationFeedOptions } from '@latchkey/validator';

const IN_FLIGHT = 64;
const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  issuer: string;
  audience: string;
  revocations: RevocationFeedOptions;
  warmup: string[];
  sets: Record<string, string[]>;
};
const validator = createTokenValidator({
  issuer: input.issuer,
  audience: input.audience,
  revocations: input.revocations,
});
await validator.start();

const firstVerifications = async (tokens: string[]): Promise<number> => {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < tokens.length) await validator.verify(tokens[next++]);
    }),
  );
  return Math.round(tokens.length / (Number(process.hrtime.bigint() - started) / 1e9));
};

await firstVerifications(input.warmup); // JIT, and the JWKS fetched once
const results: Record<string, number> = {};
for (const [name, tokens] of Object.entries(input.sets))
  results[name] = await firstVerifications(tokens);
await validator.close();
console.log(JSON.stringify(results));
