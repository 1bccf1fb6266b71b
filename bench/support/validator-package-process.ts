/**
 * First verifications (cache misses) of distinct fresh tokens in one process, for
 * validator-package.bench.ts: @latchkey/validator's verify() (with its revocation feed
 * over SSE, as a service runs it) and, as the peer, jose's jwtVerify against a local
 * JWKS with the same checks. Input: the JSON file argv[2] ({ issuer, audience, clientId,
 * clientSecret, rounds, warmup: token[], tokens: token[] }). Each round makes a new
 * validator (an empty cache), warms it up on the warm-up tokens, then verifies every
 * token, IN_FLIGHT at a time; jose does the same after it. Prints one JSON line:
 * { form, validator: per-second[], jose: per-second[] }.
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { loadValidatorPackage } from './ssf.js';

const IN_FLIGHT = 64;
const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  issuer: string;
  audience: string;
  clientId: string;
  clientSecret: string;
  rounds: number;
  warmup: string[];
  tokens: string[];
};
const { validator: pkg, form } = await loadValidatorPackage();

/** Verifications per second of `tokens`, IN_FLIGHT at a time; every one must pass. */
const perSecond = async (tokens: string[], verify: (token: string) => Promise<unknown>) => {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < tokens.length) await verify(tokens[next++]!);
    }),
  );
  return Math.round(tokens.length / (Number(process.hrtime.bigint() - started) / 1e9));
};

// The peer: jose with the same checks, against the JWKS fetched once.
const jwks = createLocalJWKSet(
  (await (await fetch(`${input.issuer}/.well-known/jwks.json`)).json()) as JSONWebKeySet,
);
const joseOptions = {
  issuer: input.issuer,
  audience: input.audience,
  typ: 'at+jwt',
  algorithms: ['ES256'],
  clockTolerance: 5,
  requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
};
const joseVerify = (token: string) => jwtVerify(token, jwks, joseOptions);

const results = { form, validator: [] as number[], jose: [] as number[] };
for (let round = 0; round < input.rounds; round++) {
  const validator = pkg.createTokenValidator({
    issuer: input.issuer,
    audience: input.audience,
    revocations: { clientId: input.clientId, clientSecret: input.clientSecret },
  });
  await validator.start();
  if (!validator.status().current) throw new Error('the validator is not current');
  await perSecond(input.warmup, (t) => validator.verify(t));
  results.validator.push(await perSecond(input.tokens, (t) => validator.verify(t)));
  await validator.close();

  await perSecond(input.warmup, joseVerify);
  results.jose.push(await perSecond(input.tokens, joseVerify));
}
console.log(JSON.stringify(results));
