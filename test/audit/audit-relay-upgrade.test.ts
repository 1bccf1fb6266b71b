import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuditRelay, AUDIT_STREAM, PLATFORM_CHAIN_ID } from '../../src/audit/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { migrate, type Database } from '../../src/platform/db/index.js';
import { migrations } from '../../src/platform/db/migrations/index.js';
import { createMemoryEventStream } from '../../src/platform/redis/index.js';
import { freshPostgres } from '../support/databases.js';

/**
 * Migration 0011 drops the audit outbox table for per-chain relay positions: an event that
 * was waiting in the outbox when the database was upgraded must still be relayed, and one
 * already relayed must not be sent again.
 */
describe('the audit relay across the upgrade from the outbox table (migration 0011)', () => {
  let db: Database;
  let teardown: () => Promise<void>;

  before(async () => {
    ({ db, teardown } = await freshPostgres({ migrated: false }));
  });
  after(() => teardown());

  it('when events wait in audit_outbox at the upgrade, then the relay sends exactly those, in chain order', async () => {
    const before0011 = migrations.findIndex((m) => m.version === '0011-audit-relay-positions');
    assert.ok(before0011 > 0);
    await migrate(db, migrations.slice(0, before0011));
    // The platform chain as the release before 0011 left it: four events, the first two
    // relayed (their outbox rows deleted), the last two still in the outbox.
    await db.query(`INSERT INTO audit_chain_heads (chain_id, seq, hash) VALUES ($1, 0, $2)`, [
      PLATFORM_CHAIN_ID,
      Buffer.alloc(32),
    ]);
    const ids: string[] = [];
    for (let seq = 1; seq <= 4; seq += 1) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO audit_events (id, org_id, occurred_at, type, schema_version, actor_type,
           outcome, data, chain_id, chain_seq, prev_hash, hash, pii_salt, pii_digest)
         VALUES (gen_random_uuid(), NULL, now(), 'key.rotated', 1, 'system', 'success', '{}',
           $1, $2, $3, $3, $3, $3)
         RETURNING id`,
        [PLATFORM_CHAIN_ID, seq, Buffer.alloc(32, seq)],
      );
      ids.push(rows[0]!.id);
      if (seq >= 3)
        await db.query(
          'INSERT INTO audit_outbox (event_id, org_id, enqueued_at) VALUES ($1, NULL, now())',
          [rows[0]!.id],
        );
    }
    await db.query('UPDATE audit_chain_heads SET seq = 4, hash = $2 WHERE chain_id = $1', [
      PLATFORM_CHAIN_ID,
      Buffer.alloc(32, 4),
    ]);

    assert.deepEqual((await migrate(db)).applied.slice(0, 1), ['0011-audit-relay-positions']);
    const stream = createMemoryEventStream();
    const relay = createAuditRelay({
      db,
      stream,
      clock: systemClock,
      settings: { batchSize: 100, streamMaxLength: 1000 },
    });
    assert.equal(await relay.runOnce(), 2);
    assert.equal(await relay.runOnce(), 0, 'nothing twice');
    const sent = await stream.tail(AUDIT_STREAM, 100);
    assert.deepEqual(
      sent.map((entry) => entry.fields.id),
      ids.slice(2),
    );
  });
});
