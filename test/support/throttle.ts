/**
 * What the sign-in rate-limit tests read and assert beyond rate-limits.ts: the 429 page's
 * words, the latchkey_rate_limited_total counter, the security.rate_limited audit rows, and waits
 * bounded in time for a window to end or an audit row to land.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { App } from '../../src/app.js';
import { expectThrottled } from './rate-limits.js';

/** A limit as the response names it (RateLimit-Policy). */
export interface PolicyUnderTest {
  policy: string;
  points: number;
  windowSeconds: number;
}

export interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Asserts a sign-in page request was throttled: expectThrottled's 429 in the html style
 * (Retry-After, RateLimit-Policy / RateLimit of this policy), and the page a person reads
 * (a heading, how long to wait, no internals). Returns Retry-After in seconds.
 */
export async function assertThrottledPage(
  res: ResponseLike,
  expected: PolicyUnderTest,
): Promise<number> {
  await expectThrottled(res, {
    policy: expected.policy,
    points: expected.points,
    window: expected.windowSeconds,
    style: 'html',
  });
  const retryAfter = Number(res.headers['retry-after']);
  assertThrottledWording(res.text, retryAfter);
  return retryAfter;
}

/** The 429 page's words: a heading, when to try again; no policy, route or stack. */
export function assertThrottledWording(page: string, retryAfterSeconds: number) {
  assert.match(page, /<h1>Too many attempts<\/h1>/);
  const [n, unit] =
    retryAfterSeconds < 60
      ? [retryAfterSeconds, 'second']
      : [Math.ceil(retryAfterSeconds / 60), 'minute'];
  const wait = `${n} ${unit}${n === 1 ? '' : 's'}`;
  assert.ok(
    page.includes(`Please wait ${wait} and try again.`),
    `the page says to wait ${wait}: ${/<p class="lead">([^<]*)/.exec(page)?.[1]}`,
  );
  assert.doesNotMatch(page, /at \w+ \(|node_modules|stack|\.ts:\d+/i, 'no stack');
  assert.doesNotMatch(
    page,
    /login-ip|callback-ip|login-start|callback-connection|\/acs|\/slo|callback\//,
    'no policy or route',
  );
}

/** latchkey_rate_limited_total{door,reason}, read from the registry itself. */
export async function rateLimitedTotal(app: App, door: string, reason: string): Promise<number> {
  const text = await app.metrics.registry.metrics();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`latchkey_rate_limited_total{door="${door}",reason="${reason}"} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** security.rate_limited rows of one policy and target (their target_id). */
export async function throttleAuditRows(
  app: App,
  policy: string,
  targetId: string,
): Promise<
  Array<{
    reason: string;
    target_type: string;
    org_id: string | null;
    data: Record<string, unknown>;
  }>
> {
  const { rows } = await app.db.query<{
    reason: string;
    target_type: string;
    org_id: string | null;
    data: Record<string, unknown>;
  }>(
    `SELECT reason, target_type, org_id, data FROM audit_events
      WHERE type = 'security.rate_limited' AND data->>'policy' = $1 AND target_id = $2
      ORDER BY occurred_at`,
    [policy, targetId],
  );
  return rows;
}

/**
 * The security.rate_limited rows of a policy and target once at least `atLeast` landed
 * (audit appends are group-committed after the response), waiting at most 3 s, then a
 * little longer so that a duplicate would have landed too.
 */
export async function settledThrottleAuditRows(
  app: App,
  policy: string,
  targetId: string,
  atLeast = 1,
) {
  const deadline = Date.now() + 3000;
  while ((await throttleAuditRows(app, policy, targetId)).length < atLeast && Date.now() < deadline)
    await sleep(25);
  await sleep(150);
  return throttleAuditRows(app, policy, targetId);
}

/**
 * Sends `send` until it is no longer throttled, at most `withinMs` (bounded polling while
 * the window ends); returns that response. Each try that is still refused is counted.
 */
export async function untilAdmitted<R extends { status: number }>(
  send: () => Promise<R>,
  withinMs: number,
): Promise<{ res: R; refused: number }> {
  const deadline = Date.now() + withinMs;
  let refused = 0;
  for (;;) {
    const res = await send();
    if (res.status !== 429) return { res, refused };
    refused += 1;
    assert.ok(Date.now() < deadline, `still throttled after ${withinMs} ms`);
    await sleep(100);
  }
}
