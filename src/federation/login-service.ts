import { randomBytes } from 'node:crypto';
import type { AuditLog, RequestContext } from '../audit/index.js';
import type { ConnectionForLogin, ConnectionService } from '../connections/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/index.js';
import { isAppError } from '../platform/errors.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import { findVerifiedDomainOrg, orgStore, type UserService } from '../orgs/index.js';
import type { SessionService } from '../sessions/index.js';
import { mapOidcClaims, oidcEmailVerified } from './identity-checks.js';
import { createLoginCompletion, type CompletedLogin } from './login-completion.js';
import type { LoginTransactions } from './login-transaction.js';
import type { createOidcUpstream } from './oidc/oidc-upstream.js';
import type { SamlServiceProvider } from './saml/saml-service-provider.js';
import { createSamlLogin } from './saml-login.js';
import { createSamlLogout } from './saml-logout.js';

export { LoginFailure, type CompletedLogin } from './login-completion.js';

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

/**
 * Browser SSO through an org's own IdP: home-realm discovery, the login transaction,
 * the upstream exchange (openid-client for OIDC, samlify for SAML: saml-login.ts),
 * identity checks, just-in-time provisioning and the session (login-completion.ts, shared
 * by both). Every outcome is audited (auth.login.started|succeeded|failed) and counted
 * (latchkey_login_attempts_total).
 */
export function createLoginService(deps: {
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
}) {
  const { db, connections, users, sessions, transactions, oidc, audit, metrics, clock } = deps;
  const completion = createLoginCompletion({ db, users, sessions, audit, metrics, clock });
  const { fail } = completion;
  const samlLogin = createSamlLogin({
    connections,
    transactions,
    ephemeral: deps.ephemeral,
    saml: deps.saml,
    completion,
    audit,
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
      if (connection.type === 'saml') {
        // SAML: no login hint (the AuthnRequest has no standard place the IdPs agree on).
        return samlLogin.start(connection, request.returnTo, context);
      }
      if (!connection.clientSecret) {
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
      await audit.append({
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
     * replayed) and belongs to this browser; the response came back on the redirect URI
     * of the transaction's connection (`arrivedFor`, null on the old shared one): a
     * provider that relays the browser to another provider gets that provider's answer
     * on the other connection's URI, never its code (mix-up, RFC 9700 §4.4.2, whether or
     * not the provider sends RFC 9207's `iss`); openid-client verifies state, iss, code,
     * PKCE and the ID token; the identity passes the org's checks; then the user is found
     * or provisioned by (connection, subject) and a new session opens.
     */
    async completeOidc(
      callbackUrl: URL,
      binding: string | null,
      context: RequestContext,
      arrivedFor: string | null,
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
      if (tx.protocol !== 'oidc' || tx.connectionId !== arrivedFor) {
        return fail(
          'redirect_uri_mismatch',
          'This sign-in came back from another sign-in service than the one it started at. Start again.',
          tx.orgId,
          context,
          'oidc',
          tx.startedAtMs,
        );
      }
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

      const mapped = mapOidcClaims(
        upstream.claims,
        connection.settings.claimMapping,
        connection.settings.roleMapping,
      );
      const identity = {
        ...mapped,
        emailVerified: await oidcEmailVerified(
          mapped,
          connection.orgId,
          completion.orgOfEmailDomain,
        ),
      };
      return completion.finish(
        {
          protocol: 'oidc',
          connection: {
            id: connection.id,
            orgId: connection.orgId,
            allowAnyEmailDomain: connection.settings.allowAnyEmailDomain,
          },
          identity,
          amr: amrOf(upstream.claims),
          upstreamSessionId: upstream.sid,
          returnTo: tx.returnTo,
          startedAtMs: tx.startedAtMs,
        },
        context,
      );
    },

    /** The SAML ACS (HTTP-POST): the ordered checks; a one-time handle to complete with. */
    acceptSamlResponse: samlLogin.acceptResponse,

    /** The SAML login's last step, in the browser that started it. */
    completeSaml: samlLogin.complete,

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

/** RFC 8176 methods the IdP reports, else "fed" (federated) — never more than was asserted. */
function amrOf(claims: Record<string, unknown>): string[] {
  const amr = claims.amr;
  const asserted = Array.isArray(amr)
    ? amr.filter((m): m is string => typeof m === 'string' && /^[a-z]{2,16}$/.test(m))
    : [];
  return asserted.length ? [...new Set(asserted)] : ['fed'];
}

export type LoginService = ReturnType<typeof createLoginService>;
