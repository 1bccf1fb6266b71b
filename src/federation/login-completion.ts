import type { AuditLog } from '../audit/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/index.js';
import { isAppError } from '../platform/errors.js';
import { findVerifiedDomainOrg, orgStore, type UserService } from '../orgs/index.js';
import { userSessionEvent, type SessionService } from '../sessions/index.js';
import type { ConnectionAssurance } from '../connections/index.js';
import { assuranceChecked, type AssuranceLevel, type UpstreamProof } from './assurance.js';
import { runIdentityChecks, type MappedIdentity } from './identity-checks.js';
import { createLoginAttempts, type LoginAttempt } from './login-attempt.js';
import type { ConnectionTestRecorder } from './connection-tests/connection-test.js';
import { finishTestLogin } from './connection-tests/test-login.js';

export { LoginFailure, type LoginProtocol } from './login-attempt.js';

export interface CompletedLogin {
  /** The new session's cookie value; null after a test sign-in (no session opens). */
  sessionToken: string | null;
  /** The new session (null after a test sign-in), whose person a replaced session is matched on. */
  session: { id: string; orgId: string; userId: string } | null;
  returnTo: string;
}

/**
 * How every upstream login ends, whatever the protocol: a failure goes through the flow's
 * LoginAttempt (login-attempt.ts: counted, audited as auth.login.failed, thrown); an identity the upstream IdP vouched for goes through the org's identity
 * checks, is found or provisioned by (connection, subject), and gets a new session.
 */
export function createLoginCompletion(deps: {
  db: Queryable;
  users: UserService;
  sessions: SessionService;
  audit: AuditLog;
  metrics: Metrics;
  clock: Clock;
  /** Where a test sign-in's outcome is written (connection-tests/). */
  tests: ConnectionTestRecorder;
}) {
  const { db, users, sessions, audit, metrics, clock } = deps;

  /** The org that owns an email domain as a verified domain, if any. */
  const orgOfEmailDomain = async (domain: string) =>
    (await findVerifiedDomainOrg(db, domain))?.orgId ?? null;

  return {
    /** A new login attempt (one per flow): how its failures are audited, counted and thrown. */
    attempt: createLoginAttempts({ audit, metrics, clock }),
    orgOfEmailDomain,

    /**
     * The rest of a login once the upstream IdP's answer is verified: the org is active,
     * the identity passes the org's checks, the user is found or provisioned, and a new
     * session opens (never reusing a token the browser brought: no fixation).
     */
    async finish(login: VerifiedLogin, attempt: LoginAttempt): Promise<CompletedLogin> {
      const { connection, identity, startedAtMs } = login;
      const { protocol, context } = attempt.learn({ orgId: connection.orgId, startedAtMs });
      const org = await orgStore(db).get(connection.orgId);
      if (attempt.test) {
        return finishTestLogin(login, attempt.test, attempt, {
          db,
          recorder: deps.tests,
          orgOfEmailDomain,
          requireVerifiedEmail: org?.settings.requireVerifiedEmail ?? true,
        });
      }
      if (org?.status !== 'active') {
        return attempt.fail('org_disabled', 'Your organization cannot sign in right now.');
      }
      try {
        await runIdentityChecks(identity, {
          connectionOrgId: connection.orgId,
          allowAnyEmailDomain: connection.allowAnyEmailDomain,
          requireVerifiedEmail: org.settings.requireVerifiedEmail,
          orgOfEmailDomain,
        });
      } catch (error) {
        const reason = isAppError(error) ? error.code : 'identity_invalid';
        return attempt.fail(reason, (error as Error).message);
      }

      // The org's assurance policy (docs/assurance.md): refused before anyone is provisioned.
      const assurance = await assuranceChecked(login, org.settings, attempt);
      const user = await provision(users, login, attempt);

      const { token, session } = await sessions.open(
        {
          userId: user.id,
          orgId: connection.orgId,
          connectionId: connection.id,
          amr: assurance.amr,
          acr: assurance.acr,
          upstreamSessionId: login.upstreamSessionId,
          upstreamSubject:
            login.upstreamSubject !== undefined ? login.upstreamSubject : identity.subject,
          policy: {
            idleTimeoutSeconds: org.settings.sessionIdleTimeoutSeconds,
            absoluteLifetimeSeconds: lifetimeSeconds(
              org.settings.sessionAbsoluteLifetimeSeconds,
              login.upstreamSessionEndsAtMs ?? null,
              clock.nowMs(),
            ),
            maxSessionsPerUser: org.settings.maxSessionsPerUser,
          },
        },
        context,
      );
      // An admin may have deleted the org or deactivated the user since the checks above;
      // their sweep of sessions ran after the change was committed, so either it saw this
      // session or this look sees the change: no session outlives a deactivation.
      const gone = await goneSinceChecks(db, users, connection.orgId, user.id);
      if (gone) {
        await sessions.end(
          connection.orgId,
          session.id,
          gone === 'org_disabled' ? 'org_deleted' : 'user_deactivated',
          context,
        );
        return attempt.fail(
          gone,
          gone === 'org_disabled'
            ? 'Your organization cannot sign in right now.'
            : 'Your account cannot sign in. Contact your IT help desk.',
        );
      }
      metrics.loginAttempts.inc({ protocol, outcome: 'success', reason: 'ok' });
      metrics.loginDuration.observe(
        { protocol, outcome: 'success' },
        (clock.nowMs() - startedAtMs) / 1000,
      );
      await attempt.appendOutcome(
        userSessionEvent('auth.login.succeeded', session, context, {
          protocol,
          connection_id: connection.id,
        }),
      );
      return {
        sessionToken: token,
        session: { id: session.id, orgId: session.orgId, userId: session.userId },
        returnTo: login.returnTo,
      };
    },
  };
}

export type LoginCompletion = ReturnType<typeof createLoginCompletion>;

/** A login the upstream IdP vouched for, as its protocol hands it to the completion. */
export interface VerifiedLogin {
  connection: {
    id: string;
    orgId: string;
    allowAnyEmailDomain: boolean;
    assurance?: ConnectionAssurance;
  };
  identity: MappedIdentity;
  /** What the IdP said of how the person signed in (assurance.ts). */
  proof: UpstreamProof;
  /** The level the sign-in was asked to prove when it began (step-up), if any. */
  asked?: AssuranceLevel | null;
  upstreamSessionId: string | null;
  /**
   * When the IdP says the sign-in ends (SAML SessionNotOnOrAfter): the session ends
   * then at the latest (Profiles §4.1.4.3), or at the org's lifetime when shorter.
   */
  upstreamSessionEndsAtMs?: number | null;
  /** The subject at the IdP for logout (SAML NameID); the identity's subject when omitted. */
  upstreamSubject?: string | null;
  returnTo: string;
  startedAtMs: number;
  /** What the IdP sent, as it sent it: for a test sign-in's report (connection-tests/). */
  received?: {
    values: Record<string, unknown>;
    groups: string[];
    nameIdFormat: string | null;
  };
}

/** The connection a login came through, of either protocol, as the completion needs it. */
interface LoginConnection {
  id: string;
  orgId: string;
  settings: { allowAnyEmailDomain: boolean; assurance?: ConnectionAssurance };
}

/**
 * The last step both protocols share: the identity they mapped, its email verified as the
 * protocol decides (oidcEmailVerified, samlEmailVerified), handed to finish().
 */
export async function finishMapped<Identity extends Omit<MappedIdentity, 'emailVerified'>>(
  completion: LoginCompletion,
  connection: LoginConnection,
  mapped: {
    identity: Identity;
    emailVerified: (
      identity: Identity,
      connectionOrgId: string,
      orgOfEmailDomain: (domain: string) => Promise<string | null>,
    ) => Promise<boolean>;
  },
  login: Omit<VerifiedLogin, 'connection' | 'identity'>,
  attempt: LoginAttempt,
): Promise<CompletedLogin> {
  const identity: MappedIdentity = {
    ...mapped.identity,
    emailVerified: await mapped.emailVerified(
      mapped.identity,
      connection.orgId,
      completion.orgOfEmailDomain,
    ),
  };
  return completion.finish(
    {
      connection: {
        id: connection.id,
        orgId: connection.orgId,
        allowAnyEmailDomain: connection.settings.allowAnyEmailDomain,
        ...(connection.settings.assurance ? { assurance: connection.settings.assurance } : {}),
      },
      identity,
      ...login,
    },
    attempt,
  );
}

/** The user found or provisioned by (connection, subject); a refusal fails the attempt. */
async function provision(users: UserService, login: VerifiedLogin, attempt: LoginAttempt) {
  const { connection, identity } = login;
  try {
    const { user } = await users.provisionFromIdentity(
      {
        orgId: connection.orgId,
        connectionId: connection.id,
        subject: identity.subject,
        email: identity.email,
        emailVerified: identity.emailVerified,
        name: identity.name,
        ...(identity.roles !== undefined ? { roles: identity.roles } : {}),
      },
      attempt.context,
    );
    return user;
  } catch (error) {
    const reason = isAppError(error) ? error.code : 'provisioning_failed';
    return attempt.fail(reason, 'Your account cannot sign in. Contact your IT help desk.', error);
  }
}

/** Whether the org was disabled or the user deactivated since the checks, as a reason. */
async function goneSinceChecks(
  db: Queryable,
  users: UserService,
  orgId: string,
  userId: string,
): Promise<'org_disabled' | 'user_deactivated' | null> {
  const [orgNow, userNow] = await Promise.all([orgStore(db).get(orgId), users.getUser(userId)]);
  if (orgNow?.status !== 'active') return 'org_disabled';
  return userNow?.status !== 'active' ? 'user_deactivated' : null;
}

/** The org's session lifetime, cut short to when the IdP says the sign-in ends (≥ 1 s). */
function lifetimeSeconds(orgSeconds: number, endsAtMs: number | null, nowMs: number): number {
  if (endsAtMs === null) return orgSeconds;
  return Math.max(1, Math.min(orgSeconds, Math.floor((endsAtMs - nowMs) / 1000)));
}
