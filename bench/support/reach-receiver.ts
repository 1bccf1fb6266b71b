/**
 * A receiver of revocations in a process of its own, for revocation-reach.bench.ts. Its
 * configuration is the JSON in argv[2]:
 *
 * - `{ mode: 'validator', issuer, target, audience, clientId, clientSecret, delivery,
 *   pollIntervalMs }`: @latchkey/validator receiving over SSE or the JSON feed from the
 *   Latchkey process at `target` (every request the validator makes for `issuer` goes
 *   there), with no Redis access. It tells the parent of every revocation its
 *   onRevocation listener hears: `{ type: 'revoked', jti, atMs }`.
 * - `{ mode: 'redis', redisUrl, channel }`: a raw Redis subscriber (the peer), which
 *   tells `{ type: 'received', id, atMs }` of every message.
 *
 * `atMs` is wall-clock time with sub-millisecond precision (performance.timeOrigin +
 * performance.now()), comparable with the parent's on one machine. It says
 * `{ type: 'ready' }` once current (the validator) or subscribed; on `{ type: 'check',
 * tokens }` the validator verifies each token and answers `{ type: 'checked', codes }`
 * (how many were accepted, `ok`, or refused with each error code); on `{ type: 'close' }`
 * it stops and exits.
 */
import { Redis } from 'ioredis';
import { loadValidatorPackage, wallMs } from './ssf.js';

interface ValidatorConfig {
  mode: 'validator';
  issuer: string;
  target: string;
  audience: string;
  clientId: string;
  clientSecret: string;
  delivery: 'sse' | 'poll';
  pollIntervalMs: number;
}
interface RedisConfig {
  mode: 'redis';
  redisUrl: string;
  channel: string;
}
type Message = { type: 'check'; tokens: string[] } | { type: 'close' };

const config = JSON.parse(process.argv[2]!) as ValidatorConfig | RedisConfig;
const send = (message: unknown) => process.send!(message);

if (config.mode === 'redis') {
  const subscriber = new Redis(config.redisUrl);
  subscriber.on('message', (_channel: string, id: string) => {
    send({ type: 'received', id, atMs: wallMs() });
  });
  await subscriber.subscribe(config.channel);
  process.on('message', (message: Message) => {
    if (message.type === 'close') {
      subscriber.disconnect();
      process.exit(0);
    }
  });
  send({ type: 'ready' });
} else {
  const { validator: pkg, form } = await loadValidatorPackage();
  const rewrite = (input: string | URL | Request): string | URL | Request => {
    if (typeof input === 'string' && input.startsWith(config.issuer))
      return config.target + input.slice(config.issuer.length);
    if (input instanceof URL && input.href.startsWith(config.issuer))
      return new URL(config.target + input.href.slice(config.issuer.length));
    return input;
  };
  const validator = pkg.createTokenValidator({
    issuer: config.issuer,
    audience: config.audience,
    revocations: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      delivery: config.delivery,
      pollIntervalMs: config.pollIntervalMs,
    },
    // The issuer is the first Latchkey process's URL; this receiver talks to `target`.
    fetch: (input, init) => globalThis.fetch(rewrite(input), init),
    onError: (error) => console.error(`validator (${config.delivery}) feed error:`, error),
  });
  validator.onRevocation((revocation) => {
    const atMs = wallMs();
    if (revocation.kind === 'token') send({ type: 'revoked', jti: revocation.jti, atMs });
  });
  await validator.start();
  if (!validator.status().current) throw new Error('the validator is not current after start()');
  process.on('message', (message: Message) => {
    if (message.type === 'check') {
      void (async () => {
        const codes: Record<string, number> = {};
        for (const token of message.tokens) {
          let code = 'ok';
          try {
            await validator.verify(token);
          } catch (error) {
            code = error instanceof pkg.TokenValidationError ? error.code : String(error);
          }
          codes[code] = (codes[code] ?? 0) + 1;
        }
        send({ type: 'checked', codes });
      })();
    } else if (message.type === 'close') {
      void validator.close().then(() => process.exit(0));
    }
  });
  send({ type: 'ready', form });
}
