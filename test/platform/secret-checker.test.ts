import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import argon2 from 'argon2';
import { createSecretChecker, createVerifier } from '../../src/platform/crypto/index.js';
import { AppError } from '../../src/platform/errors.js';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';

const secret = () => randomBytes(32).toString('base64url');

/** argon2 that counts its calls, or waits for a gate to open before answering. */
function countingArgon2() {
  let calls = 0;
  let gate: Promise<void> | null = null;
  let open = () => {};
  return {
    verify: async (verifier: string, presented: string) => {
      calls += 1;
      if (gate) await gate;
      return argon2.verify(verifier, presented);
    },
    calls: () => calls,
    close() {
      gate = new Promise((resolve) => (open = resolve));
    },
    open: () => open(),
  };
}

describe('secret checks (argon2id verifiers) under wrong secrets', () => {
  it('when the same wrong secret is presented again, then it is refused without running argon2 again; the right one still passes', async () => {
    const right = secret();
    const verifier = await createVerifier(right);
    const a = countingArgon2();
    const checker = createSecretChecker(
      { maxConcurrent: 2, maxWaiting: 8, maxPerCredential: 8 },
      a.verify,
    );
    const wrong = secret();
    assert.equal(await checker.check(verifier, wrong, 'client-a'), false);
    assert.equal(await checker.check(verifier, wrong, 'client-a'), false);
    assert.equal(a.calls(), 1, 'the refused pair was remembered');
    assert.equal(await checker.check(verifier, right, 'client-a'), true);
    assert.equal(await checker.check(verifier, right, 'client-a'), true);
    assert.equal(a.calls(), 3, 'successes are not remembered here (callers cache them)');
    // The same wrong secret against another verifier is checked for real.
    assert.equal(await checker.check(await createVerifier(secret()), wrong, 'client-b'), false);
    assert.equal(a.calls(), 4);
  });

  it('when argon2 fails (a malformed verifier), then the check is refused and not remembered', async () => {
    const a = countingArgon2();
    const checker = createSecretChecker(
      { maxConcurrent: 1, maxWaiting: 1, maxPerCredential: 8 },
      a.verify,
    );
    const presented = secret();
    assert.equal(await checker.check('not-a-verifier', presented, 'client-a'), false);
    assert.equal(await checker.check('not-a-verifier', presented, 'client-a'), false);
    assert.equal(a.calls(), 2);
    assert.deepEqual(checker.load(), { running: 0, waiting: 0, credentials: 0 });
  });

  it('when more checks arrive than may run and wait, then the extra one is refused as busy (503, Retry-After) and the others finish', async () => {
    const right = secret();
    const verifier = await createVerifier(right);
    const a = countingArgon2();
    const checker = createSecretChecker(
      { maxConcurrent: 1, maxWaiting: 1, maxPerCredential: 8 },
      a.verify,
    );
    a.close();
    const first = checker.check(verifier, secret(), 'client-a');
    const second = checker.check(verifier, right, 'client-a');
    await assert.rejects(checker.check(verifier, secret(), 'client-a'), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'secret_checks_busy');
      assert.equal(error.status, 503);
      assert.equal(error.headers?.['Retry-After'], '1');
      return true;
    });
    assert.deepEqual(checker.load(), { running: 1, waiting: 1, credentials: 1 });
    a.open();
    assert.equal(await first, false);
    assert.equal(await second, true);
    assert.deepEqual(checker.load(), { running: 0, waiting: 0, credentials: 0 });
    // The slots are free again.
    assert.equal(await checker.check(verifier, right, 'client-a'), true);
  });
});

describe('secret checks: one credential cannot take every slot', () => {
  it('when one credential has maxPerCredential checks running or waiting, then its next is busy while another credential still gets a turn', async () => {
    const right = secret();
    const verifier = await createVerifier(right);
    const a = countingArgon2();
    const checker = createSecretChecker(
      { maxConcurrent: 1, maxWaiting: 8, maxPerCredential: 2 },
      a.verify,
    );
    a.close();
    const first = checker.check(verifier, secret(), 'flooded');
    const second = checker.check(verifier, secret(), 'flooded');
    await assert.rejects(
      checker.check(verifier, secret(), 'flooded'),
      /too many credential checks/i,
    );
    const other = checker.check(verifier, right, 'someone-else');
    assert.deepEqual(checker.load(), { running: 1, waiting: 2, credentials: 2 });
    a.open();
    assert.deepEqual(await Promise.all([first, second, other]), [false, false, true]);
    assert.deepEqual(checker.load(), { running: 0, waiting: 0, credentials: 0 });
  });
});

describe('the token endpoint when secret checks are saturated', () => {
  let f: OAuthFixture;
  before(async () => {
    f = await startOAuthFixture({
      env: {
        LATCHKEY_SECRET_CHECKS_MAX_CONCURRENT: '1',
        LATCHKEY_SECRET_CHECKS_MAX_WAITING: '0',
      },
    });
  });
  after(async () => {
    await f.t.close();
  });

  it('when a flood of wrong client secrets arrives, then the surplus is answered 503 temporarily_unavailable with Retry-After, the rest 401 invalid_client, and the right secret then still works', async () => {
    const { client, secret: right } = await f.registerClient();
    const attempt = (presented: string) =>
      fetch(`${f.t.issuer}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.id}:${presented}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
    const answers = await Promise.all(Array.from({ length: 6 }, () => attempt(secret())));
    const statuses = answers.map((r) => r.status).sort();
    assert.ok(statuses.includes(401), `some checks ran: ${statuses.join(',')}`);
    assert.ok(statuses.includes(503), `the surplus was refused: ${statuses.join(',')}`);
    assert.ok(
      statuses.every((s) => s === 401 || s === 503),
      statuses.join(','),
    );
    for (const res of answers) {
      const body = (await res.json()) as { error: string };
      if (res.status === 503) {
        assert.equal(body.error, 'temporarily_unavailable');
        assert.equal(res.headers.get('retry-after'), '1');
      } else assert.equal(body.error, 'invalid_client');
    }
    const ok = await attempt(right!);
    assert.equal(ok.status, 200);
  });
});
