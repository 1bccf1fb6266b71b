import { randomBytes } from 'node:crypto';
import type { AuditLog, RequestContext } from '../audit/index.js';
import type { ConnectionForLogin, ConnectionService } from '../connections/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError, isAppError } from '../platform/errors.js';
import { findVerifiedDomainOrg, orgStore, type UserService } from '../orgs/index.js';
import type { SessionService } from '../sessions/index.js';
import { mapOidcClaims, runIdentityChecks } from './identity-checks.js';
import type { LoginTransactions } from './login-transaction.js';
import type { createOidcUpstream } from './oidc/oidc-upstream.js';

export interface ConnectionChoice {
  id: string;
  name: string;
  type: 'oidc' | 'saml';
}

export type Discovery =
  | { kind: 'connections'; orgId: string; connections: ConnectionChoice[] }
  | { kind: 'none'; reason: 'domain_unknown' | 'no_active_connection' };

export interface StartedLogin {
  /** Where to send the browser (the IdP). */
  redirectUrl: string;
  /** The value of the HttpOnly transaction cookie binding the login to this browser. */
  binding: string;
}

export interface CompletedLogin {
  sessionToken: string;
  returnTo: string;
}

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

/**
 * Browser SSO through an org's own IdP: home-realm discovery, the login transaction,
 * the upstream exchange (openid-client), identity checks, just-in-time provisioning and
 * the session. Every outcome is audited (auth.login.started|succeeded|failed) and
 * counted (latchkey_login_attempts_total).
 */
export function createLoginService(deps: {
  db: Queryable;
  connections: ConnectionService;
  users: UserService;
  sessions: SessionService;
  transactions: LoginTransactions;
  oidc: ReturnType<typeof createOidcUpstream>;
  audit: AuditLog;
  metrics: Metrics;
  clock: Clock;
}) {
  const { db, connections, users, sessions, transactions, oidc, audit, metrics, clock } = deps;

  const fail = async (
    reason: string,
    message: string,
    orgId: string | null,
    context: RequestContext,
    protocol: 'oidc' | 'saml',
    startedAtMs: number | null,
    cause?: unknown,
  ): Promise<never> => {
    metrics.loginAttempts.inc({ protocol, outcome: 'failure', reason });
    if (startedAtMs !== null) {
      metrics.loginDuration.observe(
        { protocol, outcome: 'failure' },
        (clock.nowMs() - startedAtMs) / 1000,
      );
    }
    await audit.record(db, {
      type: 'auth.login.failed',
      orgId,
      actor: { type: 'user', id: null },
      outcome: 'failure',
      reason,
      context,
      data: { protocol },
    });
    throw new LoginFailure(reason, message, orgId, cause);
  };

  const activeConnectionsOf = async (orgId: string): Promise<Discovery> => {
    const active = await connections.listActiveConnections(orgId);
    if (!active.length) return { kind: 'none', reason: 'no_active_connection' };
    return {
      kind: 'connections',
      orgId,
      connections: active.map((c) => ({ id: c.id, name: c.name, type: c.type })),
    };
  };

  const loginConnection = async (
    connectionId: string,
    allowDraft: boolean,
  ): Promise<ConnectionForLogin | null> => {
    const connection = await connections.getConnectionForLogin(connectionId);
    if (!connection) return null;
    if (connection.status === 'active' || (allowDraft && connection.status === 'draft'))
      return connection;
    return null;
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

    async start(
      request: {
        connectionId: string;
        returnTo: string;
        loginHint: string | null;
        allowDraft: boolean;
      },
      context: RequestContext,
    ): Promise<StartedLogin> {
      const connection = await loginConnection(request.connectionId, request.allowDraft);
      if (!connection) {
        return fail(
          'connection_unavailable',
          'This sign-in option is not available.',
          null,
          context,
          'oidc',
          null,
        );
      }
      if (connection.type !== 'oidc' || !connection.clientSecret) {
        return fail(
          'protocol_unavailable',
          'This sign-in option is not available yet.',
          connection.orgId,
          context,
          connection.type,
          null,
        );
      }
      const state = randomBytes(32).toString('base64url');
      const nonce = randomBytes(32).toString('base64url');
      const codeVerifier = randomBytes(48).toString('base64url');
      let redirectUrl: string;
      try {
        redirectUrl = await oidc.authorizationUrl(
          {
            id: connection.id,
            version: connection.version,
            issuer: connection.settings.issuer,
            clientId: connection.settings.clientId,
            clientSecret: connection.clientSecret,
            scopes: connection.settings.scopes,
            tokenEndpointAuthMethod: connection.settings.tokenEndpointAuthMethod,
          },
          { state, nonce, codeVerifier, loginHint: request.loginHint },
        );
      } catch (error) {
        const reason = isAppError(error) ? error.code : 'idp_unreachable';
        return fail(
          reason,
          'Your company sign-in service could not be reached. Try again shortly.',
          connection.orgId,
          context,
          'oidc',
          null,
          error,
        );
      }
      const binding = await transactions.begin({
        connectionId: connection.id,
        orgId: connection.orgId,
        protocol: 'oidc',
        state,
        nonce,
        codeVerifier,
        returnTo: request.returnTo,
        startedAtMs: clock.nowMs(),
      });
      await audit.record(db, {
        type: 'auth.login.started',
        orgId: connection.orgId,
        actor: { type: 'user', id: null },
        target: { type: 'connection', id: connection.id },
        context,
        data: { protocol: 'oidc' },
      });
      return { redirectUrl, binding };
    },

    /**
     * The OIDC callback, as an ordered list of checks: the transaction exists (not
     * replayed) and belongs to this browser; openid-client verifies state, iss, code,
     * PKCE and the ID token; the identity passes the org's checks; then the user is found
     * or provisioned by (connection, subject) and a new session opens.
     */
    async completeOidc(
      callbackUrl: URL,
      binding: string | null,
      context: RequestContext,
    ): Promise<CompletedLogin> {
      const state = callbackUrl.searchParams.get('state');
      if (!state)
        return fail(
          'state_missing',
          'This sign-in link is incomplete. Start again.',
          null,
          context,
          'oidc',
          null,
        );
      const found = await transactions.complete(state, binding);
      if (!found.ok) {
        return found.reason === 'missing'
          ? fail(
              'transaction_not_found',
              'This sign-in has expired or was already used. Start again.',
              null,
              context,
              'oidc',
              null,
            )
          : fail(
              'transaction_foreign_browser',
              'This sign-in was started in another browser. Start again here.',
              null,
              context,
              'oidc',
              null,
            );
      }
      const { tx } = found;
      const connection = await connections.getConnectionForLogin(tx.connectionId);
      if (
        !connection ||
        connection.type !== 'oidc' ||
        !connection.clientSecret ||
        connection.status === 'disabled'
      ) {
        return fail(
          'connection_unavailable',
          'This sign-in option is no longer available.',
          tx.orgId,
          context,
          'oidc',
          tx.startedAtMs,
        );
      }
      let upstream;
      try {
        upstream = await oidc.complete(
          {
            id: connection.id,
            version: connection.version,
            issuer: connection.settings.issuer,
            clientId: connection.settings.clientId,
            clientSecret: connection.clientSecret,
            scopes: connection.settings.scopes,
            tokenEndpointAuthMethod: connection.settings.tokenEndpointAuthMethod,
          },
          callbackUrl,
          { state: tx.state, nonce: tx.nonce ?? '', codeVerifier: tx.codeVerifier ?? '' },
        );
      } catch (error) {
        const reason = isAppError(error) ? error.code : 'id_token_invalid';
        const message = reason.startsWith('idp_')
          ? 'Your company sign-in service did not complete the sign-in.'
          : 'Your company sign-in could not be verified.';
        return fail(reason, message, tx.orgId, context, 'oidc', tx.startedAtMs, error);
      }

      const org = await orgStore(db).get(connection.orgId);
      if (org?.status !== 'active') {
        return fail(
          'org_disabled',
          'Your organization cannot sign in right now.',
          connection.orgId,
          context,
          'oidc',
          tx.startedAtMs,
        );
      }
      const identity = mapOidcClaims(
        upstream.claims,
        connection.settings.claimMapping,
        connection.settings.roleMapping,
      );
      try {
        await runIdentityChecks(identity, {
          connectionOrgId: connection.orgId,
          allowAnyEmailDomain: connection.settings.allowAnyEmailDomain,
          requireVerifiedEmail: org.settings.requireVerifiedEmail,
          orgOfEmailDomain: async (domain) =>
            (await findVerifiedDomainOrg(db, domain))?.orgId ?? null,
        });
      } catch (error) {
        const reason = isAppError(error) ? error.code : 'identity_invalid';
        return fail(
          reason,
          (error as Error).message,
          connection.orgId,
          context,
          'oidc',
          tx.startedAtMs,
        );
      }

      let user;
      try {
        ({ user } = await users.provisionFromIdentity(
          {
            orgId: connection.orgId,
            connectionId: connection.id,
            subject: identity.subject,
            email: identity.email,
            emailVerified: identity.emailVerified,
            name: identity.name,
            ...(identity.roles !== undefined ? { roles: identity.roles } : {}),
          },
          context,
        ));
      } catch (error) {
        const reason = isAppError(error) ? error.code : 'provisioning_failed';
        return fail(
          reason,
          'Your account cannot sign in. Contact your IT help desk.',
          connection.orgId,
          context,
          'oidc',
          tx.startedAtMs,
          error,
        );
      }

      // A new session token at every login: nothing a browser brought is reused (no fixation).
      const { token, session } = await sessions.open(
        {
          userId: user.id,
          orgId: connection.orgId,
          connectionId: connection.id,
          amr: amrOf(upstream.claims),
          upstreamSessionId: upstream.sid,
          upstreamSubject: identity.subject,
          policy: {
            idleTimeoutSeconds: org.settings.sessionIdleTimeoutSeconds,
            absoluteLifetimeSeconds: org.settings.sessionAbsoluteLifetimeSeconds,
            maxSessionsPerUser: org.settings.maxSessionsPerUser,
          },
        },
        context,
      );
      metrics.loginAttempts.inc({ protocol: 'oidc', outcome: 'success', reason: 'ok' });
      metrics.loginDuration.observe(
        { protocol: 'oidc', outcome: 'success' },
        (clock.nowMs() - tx.startedAtMs) / 1000,
      );
      await audit.record(db, {
        type: 'auth.login.succeeded',
        orgId: connection.orgId,
        actor: { type: 'user', id: user.id },
        target: { type: 'session', id: session.id },
        context,
        data: { protocol: 'oidc', connection_id: connection.id },
      });
      return { sessionToken: token, returnTo: tx.returnTo };
    },
  };
}

/** RFC 8176 methods the IdP reports, else "fed" (federated) — never more than was asserted. */
function amrOf(claims: Record<string, unknown>): string[] {
  const amr = claims.amr;
  const asserted = Array.isArray(amr)
    ? amr.filter((m): m is string => typeof m === 'string' && /^[a-z]{2,16}$/.test(m))
    : [];
  return asserted.length ? [...new Set(asserted)] : ['fed'];
}

export type LoginService = ReturnType<typeof createLoginService>;
