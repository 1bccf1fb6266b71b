import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AUDIT_STREAM,
  createAuditRelay,
  readRelayBacklog,
  toPublicEvent,
  type AuditEventRow,
  type AuditEventType,
} from '../../src/audit/index.js';
import type { EventStream } from '../../src/platform/redis/index.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';

const GROUP = 'ads-audit-consumers';

describe('audit events on the Redis stream', () => {
  let f: AdminFixture;
  let streamKey: string;
  const SYSTEM = { type: 'system' as const, id: null };

  /** Reads everything new for the group as one consumer, acknowledging it (XREADGROUP/XACK). */
  const consume = async () => {
    const redis = f.t.redis.client;
    const received: Array<{ id: string; org_id: string; type: string; event: string }> = [];
    for (;;) {
      const reply = (await redis.xreadgroup(
        'GROUP',
        GROUP,
        'consumer-1',
        'COUNT',
        100,
        'STREAMS',
        streamKey,
        '>',
      )) as Array<[string, Array<[string, string[]]>]> | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (!entries.length) return received;
      for (const [entryId, flat] of entries) {
        const fields = Object.fromEntries(
          Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]),
        ) as (typeof received)[number];
        received.push(fields);
        await redis.xack(streamKey, GROUP, entryId);
      }
    }
  };
  const storedEvents = async (ids: string[]) =>
    (
      await f.t.app.db.query<AuditEventRow>(
        'SELECT * FROM audit_events WHERE id = ANY($1::uuid[]) ORDER BY id',
        [ids],
      )
    ).rows;
  /** Committed events the relay has not relayed yet (every chain). */
  const waiting = async () => (await readRelayBacklog(f.t.app.db)).events;
  const record = (n: number, type: AuditEventType = 'saml.certificate.expiring') =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        f.t.app.audit.record(f.t.app.db, {
          type,
          orgId: f.orgA.id,
          actor: SYSTEM,
          target: { type: 'thing', id: `t${i}` },
          data: { n: i, nested: { ok: true }, text: 'ünïcode ✓' },
        }),
      ),
    );

  before(async () => {
    // The relay and sender run only when a test says so.
    f = await startAdminFixture({
      env: {
        LATCHKEY_AUDIT_RELAY_INTERVAL_MS: '3600000',
        LATCHKEY_AUDIT_WEBHOOKS_INTERVAL_MS: '3600000',
      },
    });
    streamKey = `${f.t.redis.keyPrefix}${AUDIT_STREAM}`;
    await f.t.app.auditRelay.runOnce();
    // A consumer group created now reads only what is appended from now on.
    await f.t.redis.client.xgroup('CREATE', streamKey, GROUP, '$', 'MKSTREAM');
  });
  after(async () => {
    await f.t.close();
  });

  it('when events are recorded and relayed, then a consumer group receives every one exactly as stored', async () => {
    const ids = await record(5);
    // An admin change through the API is relayed the same way.
    const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/webhooks`, {
      url: 'https://hooks.example.com/x',
    });
    assert.equal(res.status, 201);
    assert.equal(await f.t.app.auditRelay.runOnce(), 6);
    assert.equal(await waiting(), 0);

    const received = await consume();
    assert.equal(received.length, 6);
    const rows = await storedEvents(received.map((r) => r.id));
    assert.equal(rows.length, 6);
    for (const row of rows) {
      const entry = received.find((r) => r.id === row.id)!;
      assert.equal(entry.org_id, f.orgA.id);
      assert.equal(entry.type, row.type);
      assert.deepEqual(JSON.parse(entry.event), toPublicEvent(row));
    }
    const one = JSON.parse(received.find((r) => r.id === ids[0])!.event) as Record<string, unknown>;
    assert.deepEqual(
      { ...one, occurred_at: undefined },
      {
        id: ids[0],
        org_id: f.orgA.id,
        occurred_at: undefined,
        type: 'saml.certificate.expiring',
        schema_version: 1,
        actor: { type: 'system', id: null },
        target: { type: 'thing', id: 't0' },
        outcome: 'success',
        reason: null,
        request_id: null,
        ip: null,
        user_agent: null,
        data: { n: 0, nested: { ok: true }, text: 'ünïcode ✓' },
      },
    );
    assert.ok(received.some((r) => r.type === 'admin.webhook.created'));
  });

  it('when events wait in the outbox, then /metrics shows the backlog and its age, and after the relay the backlog is empty and the relayed count has grown', async () => {
    const metric = async (name: string) => {
      const text = await f.t.app.metrics.registry.metrics();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      assert.ok(line, `${name} is exposed`);
      return Number(line.split(' ')[1]);
    };
    const relayedBefore = await metric('latchkey_audit_events_relayed_total');
    await record(3, 'admin.connection.metadata_refreshed');
    assert.equal(await metric('latchkey_audit_outbox_events'), 3);
    assert.ok((await metric('latchkey_audit_outbox_oldest_age_seconds')) >= 0);
    assert.equal(await f.t.app.auditRelay.runOnce(), 3);
    assert.equal(await metric('latchkey_audit_outbox_events'), 0);
    assert.equal(await metric('latchkey_audit_outbox_oldest_age_seconds'), 0);
    assert.equal(await metric('latchkey_audit_events_relayed_total'), relayedBefore + 3);
    await consume();
  });

  it('when an event is recorded in a transaction that rolls back, then it never reaches the stream', async () => {
    await assert.rejects(
      f.t.app.db.transaction(async (tx) => {
        await f.t.app.audit.record(tx, {
          type: 'admin.connection.metadata_refresh_failed',
          orgId: f.orgA.id,
          actor: SYSTEM,
        });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal(await waiting(), 0);
    assert.equal(await f.t.app.auditRelay.runOnce(), 0);
    assert.deepEqual(await consume(), []);
  });

  it('when events are recorded while no relay runs, then a relay started later delivers every one', async () => {
    await f.t.app.auditRelay.stop();
    const ids = await record(7, 'key.rotated');
    assert.equal(await waiting(), 7);
    assert.deepEqual(await consume(), []);

    // A fresh process's relay, as after a restart.
    const fresh = createAuditRelay({
      db: f.t.app.db,
      stream: f.t.app.eventStream,
      clock: f.t.app.clock,
      settings: { batchSize: 3, streamMaxLength: 1_000_000 },
    });
    assert.equal(await fresh.runOnce(), 7);
    const received = await consume();
    assert.deepEqual(received.map((r) => r.id).sort(), [...ids].sort());
    assert.equal(await waiting(), 0);
  });

  it('when an event commits after later ones were relayed (its id is the lower), then the next pass still relays it', async () => {
    await f.t.app.auditRelay.runOnce();
    await consume();
    // The late event's id is drawn first; its transaction commits after four later ones
    // were relayed by a relay reading on after its last batch (batches of 2).
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let lateId = '';
    const late = f.t.app.db.transaction(async (tx) => {
      lateId = await f.t.app.audit.record(tx, {
        type: 'saml.certificate.expiring',
        orgId: f.orgB.id,
        actor: SYSTEM,
        target: { type: 'thing', id: 'late' },
      });
      await held;
    });
    const relay = createAuditRelay({
      db: f.t.app.db,
      stream: f.t.app.eventStream,
      clock: f.t.app.clock,
      settings: { batchSize: 2, streamMaxLength: 1_000_000 },
    });
    for (let i = 0; i < 50 && !lateId; i += 1) await new Promise((r) => setTimeout(r, 10));
    const later = await record(4);
    assert.ok(lateId < later[0]!, 'the late event has the lower id');
    assert.equal(await relay.runOnce(), 4, 'the four committed events');
    commit();
    await late;
    assert.equal(await relay.runOnce(), 1, 'the late one, on the next pass');
    const received = await consume();
    assert.deepEqual(received.map((r) => r.id).sort(), [...later, lateId].sort());
    assert.equal(await waiting(), 0);
  });

  it('when the process dies after appending to the stream but before committing, then a new relay sends the events again: none lost, duplicates carry the same id', async () => {
    const ids = await record(4, 'session.ended');
    let appended = 0;
    const crashing: EventStream = {
      ...f.t.app.eventStream,
      async append(stream, fields, options) {
        const id = await f.t.app.eventStream.append(stream, fields, options);
        appended += 1;
        // The third append is followed by a crash: the transaction never commits.
        if (appended === 3) throw new Error('process crashed');
        return id;
      },
    };
    const doomed = createAuditRelay({
      db: f.t.app.db,
      stream: crashing,
      clock: f.t.app.clock,
      settings: { batchSize: 100, streamMaxLength: 1_000_000 },
    });
    await assert.rejects(doomed.runOnce(), /process crashed/);
    assert.equal(await waiting(), 4, 'the relay positions survive the failed commit');

    assert.equal(await f.t.app.auditRelay.runOnce(), 4);
    assert.equal(await waiting(), 0);
    const received = await consume();
    // What reached the stream before the crash, then all four again: at least once.
    assert.ok(appended >= 3);
    assert.equal(received.length, appended + 4);
    assert.deepEqual([...new Set(received.map((r) => r.id))].sort(), [...ids].sort());
    const byId = new Map<string, string>();
    for (const r of received) {
      if (byId.has(r.id)) assert.equal(byId.get(r.id), r.event, 'a duplicate is identical');
      byId.set(r.id, r.event);
    }
  });

  it('when several relays run at once over two orgs’ chains, then every event reaches the stream exactly once and nothing waits', async () => {
    await f.t.app.auditRelay.runOnce();
    await consume();
    const recordFor = (orgId: string, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          f.t.app.audit.append({
            type: 'key.rotated',
            orgId,
            actor: SYSTEM,
            target: { type: 'thing', id: `c${i}` },
          }),
        ),
      );
    const ids = [...(await recordFor(f.orgA.id, 25)), ...(await recordFor(f.orgB.id, 25))];
    const relays = Array.from({ length: 3 }, () =>
      createAuditRelay({
        db: f.t.app.db,
        stream: f.t.app.eventStream,
        clock: f.t.app.clock,
        settings: { batchSize: 4, streamMaxLength: 1_000_000 },
      }),
    );
    const relayed = await Promise.all(relays.map((relay) => relay.runOnce()));
    assert.equal(
      relayed.reduce((a, b) => a + b, 0),
      50,
    );
    assert.equal(await waiting(), 0);
    const received = (await consume()).map((r) => r.id);
    assert.deepEqual([...received].sort(), [...ids].sort());
  });

  it('when events were purged before they were relayed, then nothing is sent for them and the relay moves past them', async () => {
    await f.t.app.auditRelay.runOnce();
    await consume();
    const ids = await record(3, 'session.ended');
    // Retention purges the chain up to its head before the relay runs (the anchor first,
    // as the database demands of a purge).
    await f.t.app.db.transaction(async (tx) => {
      await tx.query("SELECT set_config('latchkey.audit_purge', 'on', true)");
      await tx.query(
        `INSERT INTO audit_chain_anchors (chain_id, seq, hash, purged_through, purged_at)
         SELECT chain_id, seq, hash, now(), now() FROM audit_chain_heads WHERE chain_id = $1
         ON CONFLICT (chain_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`,
        [f.orgA.id],
      );
      await tx.query('DELETE FROM audit_events WHERE chain_id = $1', [f.orgA.id]);
    });
    assert.equal(await waiting(), 3);
    assert.equal(await f.t.app.auditRelay.runOnce(), 1, 'one row: the chain, without events');
    assert.equal(await waiting(), 0);
    assert.deepEqual(await consume(), []);
    // The chain goes on after its purged prefix: the next event is relayed as usual.
    const [next] = await record(1, 'session.ended');
    assert.equal(await f.t.app.auditRelay.runOnce(), 1);
    assert.deepEqual(
      (await consume()).map((r) => r.id),
      [next],
    );
    assert.ok(!ids.includes(next!));
  });
});
