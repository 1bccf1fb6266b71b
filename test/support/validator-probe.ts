/**
 * A token validator (@latchkey/validator) in a process of its own, as a backend service
 * runs it: it knows Latchkey only by its issuer URL and an OAuth client's credentials
 * (it is given no Redis or database URL, and its environment holds none). It receives
 * revocations from Latchkey's Shared Signals transmitter and answers on stdout, one JSON
 * line per request read on stdin:
 *
 *   in:  {"id": 1, "token": "<jwt>"}    out: {"id": 1, "outcome": "valid" | "<error code>", "status": {…}}
 *   in:  {"id": 2}                      out: {"id": 2, "status": {…}}
 *
 * Its first line is {"started": true, "status": {…}} once start() resolved. It closes the
 * validator and exits when stdin ends. Argument: a JSON object { issuer, audience,
 * clientId, clientSecret, stalenessBoundMs, delivery?, via? }; `delivery` is the feed's
 * ('sse' by default, or 'poll' for the JSON feed); `via` (a base URL) sends every
 * request to that origin instead of the issuer's (a TCP proxy a test can cut), the
 * issuer named in tokens and SETs staying the same.
 * Spawned by test/support/validator-process.ts.
 */
import { createInterface } from 'node:readline';
import { createTokenValidator, TokenValidationError } from '@latchkey/validator';

const options = JSON.parse(process.argv[2]!) as {
  issuer: string;
  audience: string;
  clientId: string;
  clientSecret: string;
  stalenessBoundMs: number;
  delivery?: 'sse' | 'poll';
  via?: string;
};

const rerouted: typeof globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input.toString());
  if (options.via && url.origin === new URL(options.issuer).origin) {
    const via = new URL(options.via);
    url.protocol = via.protocol;
    url.host = via.host;
  }
  return globalThis.fetch(input instanceof Request ? new Request(url, input) : url, init);
};

const validator = createTokenValidator({
  issuer: options.issuer,
  audience: options.audience,
  revocations: {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stalenessBoundMs: options.stalenessBoundMs,
    delivery: options.delivery ?? 'sse',
    pollIntervalMs: 250,
  },
  fetch: rerouted,
  logger: { warn: (message, details) => console.error(message, details) },
  onError: () => undefined, // the feed retries by itself; outcomes tell the test the rest
});

const send = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

await validator.start();
send({ started: true, status: validator.status() });

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const request = JSON.parse(line) as { id: number; token?: string };
  if (request.token === undefined) return send({ id: request.id, status: validator.status() });
  validator.verify(request.token).then(
    () => send({ id: request.id, outcome: 'valid', status: validator.status() }),
    (error: unknown) =>
      send({
        id: request.id,
        outcome: error instanceof TokenValidationError ? error.code : `error: ${String(error)}`,
        status: validator.status(),
      }),
  );
});
lines.on('close', () => {
  void validator.close().then(() => process.exit(0));
});
