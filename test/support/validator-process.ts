import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ValidatorStatus } from '@latchkey/validator';

export interface ValidatorProcessOptions {
  issuer: string;
  audience: string;
  /** The receiver client (scope `ssf`, audience `<issuer>/ssf`). */
  clientId: string;
  clientSecret: string;
  stalenessBoundMs: number;
  /** The feed: 'sse' (default), or 'poll' (the JSON feed, every 250 ms). */
  delivery?: 'sse' | 'poll';
  /** Send every request to this base URL instead of the issuer (a TCP proxy). */
  via?: string;
}

interface Answer {
  id: number;
  outcome?: string;
  status: ValidatorStatus;
}

/**
 * A validator in a process of its own (test/support/validator-probe.ts). Its environment
 * is PATH and NODE_ENV only: no REDIS_URL, no DATABASE_URL, nothing of Latchkey's but the
 * issuer URL and the receiver client's credentials. Resolves once its start() resolved.
 */
export async function startValidatorProcess(options: ValidatorProcessOptions) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/validator-probe.ts', JSON.stringify(options)],
    { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test' }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const waiting = new Map<number, (answer: Answer) => void>();
  let started: (() => void) | null = null;
  const startedOnce = new Promise<void>((resolve) => (started = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as Answer & { started?: true };
    if (answer.started) return started?.();
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([
    startedOnce,
    exited.then(() => assert.fail(`the validator process exited: ${stderr}`)),
  ]);

  let nextId = 0;
  const ask = (request: { token?: string }) =>
    new Promise<Answer>((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error(`validator exited: ${stderr}`));
      const id = (nextId += 1);
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ id, ...request })}\n`);
    });

  /** The outcome of one verification: "valid" or a TokenValidationError code. */
  const verify = async (token: string) => (await ask({ token })).outcome!;

  return {
    verify,
    status: async () => (await ask({})).status,
    /**
     * Verifies the token every 50 ms until the outcome is `expected`; fails with every
     * outcome seen if it is not by `withinMs`. Returns the outcomes, in order.
     */
    async assertOutcomeWithin(token: string, expected: string, withinMs: number) {
      const deadline = Date.now() + withinMs;
      const outcomes: string[] = [];
      for (;;) {
        const outcome = await verify(token);
        if (outcomes.at(-1) !== outcome) outcomes.push(outcome);
        if (outcome === expected) return outcomes;
        if (Date.now() > deadline)
          assert.fail(`not ${expected} within ${withinMs} ms; outcomes: ${outcomes.join(' → ')}`);
        await sleep(50);
      }
    },
    /**
     * The first outcome other than validator_unavailable (a fresh validator may not be
     * current yet); fails if none comes by `withinMs`.
     */
    async firstDecision(token: string, withinMs: number) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const outcome = await verify(token);
        if (outcome !== 'validator_unavailable') return outcome;
        if (Date.now() > deadline) assert.fail(`still validator_unavailable after ${withinMs} ms`);
        await sleep(50);
      }
    },
    /** Closes stdin (the validator closes) and waits for the exit. */
    async stop() {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export type ValidatorProcess = Awaited<ReturnType<typeof startValidatorProcess>>;
