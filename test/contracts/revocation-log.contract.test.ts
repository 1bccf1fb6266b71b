import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createFakeClock } from '../../src/platform/clock.js';
import {
  createSqlRevocationLog,
  startRevocationFeed,
  type RecordedRevocation,
  type Revocation,
} from '../../src/signals/index.js';
import { forEachSqlBackend } from '../support/sql-backends.js';

const NOW = Date.UTC(2026, 11, 7);
const revocation = (over: Partial<Revocation> = {}): Revocation => ({
  kind: 'session',
  subject: `s-${Math.random().toString(36).slice(2)}`,
  orgId: 'org-1',
  userId: 'user-1',
  clientId: null,
  reason: 'admin',
  revokedAtMs: NOW,
  expiresAtMs: NOW + 60_000,
  ...over,
});

/**
 * The durable revocation log on both SQL backends (PostgreSQL, and PGlite as
 * `npm run dev` runs it): positions in commit order, once per (kind, subject), the
 * cut-off kinds, what is in force, and the NOTIFY every process's feed wakes on.
 */
forEachSqlBackend('RevocationLog contract', (open) => {
  it('when revocations are recorded, then they get increasing positions, once each, and the head follows', async () => {
    const log = createSqlRevocationLog(open());
    const [a, b] = await open().transaction((tx) =>
      log.record(tx, [revocation(), revocation({ kind: 'client', subject: 'c@1', clientId: 'c' })]),
    );
    assert.ok(a && b && b.position > a.position);
    assert.equal(await log.head(), b.position);
    const again = await open().transaction((tx) => log.record(tx, [{ ...a, reason: 'logout' }]));
    assert.deepEqual(again, [], 'a (kind, subject) is recorded once');
    assert.deepEqual(
      (await log.find([{ kind: 'client', subject: 'c@1' }])).map((r) => r.position),
      [b.position],
    );
  });

  it('when asked what is in force after a position, then expired ones and earlier ones are left out, oldest first', async () => {
    const log = createSqlRevocationLog(open());
    const head = await log.head();
    const [live, expired, later] = await open().transaction((tx) =>
      log.record(tx, [
        revocation({ kind: 'user', subject: `u@${NOW}` }),
        revocation({ expiresAtMs: NOW - 1 }),
        revocation({ kind: 'org', subject: `o@${NOW}` }),
      ]),
    );
    const inForce = await log.inForce(NOW, head, 10);
    assert.deepEqual(
      inForce.map((r) => r.position),
      [live!.position, later!.position],
    );
    assert.ok(expired);
    assert.deepEqual(
      (await log.inForce(NOW, live!.position, 10)).map((r) => r.position),
      [later!.position],
    );
  });

  it('when a revocation commits, then a feed listening on the database hears it and passes it on', async () => {
    const db = open();
    const log = createSqlRevocationLog(db);
    // A long poll interval: only the NOTIFY can wake it in time.
    const feed = await startRevocationFeed({
      db,
      log,
      clock: createFakeClock(NOW),
      pollIntervalMs: 10_000,
    });
    const heard: RecordedRevocation[] = [];
    feed.subscribe((entries) => heard.push(...entries));
    try {
      const [recorded] = await db.transaction((tx) => log.record(tx, [revocation()]));
      const deadline = Date.now() + 5000;
      while (!heard.some((r) => r.position === recorded!.position)) {
        assert.ok(Date.now() < deadline, 'the feed never heard the commit');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(feed.head(), recorded!.position);
    } finally {
      await feed.stop();
    }
  });
});
