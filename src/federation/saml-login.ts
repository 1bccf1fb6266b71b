import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import type { ConnectionService, SamlConnection } from '../connections/index.js';
import type { Clock } from '../platform/clock.js';
import { sha256Hex } from '../platform/crypto/index.js';
import { isAppError } from '../platform/errors.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { MappedIdentity } from './identity-checks.js';
import type { LoginAttempt } from './login-attempt.js';
import type { CompletedLogin, LoginCompletion } from './login-completion.js';
import { LOGIN_TRANSACTION_TTL_MS, type LoginTransactions } from './login-transaction.js';
import { DEFAULT_RETURN_TARGET } from './return-target.js';
import { AcsRefusal } from './saml/acs-checks.js';
import type { SamlConnectionConfig } from './saml/saml-entities.js';
import type { SamlServiceProvider } from './saml/saml-service-provider.js';
import { mapSamlAssertion, samlEmailVerified } from './saml-identity.js';
import type { LoginRequest, StartedLogin, UpstreamProtocol } from './upstream-protocol.js';

/**
 * Browser SSO through an org's SAML 2.0 IdP, in three steps:
 *
 * 1. begin: an AuthnRequest over HTTP-Redirect. The login transaction (with the request's
 *    ID) is kept server-side and bound to the browser by the same HttpOnly cookie as an
 *    OIDC login; RelayState is its opaque handle, and the request ID is remembered as
 *    pending, to be answered once.
 * 2. the ACS (HTTP-POST from the IdP's page): the ordered checks of saml/acs-checks.ts.
 *    This POST is cross-site, so browsers do not send the SameSite=Lax transaction cookie
 *    with it; what the checks established is kept for 60 seconds under a fresh one-time
 *    handle and the browser is sent on (303, a top-level GET that does carry the cookie).
 * 3. complete (that GET): the transaction must belong to this browser (login CSRF), then
 *    the same identity checks, provisioning and new session as every login.
 */
export const SAML_ACCEPTED_TTL_MS = 60_000;
/** An IdP-initiated sign-in's handle: the person confirms on a page first. */
export const SAML_UNSOLICITED_ACCEPTED_TTL_MS = 5 * 60_000;

interface AcceptedSamlLogin {
  connectionId: string;
  orgId: string;
  /** The AuthnRequest answered and its transaction handle; null for an IdP-initiated login. */
  solicited: { requestId: string; handle: string } | null;
  identity: Omit<MappedIdentity, 'emailVerified'>;
  sessionIndex: string | null;
  /** When the IdP says the sign-in ends (SessionNotOnOrAfter), or null. */
  sessionNotOnOrAfterMs: number | null;
  /** The NameID, which the IdP's LogoutRequest names (not necessarily the identity subject). */
  nameId: string | null;
  acceptedAtMs: number;
}

export function samlConfigOf(
  connection: SamlConnection,
): SamlConnectionConfig & { allowIdpInitiated: boolean } {
  const s = connection.settings;
  return {
    id: connection.id,
    version: connection.version,
    idpEntityId: s.idpEntityId,
    idpSsoUrl: s.idpSsoUrl,
    idpSloUrl: s.idpSloUrl,
    idpCertificates: s.idpCertificates,
    nameIdFormat: s.nameIdFormat,
    signRequests: s.signRequests,
    wantAssertionsSigned: s.wantAssertionsSigned,
    allowIdpInitiated: s.allowIdpInitiated,
  };
}

export function createSamlLogin(deps: {
  connections: ConnectionService;
  transactions: LoginTransactions;
  ephemeral: EphemeralStore;
  saml: SamlServiceProvider;
  completion: LoginCompletion;
  audit: AuditLog;
  clock: Clock;
  clockSkewSeconds: number;
}) {
  const { connections, transactions, ephemeral, saml, completion, audit, clock } = deps;
  const requestKey = (id: string) => `saml-request:${sha256Hex(id)}`;
  const requestUsedKey = (id: string) => `saml-request-used:${sha256Hex(id)}`;
  const acceptedKey = (handle: string) => `saml-accepted:${sha256Hex(handle)}`;

  /** Pending AuthnRequest ids: each is answered at most once. */
  const consumeRequest = async (
    requestId: string,
  ): Promise<{ ok: true; handle: string } | { ok: false; reason: 'unknown' | 'reused' }> => {
    const handle = await ephemeral.take(requestKey(requestId));
    if (handle) {
      // Remembered only to name a second answer to the same request for what it is.
      await ephemeral.claim(requestUsedKey(requestId), LOGIN_TRANSACTION_TTL_MS);
      return { ok: true, handle };
    }
    const used = await ephemeral.get(requestUsedKey(requestId));
    return { ok: false, reason: used ? 'reused' : 'unknown' };
  };

  const unavailable = (attempt: LoginAttempt) =>
    attempt.fail('connection_unavailable', 'This sign-in option is no longer available.');

  const protocol: UpstreamProtocol<SamlConnection, { handle: string; binding: string | null }> = {
    protocol: 'saml',

    /** The AuthnRequest (HTTP-Redirect); no login hint: the IdPs agree on no place for it. */
    begin: async (
      connection: SamlConnection,
      { returnTo }: LoginRequest,
      attempt: LoginAttempt,
    ): Promise<StartedLogin> => {
      attempt.learn({ protocol: 'saml', orgId: connection.orgId });
      const handle = randomBytes(32).toString('base64url');
      let request: { url: string; requestId: string };
      try {
        request = await saml.authnRequest(samlConfigOf(connection), handle);
      } catch (error) {
        const reason = isAppError(error) ? error.code : 'saml_request_failed';
        return attempt.fail(
          reason,
          'This sign-in option is not available right now. Try again shortly.',
          error,
        );
      }
      const binding = await transactions.begin({
        connectionId: connection.id,
        orgId: connection.orgId,
        protocol: 'saml',
        state: handle,
        nonce: null,
        codeVerifier: null,
        samlRequestId: request.requestId,
        returnTo,
        startedAtMs: clock.nowMs(),
      });
      await ephemeral.put(requestKey(request.requestId), handle, LOGIN_TRANSACTION_TTL_MS);
      await audit.append({
        type: 'auth.login.started',
        orgId: connection.orgId,
        actor: { type: 'user', id: null },
        target: { type: 'connection', id: connection.id },
        context: attempt.context,
        data: { protocol: 'saml' },
      });
      return { redirectUrl: request.url, binding };
    },

    /** In the browser: the transaction binding, then identity checks, JIT and the session. */
    complete: async ({ handle, binding }, attempt): Promise<CompletedLogin> => {
      const raw = handle ? await ephemeral.take(acceptedKey(handle)) : null;
      if (!raw) {
        return attempt.fail(
          'transaction_not_found',
          'This sign-in has expired or was already used. Start again.',
        );
      }
      const accepted = JSON.parse(raw) as AcceptedSamlLogin;
      attempt.learn({ orgId: accepted.orgId });
      let returnTo = DEFAULT_RETURN_TARGET;
      let startedAtMs = accepted.acceptedAtMs;
      if (accepted.solicited) {
        const found = await transactions.complete(accepted.solicited.handle, binding);
        if (!found.ok) {
          return found.reason === 'missing'
            ? attempt.fail(
                'transaction_not_found',
                'This sign-in has expired or was already used. Start again.',
              )
            : attempt.fail(
                'transaction_foreign_browser',
                'This sign-in was started in another browser. Start again here.',
              );
        }
        const { tx } = found;
        if (
          tx.protocol !== 'saml' ||
          tx.connectionId !== accepted.connectionId ||
          tx.samlRequestId !== accepted.solicited.requestId
        ) {
          return attempt
            .learn({ startedAtMs: tx.startedAtMs })
            .fail(
              'transaction_not_found',
              'This sign-in has expired or was already used. Start again.',
            );
        }
        returnTo = tx.returnTo;
        startedAtMs = tx.startedAtMs;
      }
      const connection = await connections.getConnectionForLogin(accepted.connectionId);
      if (connection?.type !== 'saml' || connection.status === 'disabled')
        return unavailable(attempt);

      const identity: MappedIdentity = {
        ...accepted.identity,
        emailVerified: await samlEmailVerified(
          accepted.identity.email,
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
          },
          identity,
          amr: ['fed'],
          upstreamSessionId: accepted.sessionIndex,
          upstreamSessionEndsAtMs: accepted.sessionNotOnOrAfterMs ?? null,
          upstreamSubject: accepted.nameId,
          returnTo,
          startedAtMs,
        },
        attempt,
      );
    },
  };

  return {
    ...protocol,

    /** The ACS: checks the response; returns the one-time handle to complete the login with. */
    acceptResponse: async (
      connectionId: string,
      message: { samlResponse: string; relayState: string | null },
      attempt: LoginAttempt,
    ): Promise<{ handle: string }> => {
      const connection = await connections.getConnectionForLogin(connectionId);
      attempt.learn({ protocol: 'saml', orgId: connection?.orgId ?? null });
      if (connection?.type !== 'saml' || connection.status === 'disabled')
        return unavailable(attempt);
      let verified;
      try {
        verified = await saml.consumeResponse(samlConfigOf(connection), message, {
          nowMs: clock.nowMs(),
          skewMs: deps.clockSkewSeconds * 1000,
          consumeRequest,
          claimAssertion: (key, ttlMs) =>
            ephemeral.claim(`saml-assertion:${sha256Hex(key)}`, ttlMs),
        });
      } catch (error) {
        if (!isAppError(error)) throw error;
        return attempt.fail(
          error.code,
          error instanceof AcsRefusal
            ? error.message
            : 'Your company sign-in could not be verified.',
          error,
        );
      }
      // A draft connection is tried only through a login its admin starts at Latchkey.
      if (!verified.solicited && connection.status !== 'active') return unavailable(attempt);

      const handle = randomBytes(32).toString('base64url');
      const accepted: AcceptedSamlLogin = {
        connectionId: connection.id,
        orgId: connection.orgId,
        solicited: verified.solicited,
        identity: mapSamlAssertion(verified, connection.settings),
        sessionIndex: verified.sessionIndex,
        sessionNotOnOrAfterMs: verified.sessionNotOnOrAfterMs,
        nameId: verified.nameId,
        acceptedAtMs: clock.nowMs(),
      };
      // An IdP-initiated sign-in waits for the person to confirm it (a page to read).
      await ephemeral.put(
        acceptedKey(handle),
        JSON.stringify(accepted),
        accepted.solicited ? SAML_ACCEPTED_TTL_MS : SAML_UNSOLICITED_ACCEPTED_TTL_MS,
      );
      return { handle };
    },

    /**
     * What an accepted response that is still waiting for its browser would sign in, or
     * null: whether the IdP sent it unsolicited, and the email it names.
     */
    pending: async (handle: string): Promise<{ unsolicited: boolean; email: string } | null> => {
      const raw = handle ? await ephemeral.get(acceptedKey(handle)) : null;
      if (!raw) return null;
      const accepted = JSON.parse(raw) as AcceptedSamlLogin;
      return { unsolicited: accepted.solicited === null, email: accepted.identity.email };
    },

    /** The SP metadata of a SAML connection (any status but disabled), or null. */
    metadata: async (connectionId: string): Promise<string | null> => {
      const connection = await connections.getConnectionForLogin(connectionId);
      if (connection?.type !== 'saml' || connection.status === 'disabled') return null;
      return saml.metadata(samlConfigOf(connection));
    },
  };
}

export type SamlLogin = ReturnType<typeof createSamlLogin>;
