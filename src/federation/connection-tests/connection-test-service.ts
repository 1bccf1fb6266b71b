import type { AuditActor, AuditLog, RequestContext } from '../../audit/index.js';
import type { Connection, ConnectionService } from '../../connections/index.js';
import { actorOf, notFound, type AdminPrincipal } from '../../platform/admin/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import type {
  ConnectionTest,
  ConnectionTestRecorder,
  ConnectionTestReport,
} from './connection-test.js';
import { connectionTestStore } from './connection-test-store.js';

export interface ConnectionTestService {
  /**
   * A new pending test of the org's connection (a draft or an active one), audited as
   * admin.connection.test_started; the caller then begins its login in test mode.
   */
  create(
    orgId: string,
    connectionId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<ConnectionTest>;
  /** The org's test, refused (404) to another org and when missing. */
  get(orgId: string, testId: string, principal: AdminPrincipal): Promise<ConnectionTest>;
  /** The connection's newest test, or null (never tested). */
  latest(orgId: string, connectionId: string): Promise<ConnectionTest | null>;
  /**
   * Activates a connection that passed a test at its current version (else 409
   * connection_untested), through the connection service, which runs its live checks too.
   */
  activate(
    orgId: string,
    connectionId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Connection>;
  /** How a login in test mode writes its outcome. */
  recorder: ConnectionTestRecorder;
}

/** Whether the connection passed a test since it last changed. */
export const passedAtCurrentVersion = (
  connection: Pick<Connection, 'version'>,
  test: ConnectionTest | null,
): boolean => test?.outcome === 'passed' && test.connectionVersion === connection.version;

export function createConnectionTestService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  connections: ConnectionService;
}): ConnectionTestService {
  const { db, audit, clock, connections } = deps;
  const store = connectionTestStore(db);

  const finish = async (
    testId: string,
    outcome: {
      outcome: 'passed' | 'failed';
      reason: string | null;
      report: ConnectionTestReport | null;
    },
    context: RequestContext,
  ) => {
    await db.transaction(async (tx) => {
      const ended = await connectionTestStore(tx).finish(testId, outcome, clock.now());
      // A replayed callback finds the test already ended: nothing more to record.
      if (!ended) return;
      await audit.record(tx, {
        type:
          outcome.outcome === 'passed'
            ? 'admin.connection.test_passed'
            : 'admin.connection.test_failed',
        orgId: ended.orgId,
        actor: ended.startedBy as AuditActor,
        target: { type: 'connection', id: ended.connectionId },
        outcome: outcome.outcome === 'passed' ? 'success' : 'failure',
        reason: outcome.reason,
        context,
        data: { test_id: ended.id, connection_version: ended.connectionVersion },
      });
    });
  };

  return {
    async create(orgId, connectionId, principal, context) {
      const connection = await connections.get(orgId, connectionId, principal);
      if (connection.status === 'disabled') {
        throw new AppError(
          'connection_disabled',
          'This connection is disabled: enable it as a draft or activate it before testing.',
          { status: 409 },
        );
      }
      const test: ConnectionTest = {
        id: uuidv7(),
        orgId,
        connectionId,
        connectionVersion: connection.version,
        startedBy: actorOf(principal),
        startedAt: clock.now(),
        finishedAt: null,
        outcome: 'pending',
        reason: null,
        report: null,
      };
      await db.transaction(async (tx) => {
        await connectionTestStore(tx).insert(test);
        await audit.record(tx, {
          type: 'admin.connection.test_started',
          orgId,
          actor: actorOf(principal),
          target: { type: 'connection', id: connectionId },
          context,
          data: { test_id: test.id, connection_version: connection.version },
        });
      });
      return test;
    },

    async get(orgId, testId, principal) {
      if (principal.scope === 'org:admin' && principal.orgId !== orgId) throw notFound('test');
      const test = UUID_PATTERN.test(testId) ? await store.get(orgId, testId) : null;
      if (!test) throw notFound('test');
      return test;
    },

    async latest(orgId, connectionId) {
      if (!UUID_PATTERN.test(connectionId)) return null;
      return (await store.list(orgId, connectionId, 1))[0] ?? null;
    },

    async activate(orgId, connectionId, principal, context) {
      const connection = await connections.get(orgId, connectionId, principal);
      if (connection.status === 'active') return connection;
      const latest = (await store.list(orgId, connectionId, 1))[0] ?? null;
      if (!passedAtCurrentVersion(connection, latest)) {
        throw new AppError(
          'connection_untested',
          latest?.outcome === 'passed'
            ? 'The connection changed since its last passed test sign-in: test it again before activating it.'
            : 'Run a test sign-in that passes before activating this connection.',
          { status: 409 },
        );
      }
      return connections.update(
        orgId,
        connectionId,
        { status: 'active' },
        connection.version,
        principal,
        context,
      );
    },

    recorder: {
      passed: (testId, report, context) =>
        finish(testId, { outcome: 'passed', reason: null, report }, context),
      failed: (testId, reason, report, context) =>
        finish(testId, { outcome: 'failed', reason, report }, context),
    },
  };
}
