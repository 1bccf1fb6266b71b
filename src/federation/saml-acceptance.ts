import { randomBytes } from 'node:crypto';
import type { ConnectionService, SamlConnection } from '../connections/index.js';
import type { Clock } from '../platform/clock.js';
import { sha256Hex } from '../platform/crypto/index.js';
import { isAppError } from '../platform/errors.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { MappedIdentity } from './identity-checks.js';
import { foundTransaction, type LoginAttempt } from './login-attempt.js';
import { LOGIN_TRANSACTION_TTL_MS, type LoginTransactions } from './login-transaction.js';
import { AcsRefusal } from './saml/saml-refusals.js';
import type { SamlConnectionConfig } from './saml/saml-entities.js';
import type { SamlServiceProvider } from './saml/saml-service-provider.js';
import { mapSamlAssertion } from './saml-identity.js';

/*
 * The SAML login's middle step (saml-login.ts has the whole flow): the ACS, where the
 * IdP's page posts the Response cross-site. The ordered checks of saml/acs-checks.ts run
 * here; what they established is kept under a fresh one-time handle, which the browser
 * brings to the GET that completes the login (the one that carries the cookie).
 */

/** How long an accepted response waits for its browser. */
export const SAML_ACCEPTED_TTL_MS = 60_000;
/** An IdP-initiated sign-in's handle: the person confirms on a page first. */
export const SAML_UNSOLICITED_ACCEPTED_TTL_MS = 5 * 60_000;

export interface AcceptedSamlLogin {
  connectionId: string;
  orgId: string;
  /** The AuthnRequest answered and its transaction handle; null for an IdP-initiated login. */
  solicited: { requestId: string; handle: string } | null;
  identity: Omit<MappedIdentity, 'emailVerified'>;
  sessionIndex: string | null;
  /** When the IdP says the sign-in ends (SessionNotOnOrAfter), or null. */
  sessionNotOnOrAfterMs: number | null;
  /** What the AuthnStatements say of how the person signed in (absent before it was kept). */
  authnContext?: { classRefs: string[]; authorities: string[] };
  /** The NameID, which the IdP's LogoutRequest names (not necessarily the identity subject). */
  nameId: string | null;
  acceptedAtMs: number;
  /** The attributes and NameID format as sent, for a test sign-in's report. */
  received?: { attributes: Record<string, string[]>; nameIdFormat: string | null };
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

export const samlRequestKey = (id: string) => `saml-request:${sha256Hex(id)}`;

/**
 * Remembers a pending AuthnRequest (under samlRequestKey, answered once): its transaction
 * handle, and when it was sent with ForceAuthn="true" (the ACS's checkAuthnInstant
 * measures from it; false or undefined: nothing was forced). A plain handle (a request
 * that forced nothing, or one kept before this was) still reads.
 */
export function rememberRequest(
  ephemeral: EphemeralStore,
  requestId: string,
  handle: string,
  forceAuthnAtMs: number | false | undefined,
): Promise<void> {
  const value =
    typeof forceAuthnAtMs === 'number' ? JSON.stringify({ handle, forceAuthnAtMs }) : handle;
  return ephemeral.put(samlRequestKey(requestId), value, LOGIN_TRANSACTION_TTL_MS);
}

function readPendingRequest(value: string): { handle: string; forceAuthnAtMs: number | null } {
  if (!value.startsWith('{')) return { handle: value, forceAuthnAtMs: null };
  const { handle, forceAuthnAtMs } = JSON.parse(value) as {
    handle: string;
    forceAuthnAtMs: number;
  };
  return { handle, forceAuthnAtMs };
}
export const samlAcceptedKey = (handle: string) => `saml-accepted:${sha256Hex(handle)}`;
const requestUsedKey = (id: string) => `saml-request-used:${sha256Hex(id)}`;

export function createSamlAcceptance(deps: {
  connections: ConnectionService;
  ephemeral: EphemeralStore;
  transactions: LoginTransactions;
  saml: SamlServiceProvider;
  clock: Clock;
  clockSkewSeconds: number;
}) {
  const { connections, ephemeral, transactions, saml, clock } = deps;
  const requestKey = samlRequestKey;
  const acceptedKey = samlAcceptedKey;

  /** Pending AuthnRequest ids: each is answered at most once. */
  const consumeRequest = async (
    requestId: string,
  ): Promise<
    | { ok: true; handle: string; forceAuthnAtMs: number | null }
    | { ok: false; reason: 'unknown' | 'reused' }
  > => {
    const pending = await ephemeral.take(requestKey(requestId));
    if (pending) {
      // Remembered only to name a second answer to the same request for what it is.
      await ephemeral.claim(requestUsedKey(requestId), LOGIN_TRANSACTION_TTL_MS);
      return { ok: true, ...readPendingRequest(pending) };
    }
    const used = await ephemeral.get(requestUsedKey(requestId));
    return { ok: false, reason: used ? 'reused' : 'unknown' };
  };

  const unavailable = (attempt: LoginAttempt) =>
    attempt.fail('connection_unavailable', 'This sign-in option is no longer available.');

  return {
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
      // The login transaction of the AuthnRequest this (signed) response answers, once the
      // checks matched it: refused after that, the login cannot complete.
      let answered: string | null = null;
      try {
        verified = await saml.consumeResponse(samlConfigOf(connection), message, {
          nowMs: clock.nowMs(),
          skewMs: deps.clockSkewSeconds * 1000,
          consumeRequest: async (requestId) => {
            const pending = await consumeRequest(requestId);
            if (pending.ok) answered = pending.handle;
            return pending;
          },
          claimAssertion: (key, ttlMs) =>
            ephemeral.claim(`saml-assertion:${sha256Hex(key)}`, ttlMs),
        });
      } catch (error) {
        if (!isAppError(error)) throw error;
        const tx =
          answered === null
            ? await testNamedBy(transactions, message.relayState, connection.id)
            : await transactions.discard(answered);
        if (tx) attempt.learn(foundTransaction(tx));
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
        authnContext: verified.authnContext,
        nameId: verified.nameId,
        acceptedAtMs: clock.nowMs(),
        received: { attributes: verified.attributes, nameIdFormat: verified.nameIdFormat },
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
  };
}

/**
 * The test sign-in a refused response's RelayState names at this connection, taken: a
 * response that failed before it matched its request (a bad signature, say) still ends
 * the admin's test with its reason, shown on the test's report rather than lost. Only a
 * test's transaction is taken so; a sign-in's is left to expire as before.
 */
async function testNamedBy(
  transactions: LoginTransactions,
  relayState: string | null,
  connectionId: string,
) {
  if (!relayState) return null;
  const tx = await transactions.peek(relayState);
  if (!tx?.test || tx.connectionId !== connectionId) return null;
  return transactions.discard(relayState);
}
