import type { AuditLog, RequestContext } from '../audit/index.js';
import type { ConnectionForLogin, ConnectionService } from '../connections/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/index.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import { findVerifiedDomainOrg, orgStore, type UserService } from '../orgs/index.js';
import type { SessionService } from '../sessions/index.js';
import { levelAskedIn, reauthenticationAskedIn, signInLevel, strongest } from './assurance.js';
import { createLoginCompletion, type CompletedLogin } from './login-completion.js';
import { LoginFailure, type LoginAttempt, type LoginProtocol } from './login-attempt.js';
import type { ConnectionTestRecorder } from './connection-tests/connection-test.js';
import type { LoginTransactions } from './login-transaction.js';
import type { createOidcUpstream } from './oidc/oidc-upstream.js';
import { createOidcLogin, type OidcCallback } from './oidc-login.js';
import type { SamlServiceProvider } from './saml/saml-service-provider.js';
import { samlRequestKey } from './saml-acceptance.js';
import { createSamlLogin } from './saml-login.js';
import { createSamlLogout } from './saml-logout.js';
import { sessionReplacer } from './replaced-session.js';

import type { LoginRequest, StartedLogin } from './upstream-protocol.js';

export { LoginFailure, type CompletedLogin } from './login-completion.js';
export type { OidcCallback } from './oidc-login.js';
export type { StartedLogin } from './upstream-protocol.js';

export interface ConnectionChoice {
  id: string;
  name: string;
  type: 'oidc' | 'saml';
}

export type Discovery =
  | { kind: 'connections'; orgId: string; connections: ConnectionChoice[] }
  | { kind: 'none'; reason: 'domain_unknown' | 'no_active_connection' };

/**
 * Browser SSO through an org's own IdP: home-realm discovery, the login transaction,
 * the upstream exchange (the protocols side by side: oidc-login.ts and saml-login.ts, each
 * an UpstreamProtocol with its ordered checks),
 * identity checks, just-in-time provisioning and the session (login-completion.ts, shared
 * by both). Every outcome is audited (auth.login.started with the outcome,
 * auth.login.succeeded|failed) and counted (latchkey_login_attempts_total); a begin is
 * only counted (latchkey_login_starts_total).
 */
export interface LoginServiceDeps {
  db: Queryable;
  connections: ConnectionService;
  users: UserService;
  sessions: SessionService;
  transactions: LoginTransactions;
  oidc: ReturnType<typeof createOidcUpstream>;
  saml: SamlServiceProvider;
  /** Single-use records of SAML logins: pending requests, replay cache, ACS hand-off. */
  ephemeral: EphemeralStore;
  samlClockSkewSeconds: number;
  audit: AuditLog;
  metrics: Metrics;
  clock: Clock;
  /** Where test sign-ins end (connection-tests/): their outcome instead of a session. */
  tests: ConnectionTestRecorder;
  /**
   * Spends the sign-in budgets of a login about to start at this connection (per org and
   * address, per org, per email): throws to refuse it before any state is kept.
   */
  admit?: (
    connection: { id: string; orgId: string },
    loginHint: string | null,
    context: RequestContext,
  ) => Promise<void>;
}

export function createLoginService(deps: LoginServiceDeps) {
  const { db, connections, users, sessions, transactions, oidc, audit, metrics, clock } = deps;
  const completion = createLoginCompletion({
    db,
    users,
    sessions,
    audit,
    metrics,
    clock,
    tests: deps.tests,
  });
  const asTest = testOutcomes(deps.tests);
  const oidcLogin = createOidcLogin({ connections, transactions, oidc, completion, clock });
  const samlLogin = createSamlLogin({
    connections,
    transactions,
    ephemeral: deps.ephemeral,
    saml: deps.saml,
    completion,
    clock,
    clockSkewSeconds: deps.samlClockSkewSeconds,
  });

  const samlLogout = createSamlLogout({
    connections,
    sessions,
    ephemeral: deps.ephemeral,
    saml: deps.saml,
    audit,
    clock,
    clockSkewSeconds: deps.samlClockSkewSeconds,
  });

  const callbackAttempt = callbackAttempts(completion.attempt, deps.ephemeral);
  const replacing = sessionReplacer(sessions);

  return {
    ...discovery(db, connections),

    /**
     * Begins a login at one connection, through its protocol: where to send the browser.
     * The browser's previous login, if its transaction cookie names one, is removed: at
     * most one open login per browser.
     *
     * A begin writes no audit row, and a failed begin is audited only where it concerns
     * an org: an id that names no available connection is anonymous garbage (counted,
     * never audited); at an existing connection (a missing secret, an unreachable IdP) the
     * org's admins are told in its audit trail, once per connection and reason a minute,
     * so that repeating the request does not grow the trail either.
     */
    start: (
      request: LoginRequest & {
        connectionId: string;
        /** The transaction cookie the browser sent with this begin, or null. */
        previousTransactionCookie: string | null;
      },
      context: RequestContext,
    ): Promise<StartedLogin> =>
      asTest(context, async () => {
        const attempt = completion.attempt('oidc', context);
        if (request.test) attempt.learn({ test: { ...request.test, returnTo: request.returnTo } });
        return begin(request, attempt, { ...deps, oidcLogin, samlLogin });
      }),

    /**
     * The OIDC callback, on the connection's own redirect URI: the ordered checks of
     * oidc/callback-checks.ts, then the identity, provisioning and a new session, which
     * replaces the browser's session (its cookie's token) if that was the same person's.
     */
    completeOidc: (
      callback: OidcCallback,
      context: RequestContext,
      previousSessionToken: string | null = null,
    ): Promise<CompletedLogin> =>
      asTest(context, () =>
        replacing(previousSessionToken, context, () =>
          oidcLogin.complete(callback, callbackAttempt('oidc', context)),
        ),
      ),

    /** The SAML ACS (HTTP-POST): the ordered checks; a one-time handle to complete with. */
    acceptSamlResponse: (
      connectionId: string,
      message: { samlResponse: string; relayState: string | null },
      context: RequestContext,
    ): Promise<{ handle: string }> =>
      asTest(context, () =>
        samlLogin.acceptResponse(connectionId, message, callbackAttempt('saml', context)),
      ),

    /** The SAML login's last step, in the browser that started it (a session replaced as OIDC's). */
    completeSaml: (
      callback: { handle: string; binding: string | null },
      context: RequestContext,
      previousSessionToken: string | null = null,
    ): Promise<CompletedLogin> =>
      asTest(context, () =>
        replacing(previousSessionToken, context, () =>
          samlLogin.complete(callback, callbackAttempt('saml', context)),
        ),
      ),

    /** What an accepted SAML response would sign in (IdP-initiated or not), or null. */
    pendingSaml: samlLogin.pending,

    /** A SAML connection's SP metadata XML, or null when there is no such connection. */
    samlMetadata: samlLogin.metadata,

    /**
     * SAML Single Logout, SP-initiated: where to send the browser (the IdP, with a signed
     * LogoutRequest) when it signs out of this session; null when not applicable.
     */
    beginSamlLogout: (...args: Parameters<typeof samlLogout.begin>) => samlLogout.begin(...args),

    /** A logout message from a SAML IdP at the connection's SLO URL. */
    receiveSamlLogout: (...args: Parameters<typeof samlLogout.receive>) =>
      samlLogout.receive(...args),
  };
}

/** A begin, at an active connection (or a draft, for a test sign-in). */
async function begin(
  request: LoginRequest & { connectionId: string; previousTransactionCookie: string | null },
  attempt: LoginAttempt,
  deps: LoginServiceDeps & {
    oidcLogin: ReturnType<typeof createOidcLogin>;
    samlLogin: ReturnType<typeof createSamlLogin>;
  },
): Promise<StartedLogin> {
  const connection = await loginConnection(deps.connections, request.connectionId, !!request.test);
  attempt.learn({ auditsFailure: beginFailureAudit(deps.ephemeral, connection?.id ?? null) });
  if (!connection) {
    return attempt.fail('connection_unavailable', 'This sign-in option is not available.');
  }
  await deps.admit?.(connection, request.loginHint, attempt.context);
  // What the IdP is asked for (assurance.ts): the org's level or an app's step-up, and a
  // fresh authentication when the authorization request forces one.
  const asking = {
    ...request,
    reauthenticate: request.reauthenticate ?? reauthenticationAskedIn(request.returnTo),
    assurance: await signInLevel(
      deps.db,
      connection.orgId,
      strongest(request.assurance ?? null, levelAskedIn(request.returnTo)),
    ),
  };
  const started =
    connection.type === 'saml'
      ? await deps.samlLogin.begin(connection, asking, attempt)
      : await deps.oidcLogin.begin(connection, asking, attempt);
  deps.metrics.loginStarts.inc({ protocol: connection.type });
  await abandonPreviousLogin(deps.transactions, deps.ephemeral, request.previousTransactionCookie);
  return started;
}

/**
 * A test sign-in's failure, wherever in the flow it happens once the test is known, is
 * the test's outcome: recorded (with its reason code), then thrown on for the page to
 * send the browser to the test's report.
 */
function testOutcomes(tests: ConnectionTestRecorder) {
  return async <T>(context: RequestContext, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof LoginFailure && error.test)
        await tests.failed(error.test.id, error.reason, null, context);
      throw error;
    }
  };
}

/** A failed begin at an existing connection is audited at most once per reason in this time. */
const BEGIN_FAILURE_AUDIT_INTERVAL_MS = 60_000;

/** Whether a begin's failure is audited (see start): never without a connection. */
function beginFailureAudit(
  ephemeral: EphemeralStore,
  connectionId: string | null,
): (reason: string) => Promise<boolean> {
  if (connectionId === null) return () => Promise.resolve(false);
  return (reason) =>
    ephemeral.claim(
      `login-begin-failed:${connectionId}:${reason}`,
      BEGIN_FAILURE_AUDIT_INTERVAL_MS,
    );
}

/**
 * An IdP's answer (or something posing as one): its failures are audited in the org's
 * trail once the flow knows the org or found the browser's transaction. Before that (an
 * unknown state or handle, a callback with nothing to match), nothing ties it to a login
 * or an org: anonymous garbage is counted, and audited in the platform trail only once
 * per protocol and reason a minute, so repeating it does not grow the trail.
 */
function callbackAttempts(
  attemptOf: (protocol: LoginProtocol, context: RequestContext) => LoginAttempt,
  ephemeral: EphemeralStore,
) {
  return (protocol: LoginProtocol, context: RequestContext) => {
    const attempt = attemptOf(protocol, context);
    return attempt.learn({
      auditsFailure: (reason) =>
        attempt.orgId !== null || attempt.transaction !== null
          ? Promise.resolve(true)
          : ephemeral.claim(
              `login-callback-failed:${protocol}:${reason}`,
              BEGIN_FAILURE_AUDIT_INTERVAL_MS,
            ),
    });
  };
}

/** Removes the browser's previous login: its transaction and a SAML request's pending id. */
async function abandonPreviousLogin(
  transactions: LoginTransactions,
  ephemeral: EphemeralStore,
  transactionCookie: string | null,
): Promise<void> {
  const abandoned = await transactions.abandonPrevious(transactionCookie);
  if (abandoned?.samlRequestId) await ephemeral.delete(samlRequestKey(abandoned.samlRequestId));
}

/** Home-realm discovery: from an email's verified domain, or an org's slug. */
function discovery(db: Queryable, connections: ConnectionService) {
  const activeConnectionsOf = async (orgId: string): Promise<Discovery> => {
    const active = await connections.listActiveConnections(orgId);
    if (!active.length) return { kind: 'none', reason: 'no_active_connection' };
    return {
      kind: 'connections',
      orgId,
      connections: active.map((c) => ({ id: c.id, name: c.name, type: c.type })),
    };
  };

  return {
    /** Home-realm discovery: the email's verified domain selects the org and its active connections. */
    async discover(email: string): Promise<Discovery> {
      const at = email.lastIndexOf('@');
      const domain = at > 0 ? email.slice(at + 1).trim() : '';
      const org = domain ? await findVerifiedDomainOrg(db, domain) : null;
      if (!org) return { kind: 'none', reason: 'domain_unknown' };
      return activeConnectionsOf(org.orgId);
    },

    /** The `org` login hint: an active org by slug and its active connections. */
    async discoverOrg(slug: string): Promise<Discovery> {
      const org = await orgStore(db).getBySlug(slug);
      if (org?.status !== 'active') return { kind: 'none', reason: 'domain_unknown' };
      return activeConnectionsOf(org.id);
    },
  };
}

/**
 * The connection a login may start at: an active one, or a draft for a test sign-in only
 * (nothing goes live untested: a draft opens no session).
 */
async function loginConnection(
  connections: ConnectionService,
  connectionId: string,
  isTest: boolean,
): Promise<ConnectionForLogin | null> {
  const connection = await connections.getConnectionForLogin(connectionId);
  if (!connection) return null;
  if (connection.status === 'active' || (isTest && connection.status === 'draft'))
    return connection;
  return null;
}

export type LoginService = ReturnType<typeof createLoginService>;
