import type { AuditLog, RequestContext } from '../audit/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';

export type LoginProtocol = 'oidc' | 'saml';

/** Why a login failed, to show (with the correlation id), audit and count. */
export class LoginFailure extends AppError {
  constructor(
    readonly reason: string,
    message: string,
    readonly orgId: string | null,
    cause?: unknown,
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
}

/**
 * One login, from the request that starts it (or the callback that ends it) to its
 * outcome: created once per flow with the request context, it learns the protocol, the
 * org and the start time as the flow finds them, and `fail` ends the flow with a reason
 * code: counted (latchkey_login_attempts_total{protocol,outcome,reason}, and the
 * duration once the start is known), audited (auth.login.failed) and thrown as a
 * LoginFailure.
 */
export interface LoginAttempt extends Readonly<LoginAttemptFacts> {
  readonly context: RequestContext;
  /** Records what the flow has learned; returns the attempt. */
  learn(facts: Partial<LoginAttemptFacts>): LoginAttempt;
  fail(reason: string, message: string, cause?: unknown): Promise<never>;
}

export function createLoginAttempts(deps: { audit: AuditLog; metrics: Metrics; clock: Clock }) {
  const { audit, metrics, clock } = deps;
  return (protocol: LoginProtocol, context: RequestContext): LoginAttempt => {
    const facts: LoginAttemptFacts = { protocol, orgId: null, startedAtMs: null };
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
      learn(learned) {
        Object.assign(facts, learned);
        return attempt;
      },
      async fail(reason, message, cause) {
        const { protocol: p, orgId, startedAtMs } = facts;
        metrics.loginAttempts.inc({ protocol: p, outcome: 'failure', reason });
        if (startedAtMs !== null) {
          metrics.loginDuration.observe(
            { protocol: p, outcome: 'failure' },
            (clock.nowMs() - startedAtMs) / 1000,
          );
        }
        await audit.append({
          type: 'auth.login.failed',
          orgId,
          actor: { type: 'user', id: null },
          outcome: 'failure',
          reason,
          context,
          data: { protocol: p },
        });
        throw new LoginFailure(reason, message, orgId, cause);
      },
    };
    return attempt;
  };
}

export type LoginAttempts = ReturnType<typeof createLoginAttempts>;
