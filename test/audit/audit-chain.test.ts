import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  applyIpPolicy,
  createAuditLog,
  createAuditRetention,
  verifyAuditChains,
  verifyChain,
} from '../../src/audit/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { assertMatchesSpec } from '../support/openapi.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';

const CTX = { requestId: 'req-1', ip: '203.0.113.77', userAgent: 'audit-test' };

describe('audit trail: hash chain, append-only table, retention, erasure', () => {
  let f: AdminFixture;
  /** A superuser connection that can go behind the triggers' back, as an attacker with the DB could. */
  let raw: pg.Client;

  before(async () => {
    f = await startAdminFixture();
    raw = new pg.Client({ connectionString: f.t.database.url });
    await raw.connect();
  });
  after(async () => {
    await raw.end();
    await f.t.close();
  });

  const audit = () => f.t.app.audit;
  const db = () => f.t.app.db;

  /** An org of its own with n admin changes on its chain (each test tampers its own). */
  const orgWithEvents = async (slug: string, n = 4) => {
    const org = await f.makeOrg(slug);
    for (let i = 0; i < n; i += 1) {
      const res = await org.admin.patch(`/api/v1/orgs/${org.id}`, {
        settings: { max_sessions_per_user: 10 + i },
      });
      assert.equal(res.status, 200);
    }
    return org;
  };

  const eventsOf = async (orgId: string) =>
    (
      await db().query<{ id: string; chain_seq: number; type: string; ip: string | null }>(
        'SELECT id, chain_seq, type, ip FROM audit_events WHERE org_id = $1 ORDER BY chain_seq',
        [orgId],
      )
    ).rows.map((r) => ({ ...r, chain_seq: Number(r.chain_seq) }));

  /** Runs SQL with triggers off (session_replication_role = replica), as only a superuser can. */
  const behindTheTriggers = async (sql: string, params: unknown[]) => {
    await raw.query('SET session_replication_role = replica');
    try {
      await raw.query(sql, params);
    } finally {
      await raw.query('SET session_replication_role = DEFAULT');
    }
  };

  describe('the database refuses changes', () => {
    it('when an event is updated, deleted or the table truncated, then the database refuses: audit_events is append-only', async () => {
      const org = await orgWithEvents('immutable', 1);
      const [event, ...rest] = await eventsOf(org.id);
      for (const sql of [
        `UPDATE audit_events SET reason = 'x' WHERE id = '${event!.id}'`,
        `UPDATE audit_events SET actor_id = 'someone' WHERE id = '${event!.id}'`,
        `DELETE FROM audit_events WHERE id = '${event!.id}'`,
        'TRUNCATE audit_events',
      ]) {
        await assert.rejects(db().query(sql), /audit_events is append-only/, sql);
      }
      await assert.rejects(
        db().query('DELETE FROM audit_chain_heads WHERE chain_id = $1', [org.id]),
        /only move forward/,
      );
      await assert.rejects(
        db().query('UPDATE audit_chain_heads SET seq = 0 WHERE chain_id = $1', [org.id]),
        /only move forward/,
      );
      await assert.rejects(
        db().query(
          `INSERT INTO audit_chain_anchors (chain_id, seq, hash, purged_through, purged_at)
           VALUES ($1, 1, '\\x00', now(), now())`,
          [org.id],
        ),
        /retention purge/,
      );
      assert.equal((await eventsOf(org.id)).length, rest.length + 1);
    });

    it('when the purge setting is on, then only the prefix its anchor covers may go; heads start at genesis; every new event is chained', async () => {
      const org = await orgWithEvents('guards', 3);
      const events = await eventsOf(org.id);
      const purge = (sql: string, params: unknown[]) =>
        db().transaction(async (tx) => {
          await tx.query("SELECT set_config('latchkey.audit_purge', 'on', true)");
          await tx.query(sql, params);
        });
      // No anchor yet: nothing may be purged, not even the oldest event.
      await assert.rejects(
        purge('DELETE FROM audit_events WHERE id = $1', [events[0]!.id]),
        /append-only/,
      );
      // The tail is never purgeable, even with an anchor covering the first event (one
      // transaction: the refusal rolls the anchor back too).
      await assert.rejects(
        db().transaction(async (tx) => {
          await tx.query("SELECT set_config('latchkey.audit_purge', 'on', true)");
          await tx.query(
            `INSERT INTO audit_chain_anchors (chain_id, seq, hash, purged_through, purged_at)
             VALUES ($1, 1, $2, now(), now())`,
            [org.id, Buffer.alloc(32)],
          );
          await tx.query('DELETE FROM audit_events WHERE id = $1', [events.at(-1)!.id]);
        }),
        /append-only/,
      );
      await assert.rejects(
        db().query(`INSERT INTO audit_chain_heads (chain_id, seq, hash) VALUES ($1, 7, '\\x01')`, [
          uuidv7(),
        ]),
        /genesis/,
      );
      await assert.rejects(
        db().query(
          `INSERT INTO audit_events (id, org_id, chain_id, occurred_at, type, schema_version, actor_type, outcome)
           VALUES ($1, $2, $2, now(), 'forged.event', 1, 'system', 'success')`,
          [uuidv7(), org.id],
        ),
        /must be chained/,
      );
      assert.equal((await eventsOf(org.id)).length, events.length);
    });

    it('when the pseudonymisation setting is on, then only personal columns may change, with the salt cleared', async () => {
      const org = await orgWithEvents('narrow', 1);
      const [event] = await eventsOf(org.id);
      const attempt = (set: string) =>
        db().transaction(async (tx) => {
          await tx.query("SELECT set_config('latchkey.audit_pseudonymise', 'on', true)");
          await tx.query(`UPDATE audit_events SET ${set} WHERE id = $1`, [event!.id]);
        });
      await assert.rejects(
        attempt(`type = 'forged', pii_salt = NULL, pseudonymised_at = now()`),
        /append-only/,
      );
      await assert.rejects(attempt(`actor_id = 'x'`), /append-only/, 'salt must be cleared');
      await assert.rejects(
        attempt(`hash = '\\x00', pii_salt = NULL, pseudonymised_at = now()`),
        /append-only/,
      );
      await attempt(`ip = NULL, pii_salt = NULL, pseudonymised_at = now()`);
      assert.equal((await verifyChain(db(), org.id)).ok, true);
    });
  });

  describe('audit verify', () => {
    it('when events were written by real flows, then every chain verifies, the platform chain included', async () => {
      await orgWithEvents('honest');
      const reports = await verifyAuditChains(db());
      assert.ok(reports.length >= 3);
      for (const r of reports) assert.equal(r.ok, true, JSON.stringify(r));
      assert.ok(reports.some((r) => r.chainId === '00000000-0000-0000-0000-000000000000'));
    });

    it('when a field of an event is changed behind the trigger, then verify names that event', async () => {
      const org = await orgWithEvents('tamper-field');
      const events = await eventsOf(org.id);
      const victim = events[2]!;
      await behindTheTriggers(`UPDATE audit_events SET outcome = 'failure' WHERE id = $1`, [
        victim.id,
      ]);
      const report = await verifyChain(db(), org.id);
      assert.equal(report.ok, false);
      assert.equal(report.failure?.eventId, victim.id);
      assert.equal(report.failure?.seq, victim.chain_seq);
      assert.match(report.failure.problem, /altered/);
    });

    it('when personal data of an event is changed, then verify names that event', async () => {
      const org = await orgWithEvents('tamper-pii');
      const victim = (await eventsOf(org.id))[1]!;
      await behindTheTriggers(`UPDATE audit_events SET actor_id = 'someone-else' WHERE id = $1`, [
        victim.id,
      ]);
      const report = await verifyChain(db(), org.id);
      assert.equal(report.failure?.eventId, victim.id);
      assert.match(report.failure.problem, /personal fields/);
    });

    it('when an event in the middle is deleted, then verify names the seq missing and the event after it', async () => {
      const org = await orgWithEvents('tamper-delete');
      const events = await eventsOf(org.id);
      await behindTheTriggers('DELETE FROM audit_events WHERE id = $1', [events[1]!.id]);
      const report = await verifyChain(db(), org.id);
      assert.equal(report.failure?.eventId, events[2]!.id);
      assert.match(report.failure.problem, new RegExp(`seq ${events[1]!.chain_seq} is missing`));
    });

    it('when the last event is deleted, then verify says events at the end were removed', async () => {
      const org = await orgWithEvents('tamper-tail');
      const events = await eventsOf(org.id);
      const last = events.at(-1)!;
      await behindTheTriggers('DELETE FROM audit_events WHERE id = $1', [last.id]);
      const report = await verifyChain(db(), org.id);
      assert.equal(report.ok, false);
      assert.equal(report.failure?.seq, last.chain_seq);
      assert.match(report.failure.problem, /at the end were removed/);
    });

    it('when an event is forged and the chain re-linked after it, then verify still names it (its hash covers prev_hash)', async () => {
      const org = await orgWithEvents('tamper-relink');
      const events = await eventsOf(org.id);
      await behindTheTriggers(`UPDATE audit_events SET prev_hash = '\\x00' WHERE id = $1`, [
        events[2]!.id,
      ]);
      const report = await verifyChain(db(), org.id);
      assert.equal(report.failure?.eventId, events[2]!.id);
    });
  });

  describe('group commit', () => {
    it('when hundreds of events are appended at once across orgs, then all are durable when they resolve and the chains stay whole', async () => {
      const a = await f.makeOrg('burst-a');
      const b = await f.makeOrg('burst-b');
      const ids = await Promise.all(
        Array.from({ length: 250 }, (_, i) =>
          audit().append({
            type: 'session.created',
            orgId: i % 2 ? a.id : b.id,
            actor: { type: 'user', id: `u-${i}` },
            target: { type: 'session', id: `s-${i}` },
            context: CTX,
          }),
        ),
      );
      const { rows } = await db().query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_events WHERE id = ANY($1::uuid[])',
        [ids],
      );
      assert.equal(rows[0]!.n, 250);
      for (const org of [a, b]) {
        const events = await eventsOf(org.id);
        assert.deepEqual(
          events.map((e) => e.chain_seq),
          events.map((_, i) => i + 1),
        );
        assert.equal((await verifyChain(db(), org.id)).ok, true);
      }
    });

    it('when more than a batch of events is recorded in one transaction, then all commit with it, in order, and the chain verifies; when it rolls back, none is left', async () => {
      const org = await f.makeOrg('bulk-record');
      const events = Array.from({ length: 1203 }, (_, i) => ({
        type: 'session.ended' as const,
        orgId: org.id,
        actor: { type: 'api_key' as const, id: 'key-1' },
        target: { type: 'session', id: `s-${i}` },
        reason: 'admin',
        context: CTX,
      }));
      const ids = await db().transaction((tx) => audit().recordAll(tx, events));
      assert.equal(new Set(ids).size, 1203);
      const written = (await eventsOf(org.id)).filter((e) => e.type === 'session.ended');
      assert.deepEqual(
        written.map((e) => e.id),
        ids,
        'in the order given, one chain link each',
      );
      assert.equal((await verifyChain(db(), org.id)).ok, true);

      await assert.rejects(
        db().transaction(async (tx) => {
          await audit().recordAll(tx, events.slice(0, 600));
          throw new Error('the change they record failed');
        }),
        /the change they record failed/,
      );
      assert.equal((await eventsOf(org.id)).filter((e) => e.type === 'session.ended').length, 1203);
    });

    it('when two processes append to one org in turns and at once, then the chain neither forks nor breaks (each writer notices the other moved the head)', async () => {
      const org = await f.makeOrg('two-writers');
      // A second process's audit log over the same database.
      const other = createAuditLog({
        db: db(),
        clock: f.t.app.clock,
        pseudonymKey: Buffer.alloc(32, 7),
      });
      try {
        const event = (i: number) => ({
          type: 'session.created' as const,
          orgId: org.id,
          actor: { type: 'user' as const, id: `u-${i}` },
          target: { type: 'session', id: `s-${i}` },
          context: CTX,
        });
        // In turns: each writer's remembered head is stale every time.
        for (let i = 0; i < 6; i += 1) await (i % 2 ? other : audit()).append(event(i));
        // At once: both race for the head.
        await Promise.all(
          Array.from({ length: 120 }, (_, i) => (i % 3 ? other : audit()).append(event(100 + i))),
        );
        const events = await eventsOf(org.id);
        assert.equal(events.filter((e) => e.type === 'session.created').length, 126);
        assert.deepEqual(
          events.map((e) => e.chain_seq),
          events.map((_, i) => i + 1),
        );
        assert.equal((await verifyChain(db(), org.id)).ok, true);
      } finally {
        await other.close();
      }
    });

    it('when an append cannot be written, then its promise rejects', async () => {
      await assert.rejects(
        audit().append({
          type: 'session.created',
          orgId: 'not-a-uuid',
          actor: { type: 'system', id: null },
        }),
      );
    });
  });

  describe('IP policy', () => {
    it('when addresses are truncated, then IPv4 keeps its /24 and IPv6 its /48; none keeps nothing', () => {
      assert.equal(applyIpPolicy('203.0.113.77', 'truncated'), '203.0.113.0');
      assert.equal(applyIpPolicy('::ffff:203.0.113.77', 'truncated'), '203.0.113.0');
      assert.equal(applyIpPolicy('2001:db8:abcd:12::1', 'truncated'), '2001:db8:abcd::');
      assert.equal(applyIpPolicy('::1', 'truncated'), '0:0:0::');
      assert.equal(applyIpPolicy('not-an-ip', 'truncated'), null);
      assert.equal(applyIpPolicy('203.0.113.77', 'none'), null);
      assert.equal(applyIpPolicy('203.0.113.77', 'full'), '203.0.113.77');
    });

    it("when an org's policy is truncated or none, then its events keep that much of the IP", async () => {
      for (const [slug, policy, expected] of [
        ['ip-truncated', 'truncated', '203.0.113.0'],
        ['ip-none', 'none', null],
        ['ip-full', 'full', '203.0.113.77'],
      ] as const) {
        const res = await f.platform.post('/api/v1/orgs', {
          slug,
          name: slug,
          settings: { audit_ip: policy },
        });
        assert.equal(res.status, 201);
        const orgId = (res.body as { id: string }).id;
        await audit().append({
          type: 'session.created',
          orgId,
          actor: { type: 'user', id: 'u' },
          context: CTX,
        });
        const events = await eventsOf(orgId);
        assert.equal(events.at(-1)!.ip, expected, policy);
      }
    });
  });

  describe('retention', () => {
    it('when events are older than the retention, then a prefix of the chain is purged, anchored and audited, and the rest verifies', async () => {
      const org = await orgWithEvents('retention', 3);
      // Audit settings are the platform's to change (an org key gets 403).
      const patched = await f.platform.patch(`/api/v1/orgs/${org.id}`, {
        settings: { audit_retention_days: 1 },
      });
      assert.equal(patched.status, 200);
      const before = await eventsOf(org.id);
      const later = createFakeClock(Date.now() + 2 * 86_400_000);
      const retention = createAuditRetention({
        db: db(),
        audit: audit(),
        clock: later,
        source: { list: () => Promise.resolve([{ orgId: org.id, retentionDays: 1 }]) },
      });
      assert.deepEqual(await retention.runOnce(), [{ orgId: org.id, purged: before.length }]);
      const after = await eventsOf(org.id);
      assert.deepEqual(
        after.map((e) => [e.type, e.chain_seq]),
        [['audit.retention.purged', before.length + 1]],
      );
      const { rows } = await db().query<{ seq: number }>(
        'SELECT seq FROM audit_chain_anchors WHERE chain_id = $1',
        [org.id],
      );
      assert.equal(Number(rows[0]!.seq), before.length);
      await org.admin.patch(`/api/v1/orgs/${org.id}`, { name: 'still chained' });
      const report = await verifyChain(db(), org.id);
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(report.fromSeq, before.length);
      assert.equal(report.events, 2);
      // Everything is past the cut again: a second purge moves the anchor on.
      assert.deepEqual(await retention.runOnce(), [{ orgId: org.id, purged: 2 }]);
      const again = await verifyChain(db(), org.id);
      assert.equal(again.ok, true, JSON.stringify(again));
      assert.equal(again.fromSeq, before.length + 2);
    });

    it('when the anchor is moved behind the trigger to hide deleted events, then verify refuses it', async () => {
      const org = await orgWithEvents('retention-forged', 3);
      const events = await eventsOf(org.id);
      await behindTheTriggers('DELETE FROM audit_events WHERE chain_id = $1 AND chain_seq <= 2', [
        org.id,
      ]);
      const hash = await db().query<{ hash: Buffer }>(
        'SELECT hash FROM audit_events WHERE id = $1',
        [events[0]!.id],
      );
      assert.equal(hash.rows.length, 0);
      await behindTheTriggers(
        `INSERT INTO audit_chain_anchors (chain_id, seq, hash, purged_through, purged_at)
         SELECT chain_id, 2, prev_hash, now(), now() FROM audit_events WHERE chain_id = $1 AND chain_seq = 3`,
        [org.id],
      );
      const report = await verifyChain(db(), org.id);
      assert.equal(report.ok, false);
      assert.match(report.failure!.problem, /retention anchor/);
    });
  });

  describe('erasure (GDPR)', () => {
    it("when an org admin erases a user, then the user is gone, the user's events are pseudonymised without a trace of id, email or IP, and the chain verifies", async () => {
      const org = await f.makeOrg('erasure');
      const connectionId = uuidv7();
      await db().query(
        `INSERT INTO connections (id, org_id, type, name, status, settings, created_at, updated_at)
         VALUES ($1, $2, 'oidc', 'test', 'active', '{}', now(), now())`,
        [connectionId, org.id],
      );
      const { user } = await f.t.app.users.provisionFromIdentity(
        {
          orgId: org.id,
          connectionId,
          subject: 'idp-subject-dora',
          email: 'dora@erasure.example',
          emailVerified: true,
          name: 'Dora Explorer',
        },
        CTX,
      );
      await f.t.app.sessions.open(
        {
          userId: user.id,
          orgId: org.id,
          connectionId,
          amr: ['pwd'],
          policy: { idleTimeoutSeconds: 600, absoluteLifetimeSeconds: 3600, maxSessionsPerUser: 5 },
        },
        CTX,
      );
      await audit().append({
        type: 'auth.login.failed',
        orgId: org.id,
        actor: { type: 'user', id: null },
        outcome: 'failure',
        reason: 'test',
        context: CTX,
        data: { login_hint: 'DORA@erasure.example', note: 'Dora Explorer tried again' },
      });

      // Someone else's event that only resembles the user's identifiers stays as it was.
      const unrelatedId = await audit().append({
        type: 'session.ended',
        orgId: org.id,
        actor: { type: 'user', id: 'someone-else' },
        target: { type: 'session', id: 'other-session' },
        context: CTX,
        data: {
          user_id: 'someone-else',
          note: 'Dora Explorers club',
          hint: 'xdora@erasure.examplex',
        },
      });
      const unrelatedBefore = (
        await db().query<Record<string, unknown>>('SELECT * FROM audit_events WHERE id = $1', [
          unrelatedId,
        ])
      ).rows[0]!;

      const res = await org.admin.post(`/api/v1/orgs/${org.id}/users/${user.id}/erase`);
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'post', '/api/v1/orgs/{orgId}/users/{userId}/erase');
      const unrelatedAfter = (
        await db().query<Record<string, unknown>>('SELECT * FROM audit_events WHERE id = $1', [
          unrelatedId,
        ])
      ).rows[0]!;
      assert.deepEqual(unrelatedAfter, unrelatedBefore, 'an event not about the user is untouched');
      const body = res.body as {
        pseudonym: string;
        sessions_ended: number;
        audit_events_pseudonymised: number;
      };
      assert.equal(body.sessions_ended, 1);
      assert.ok(body.audit_events_pseudonymised >= 4);
      assert.equal(body.pseudonym, audit().pseudonymOf(user.id));

      assert.equal((await org.admin.get(`/api/v1/orgs/${org.id}/users/${user.id}`)).status, 404);
      assert.deepEqual(await f.t.app.sessions.listForUser(org.id, user.id), []);
      const { rows } = await db().query<Record<string, unknown>>(
        'SELECT * FROM audit_events WHERE org_id = $1 ORDER BY chain_seq',
        [org.id],
      );
      const text = JSON.stringify(rows.filter((r) => r.id !== unrelatedId)).toLowerCase();
      for (const trace of [user.id, 'dora@erasure.example', 'dora explorer', 'idp-subject-dora']) {
        assert.equal(text.includes(trace), false, `no trace of ${trace}`);
      }
      const own = rows.filter(
        (r) =>
          r.type !== 'privacy.erase' &&
          (r.actor_id === body.pseudonym || r.target_id === body.pseudonym),
      );
      assert.ok(own.length >= 3);
      assert.equal(
        rows.some((r) => r.ip === CTX.ip && r.actor_type !== 'api_key' && r.id !== unrelatedId),
        false,
        'no IP of the user left',
      );
      for (const row of own) {
        assert.equal(row.pii_salt, null);
        assert.ok(row.pseudonymised_at);
      }
      const erase = rows.at(-1)!;
      assert.equal(erase.type, 'privacy.erase');
      assert.equal(erase.target_id, body.pseudonym);
      const report = await verifyChain(db(), org.id);
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.ok(report.pseudonymised >= 4);

      const again = await org.admin.post(`/api/v1/orgs/${org.id}/users/${user.id}/erase`);
      assert.equal(again.status, 404);
      const other = await f.orgA.admin.post(`/api/v1/orgs/${org.id}/users/${user.id}/erase`);
      assert.equal(other.status, 404);
    });
  });
});
