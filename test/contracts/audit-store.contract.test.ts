import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  insertChained,
  insertChainedAfter,
  type ChainHead,
  type PreparedEvent,
} from '../../src/audit/audit-store.js';
import {
  bytes,
  eventHash,
  GENESIS_HASH,
  piiDigest,
  PLATFORM_CHAIN_ID,
} from '../../src/audit/chain.js';
import type { Database } from '../../src/platform/db/index.js';
import { forEachSqlBackend } from '../support/sql-backends.js';
import { AT, insertOrg, newEvent } from '../support/sql-fixtures.js';

interface EventRow {
  id: string;
  org_id: string | null;
  chain_id: string;
  chain_seq: number | string;
  occurred_at: Date;
  type: string;
  actor_id: string | null;
  ip: string | null;
  data: unknown;
  prev_hash: Uint8Array;
  hash: Uint8Array;
  pii_salt: Uint8Array;
  pii_digest: Uint8Array;
}

/**
 * The audit store is two functions over a Queryable (insertChained, the locking path, and
 * insertChainedAfter, the compare-and-set fast path); this suite is their contract.
 */
forEachSqlBackend('audit store contract', (open) => {
  let db: Database;

  before(() => {
    db = open();
  });

  const chain = async (chainId: string) =>
    (
      await db.query<EventRow>(
        'SELECT * FROM audit_events WHERE chain_id = $1 ORDER BY chain_seq',
        [chainId],
      )
    ).rows;
  const head = async (chainId: string): Promise<ChainHead | null> => {
    const { rows } = await db.query<{ seq: number | string; hash: Uint8Array }>(
      'SELECT seq, hash FROM audit_chain_heads WHERE chain_id = $1',
      [chainId],
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: bytes(rows[0].hash)! } : null;
  };
  /** Which of these events were written, in any chain. */
  const stored = async (ids: string[]) =>
    (
      await db.query<{ id: string }>('SELECT id FROM audit_events WHERE id = ANY($1::uuid[])', [
        ids,
      ])
    ).rows.map((r) => r.id);
  /** Where the relay stands on a chain (relay.ts): the seq up to which it has relayed. */
  const relayPosition = async (chainId: string) =>
    (
      await db.query<{ seq: string | number }>(
        'SELECT seq FROM audit_relay_positions WHERE chain_id = $1',
        [chainId],
      )
    ).rows.map((r) => Number(r.seq));
  const append = (events: PreparedEvent[]) => db.transaction((tx) => insertChained(tx, events));

  /** Every row links to the one before it and its hash is recomputable from its fields. */
  const assertChainIntact = (rows: EventRow[], events: PreparedEvent[]) => {
    let prev = GENESIS_HASH;
    rows.forEach((row, index) => {
      const event = events[index]!;
      assert.equal(Number(row.chain_seq), index + 1);
      assert.deepEqual(bytes(row.prev_hash), prev);
      const digest = piiDigest(bytes(row.pii_salt)!, event);
      assert.deepEqual(bytes(row.pii_digest), digest);
      const hash = eventHash(prev, {
        id: event.id,
        chainId: row.chain_id,
        seq: index + 1,
        occurredAtMs: event.occurredAtMs,
        type: event.type,
        schemaVersion: event.schemaVersion,
        orgId: event.orgId,
        actorType: event.actorType,
        targetType: event.targetType,
        outcome: event.outcome,
        reason: event.reason,
        requestId: event.requestId,
        piiDigest: digest,
      });
      assert.deepEqual(bytes(row.hash), hash);
      prev = hash;
    });
  };

  it('when an org’s first events are appended, then they form its chain from genesis, with the relay positioned before the first', async () => {
    const org = (await insertOrg(db)).id;
    const events = [newEvent(org, 'user.created'), newEvent(org, 'user.updated')];
    const heads = await append(events);
    const rows = await chain(org);
    assert.deepEqual(
      rows.map((r) => [r.id, r.org_id, r.type, r.actor_id, r.ip, r.data]),
      events.map((e) => [e.id, org, e.type, e.actorId, e.ip, e.data]),
    );
    assert.equal(rows[0]!.occurred_at.getTime(), AT.getTime());
    assertChainIntact(rows, events);
    assert.deepEqual(heads.get(org), { seq: 2, hash: bytes(rows[1]!.hash) });
    assert.deepEqual(await head(org), heads.get(org));
    // Everything after the position up to the head is what the relay will send.
    assert.deepEqual(await relayPosition(org), [0]);
  });

  it('when events are appended again, then they continue the chain after its head', async () => {
    const org = (await insertOrg(db)).id;
    const first = [newEvent(org, 'a.one')];
    const second = [newEvent(org, 'a.two'), newEvent(org, 'a.three')];
    await append(first);
    const heads = await append(second);
    assertChainIntact(await chain(org), [...first, ...second]);
    assert.equal(heads.get(org)?.seq, 3);
  });

  it('when one batch holds two orgs’ and platform events, then each goes to its own chain and another org’s chain is untouched', async () => {
    const a = (await insertOrg(db)).id;
    const b = (await insertOrg(db)).id;
    const ofA = [newEvent(a, 'a.one')];
    await append(ofA);
    const headOfA = await head(a);
    const platformBefore = (await head(PLATFORM_CHAIN_ID))?.seq ?? 0;
    const ofB = [newEvent(b, 'b.one'), newEvent(b, 'b.two')];
    const platform = newEvent(null, 'platform.key_rotated');
    const heads = await append([ofB[0]!, platform, ofB[1]!]);
    assert.deepEqual([...heads.keys()].sort(), [b, PLATFORM_CHAIN_ID].sort());
    assertChainIntact(await chain(b), ofB);
    assert.deepEqual(await head(a), headOfA);
    assertChainIntact(await chain(a), ofA);
    const platformRows = await chain(PLATFORM_CHAIN_ID);
    assert.equal(platformRows.at(-1)?.id, platform.id);
    assert.equal(platformRows.at(-1)?.org_id, null);
    assert.equal(Number(platformRows.at(-1)?.chain_seq), platformBefore + 1);
  });

  it('when the transaction rolls back, then no event or head move remains', async () => {
    const org = (await insertOrg(db)).id;
    await append([newEvent(org, 'a.one')]);
    const before = await head(org);
    const lost = newEvent(org, 'a.lost');
    await assert.rejects(
      db.transaction(async (tx) => {
        await insertChained(tx, [lost]);
        throw new Error('roll back');
      }),
    );
    assert.deepEqual(await head(org), before);
    assert.equal((await chain(org)).length, 1);
    assert.deepEqual(await stored([lost.id]), []);
  });

  it('when insertChainedAfter names the current head, then it appends and returns the new head', async () => {
    const org = (await insertOrg(db)).id;
    const first = [newEvent(org, 'a.one')];
    const current = (await append(first)).get(org)!;
    const next = [newEvent(org, 'a.two'), newEvent(org, 'a.three')];
    const moved = await insertChainedAfter(db, org, next, current);
    assert.equal(moved?.seq, 3);
    assert.deepEqual(await head(org), moved);
    assertChainIntact(await chain(org), [...first, ...next]);
    assert.equal((await stored(next.map((e) => e.id))).length, 2);
  });

  it('when insertChainedAfter names a head that has moved, then it writes nothing and returns null', async () => {
    const org = (await insertOrg(db)).id;
    const stale = (await append([newEvent(org, 'a.one')])).get(org)!;
    const current = (await append([newEvent(org, 'a.two')])).get(org)!;
    const late = newEvent(org, 'a.late');
    assert.equal(await insertChainedAfter(db, org, [late], stale), null);
    assert.equal(
      await insertChainedAfter(db, org, [late], { seq: current.seq, hash: stale.hash }),
      null,
    );
    assert.deepEqual(await head(org), current);
    assert.equal((await chain(org)).length, 2);
    assert.deepEqual(await stored([late.id]), []);
  });

  it('when insertChainedAfter names another org’s head, then nothing is written to either chain', async () => {
    const a = (await insertOrg(db)).id;
    const b = (await insertOrg(db)).id;
    const headOfA = (await append([newEvent(a, 'a.one')])).get(a)!;
    const headOfB = (await append([newEvent(b, 'b.one'), newEvent(b, 'b.two')])).get(b)!;
    const intruder = newEvent(a, 'a.intruder');
    assert.equal(await insertChainedAfter(db, b, [intruder], headOfA), null);
    assert.equal(await insertChainedAfter(db, a, [intruder], headOfB), null);
    assert.deepEqual(await head(a), headOfA);
    assert.deepEqual(await head(b), headOfB);
    assert.deepEqual(await stored([intruder.id]), []);
  });

  it('when a written event is updated or deleted, then the database refuses', async () => {
    const org = (await insertOrg(db)).id;
    const event = newEvent(org, 'a.one');
    await append([event]);
    await assert.rejects(
      db.query(`UPDATE audit_events SET type = 'a.forged' WHERE id = $1`, [event.id]),
      /append-only/,
    );
    await assert.rejects(
      db.query('DELETE FROM audit_events WHERE id = $1', [event.id]),
      /append-only/,
    );
    assert.equal((await chain(org))[0]?.type, 'a.one');
  });
});
