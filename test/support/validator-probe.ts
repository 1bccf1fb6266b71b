/**
 * A token validator in a process of its own, as a backend service runs it: started fresh,
 * it verifies one token until it gets an answer other than "unavailable" (or gives up),
 * and prints every outcome it saw as one JSON line: {"outcomes": ["validator_unavailable",
 * …, "token_revoked" | "valid"]}. Arguments: issuer audience redisUrl keyPrefix token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createTokenValidator, TokenValidationError } from '../../src/validator/index.js';

const [issuer, audience, url, keyPrefix, token] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const validator = createTokenValidator({ issuer, audience, redis: { url, keyPrefix } });
const outcomes: string[] = [];
try {
  await validator.start();
  for (let i = 0; i < 200; i += 1) {
    try {
      await validator.verify(token);
      outcomes.push('valid');
      break;
    } catch (error) {
      const code = error instanceof TokenValidationError ? error.code : String(error);
      outcomes.push(code);
      if (code !== 'validator_unavailable') break;
      await sleep(50);
    }
  }
} finally {
  await validator.close();
}
process.stdout.write(`${JSON.stringify({ outcomes })}\n`);
process.exit(0);
