import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFakeClock } from '../../src/platform/clock.js';
import type { Database } from '../../src/platform/db/index.js';
import {
  startRevocationFeed,
  type RecordedRevocation,
  type RevocationLog,
} from '../../src/signals/index.js';

const entry = (position: number): RecordedRevocation => ({
  position,
  kind: 'session',
  subject: `s${position}`,
  orgId: 'o',
  userId: 'u',
  clientId: null,
  reason: 'admin',
  revokedAtMs: 0,
  expiresAtMs: Number.MAX_SAFE_INTEGER,
});

/**
 * The feed's ordering against a log whose writers commit between its reads: the
 * interleavings are scripted here, which a real PostgreSQL cannot be made to hit on cue
 * (the feed against the real log is in ssf-transmitter.test.ts).
 */
describe('revocation feed', () => {
  it('when a revocation commits between reading the head and the page, then it is delivered, never skipped by the head', async () => {
    const committed: RecordedRevocation[] = [];
    // A writer commits position 2 right after the feed's first read of a poll, whichever
    // read that is: it must land in the page or stay above the head, never below it.
    let betweenReads: (() => void) | null = null;
    const read = <T>(value: T) => {
      const then = betweenReads;
      betweenReads = null;
      then?.();
      return Promise.resolve(value);
    };
    const log = {
      head: () => read(committed.at(-1)?.position ?? 0),
      inForce: (_now: number, after: number, limit: number) =>
        read(committed.filter((r) => r.position > after).slice(0, limit)),
    } as unknown as RevocationLog;
    const db = { listen: () => Promise.resolve(() => Promise.resolve()) } as unknown as Database;
    const feed = await startRevocationFeed({
      db,
      log,
      clock: createFakeClock(),
      pollIntervalMs: 60_000,
    });
    const heard: number[] = [];
    feed.subscribe((entries) => heard.push(...entries.map((e) => e.position)));
    try {
      committed.push(entry(1));
      betweenReads = () => committed.push(entry(2));
      await feed.poll();
      await feed.poll();
      assert.deepEqual(heard, [1, 2]);
      assert.equal(feed.head(), 2);
    } finally {
      await feed.stop();
    }
  });
});
