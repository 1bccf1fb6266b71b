import type { AuditEventInput, AuditLog, RequestContext } from '../audit/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';

export type LoginProtocol = 'oidc' | 'saml';

/** A test sign-in a login is (connection-tests/): its id, and where its report is shown. */
export interface LoginTest {
  id: string;
  returnTo: string;
}

/** Why a login failed, to show (with the correlation id), audit and count. */
export class LoginFailure extends AppError {
  constructor(
    readonly reason: string,
    message: string,
    readonly orgId: string | null,
    cause?: unknown,
    /** Set when the login was a test sign-in: the failure is the test's outcome. */
    readonly test: LoginTest | null = null,
  ) {
    super(reason, message, { status: 400, cause });
  }
}

/** What the flow has learned so far, which a failure is audited and counted with. */
export interface LoginAttemptFacts {
  protocol: LoginProtocol;
  /** The org the attempt concerns, once known; null before (audited as no org). */
  orgId: string | null;
  /** When the login started (its transaction), once known: a failure's duration counts from it. */
  startedAtMs: number | null;
  /**
   * The login transaction this browser began, once the callback (OIDC) or the ACS or
   * continue (SAML) found it: its auth.login.started is audited then, just before the
   * outcome. Null for a login no begin of Latchkey's started (IdP-initiated SAML).
   */
  transaction: BegunTransaction | null;
  /**
   * Whether a failure with this reason is audited (it is always counted); null audits
   * every failure. A begin sets it (login-service.ts): anonymous input must not be able
   * to grow the audit trail at will.
   */
  auditsFailure: ((reason: string) => Promise<boolean>) | null;
  /**
   * The test sign-in this login is, once known (its begin, or its found transaction): a
   * test's failure is neither counted nor audited as a login's (the test's own outcome
   * event records it, connection-test-service.ts), so testing a broken draft spends no
   * sign-in error budget.
   */
  test: LoginTest | null;
}

/** What auth.login.started records of the transaction a begin kept (in its org's chain). */
export interface BegunTransaction {
  connectionId: string;
  orgId: string;
  protocol: LoginProtocol;
  startedAtMs: number;
}

/**
 * The facts a found login transaction teaches an attempt: the start and the begin to
 * audit. Not the org: the caller decides whose failure it is (the ACS's connection may
 * not be the one the transaction began at).
 */
export function foundTransaction(
  tx: BegunTransaction & { returnTo?: string; test?: { id: string } | null },
): Partial<LoginAttemptFacts> {
  const { connectionId, orgId, protocol, startedAtMs } = tx;
  return {
    startedAtMs,
    transaction: { connectionId, orgId, protocol, startedAtMs },
    ...(tx.test ? { test: { id: tx.test.id, returnTo: tx.returnTo ?? '/' } } : {}),
  };
}

/**
 * One login, from the request that starts it (or the callback that ends it) to its
 * outcome: created once per flow with the request context, it learns the protocol, the
 * org and the start time as the flow finds them, and `fail` ends the flow with a reason
 * code: counted (latchkey_login_attempts_total{protocol,outcome,reason}, and the
 * duration once the start is known), audited (auth.login.failed) and thrown as a
 * LoginFailure. Once the flow found the transaction its browser began, the outcome
 * (failed or succeeded) is audited right after that begin's auth.login.started.
 */
export interface LoginAttempt extends Readonly<LoginAttemptFacts> {
  readonly context: RequestContext;
  /** Records what the flow has learned; returns the attempt. */
  learn(facts: Partial<LoginAttemptFacts>): LoginAttempt;
  fail(reason: string, message: string, cause?: unknown): Promise<never>;
  /**
   * Audits the outcome: auth.login.started of the found transaction first (when there is
   * one), then `outcome`, queued together so that they join their org's chain in this
   * order, in the same group commit.
   */
  appendOutcome(outcome: AuditEventInput): Promise<void>;
}

export function createLoginAttempts(deps: { audit: AuditLog; metrics: Metrics; clock: Clock }) {
  const { audit, metrics, clock } = deps;
  return (protocol: LoginProtocol, context: RequestContext): LoginAttempt => {
    const facts: LoginAttemptFacts = {
      protocol,
      orgId: null,
      startedAtMs: null,
      transaction: null,
      auditsFailure: null,
      test: null,
    };
    const attempt: LoginAttempt = {
      context,
      get protocol() {
        return facts.protocol;
      },
      get orgId() {
        return facts.orgId;
      },
      get startedAtMs() {
        return facts.startedAtMs;
      },
      get transaction() {
        return facts.transaction;
      },
      get auditsFailure() {
        return facts.auditsFailure;
      },
      get test() {
        return facts.test;
      },
      learn(learned) {
        Object.assign(facts, learned);
        return attempt;
      },
      async fail(reason, message, cause) {
        const { protocol: p, orgId, startedAtMs, auditsFailure, test } = facts;
        if (test) throw new LoginFailure(reason, message, orgId, cause, test);
        metrics.loginAttempts.inc({ protocol: p, outcome: 'failure', reason });
        if (startedAtMs !== null) {
          metrics.loginDuration.observe(
            { protocol: p, outcome: 'failure' },
            (clock.nowMs() - startedAtMs) / 1000,
          );
        }
        if (!auditsFailure || (await auditsFailure(reason))) {
          await attempt.appendOutcome({
            type: 'auth.login.failed',
            orgId,
            actor: { type: 'user', id: null },
            outcome: 'failure',
            reason,
            context,
            data: { protocol: p },
          });
        }
        throw new LoginFailure(reason, message, orgId, cause);
      },
      async appendOutcome(outcome) {
        const tx = facts.transaction;
        facts.transaction = null; // its begin is audited once, with the first outcome
        const started: AuditEventInput | null = tx && {
          type: 'auth.login.started',
          orgId: tx.orgId,
          actor: { type: 'user', id: null },
          target: { type: 'connection', id: tx.connectionId },
          context,
          data: { protocol: tx.protocol, started_at: new Date(tx.startedAtMs).toISOString() },
        };
        // Both enqueued before either is awaited: the group commit keeps their order.
        await Promise.all([...(started ? [audit.append(started)] : []), audit.append(outcome)]);
      },
    };
    return attempt;
  };
}

export type LoginAttempts = ReturnType<typeof createLoginAttempts>;
