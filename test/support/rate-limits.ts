import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from './app.js';

/** A response from fetch or from supertest, as the throttle checks read it. */
type AnyResponse =
  | Response
  | { status: number; headers: Record<string, string | string[] | undefined>; text: string };

const headerOf = (res: AnyResponse, name: string): string | null => {
  if (res.headers instanceof Headers) return res.headers.get(name);
  const value = (res.headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
};
const bodyOf = async (res: AnyResponse) => (res instanceof Response ? res.text() : res.text);

/**
 * A 429 from the policy, in its audience's error style, with Retry-After (whole seconds,
 * at least 1, at most the window or maxRetryAfter) and the IETF RateLimit headers.
 */
export async function expectThrottled(
  res: AnyResponse,
  expected: {
    policy: string;
    points: number;
    window: number;
    style: 'oauth' | 'problem' | 'html' | 'scim';
    maxRetryAfter?: number;
  },
): Promise<void> {
  const body = await bodyOf(res);
  assert.equal(res.status, 429, `429 expected, got ${res.status}: ${body.slice(0, 300)}`);
  const retryAfter = Number(headerOf(res, 'retry-after'));
  assert.ok(
    Number.isInteger(retryAfter) &&
      retryAfter >= 1 &&
      retryAfter <= (expected.maxRetryAfter ?? expected.window),
    `Retry-After ${headerOf(res, 'retry-after')} within 1..${expected.maxRetryAfter ?? expected.window}`,
  );
  assert.equal(
    headerOf(res, 'ratelimit-policy'),
    `"${expected.policy}";q=${expected.points};w=${expected.window}`,
  );
  assert.equal(headerOf(res, 'ratelimit'), `"${expected.policy}";r=0;t=${retryAfter}`);
  const type = headerOf(res, 'content-type') ?? '';
  switch (expected.style) {
    case 'oauth':
      assert.match(type, /^application\/json/);
      assert.equal((JSON.parse(body) as { error: string }).error, 'too_many_requests');
      break;
    case 'problem': {
      assert.match(type, /^application\/problem\+json/);
      const problem = JSON.parse(body) as { code: string; status: number; type: string };
      assert.equal(problem.code, 'rate_limited');
      assert.equal(problem.status, 429);
      assert.equal(problem.type, 'urn:latchkey:problem:rate_limited');
      break;
    }
    case 'scim': {
      assert.match(type, /^application\/scim\+json/);
      const error = JSON.parse(body) as { schemas: string[]; status: string };
      assert.deepEqual(error.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.equal(error.status, '429');
      break;
    }
    case 'html':
      assert.match(type, /^text\/html/);
      assert.match(body, /try again/i, 'the page says when to try again');
      break;
  }
}

/** Retries until the request is admitted (not 429), for at most 10 s. */
export async function waitUntilAdmitted(
  send: () => Promise<AnyResponse>,
  what: string,
): Promise<AnyResponse> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await send();
    if (res.status !== 429) {
      assert.ok(res.status < 400, `${what}: admitted but answered ${res.status}`);
      return res;
    }
    assert.ok(Date.now() < deadline, `${what}: still 429 after 10 s`);
    await sleep(200);
  }
}

/** The audit rows of one type, oldest first. */
export async function auditRowsOf(t: Pick<TestApp, 'app'>, type: string) {
  await sleep(50);
  const { rows } = await t.app.db.query<{
    org_id: string | null;
    target_type: string | null;
    target_id: string | null;
    reason: string | null;
    data: Record<string, unknown>;
  }>(
    `SELECT org_id, target_type, target_id, reason, data FROM audit_events
     WHERE type = $1 ORDER BY occurred_at, chain_seq`,
    [type],
  );
  return rows.map((row) => ({
    ...row,
    data:
      typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
  }));
}

/**
 * The auth.login.failed rows a response wrote: its own, or — for an anonymous failure (no
 * org, no transaction of this browser), which is audited once per protocol and reason a
 * minute — none, when one such row of the reason was written within the minute already.
 */
export async function loginFailureRowsOf(
  t: Pick<TestApp, 'app'>,
  requestId: string | null,
  reason: string,
): Promise<Array<{ reason: string; data: { protocol: string } }>> {
  const { rows } = await t.app.db.query<{ reason: string; data: { protocol: string } }>(
    `SELECT reason, data FROM audit_events WHERE type = 'auth.login.failed' AND request_id = $1`,
    [requestId],
  );
  if (rows.length) return rows;
  const { rows: earlier } = await t.app.db.query<{ reason: string; data: { protocol: string } }>(
    `SELECT reason, data FROM audit_events
     WHERE type = 'auth.login.failed' AND reason = $1 AND org_id IS NULL
       AND occurred_at > now() - interval '70 seconds'
     ORDER BY occurred_at DESC LIMIT 1`,
    [reason],
  );
  assert.ok(earlier.length, `no auth.login.failed ${reason} for ${requestId}, nor one this minute`);
  return earlier;
}
