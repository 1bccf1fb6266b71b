import { randomBytes } from 'node:crypto';
import type { ConnectionService, SamlConnection } from '../connections/index.js';
import type { Clock } from '../platform/clock.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import { foundTransaction, type LoginAttempt } from './login-attempt.js';
import { finishMapped, type CompletedLogin, type LoginCompletion } from './login-completion.js';
import type { LoginTransactions } from './login-transaction.js';
import { DEFAULT_RETURN_TARGET } from './return-target.js';
import type { SamlServiceProvider } from './saml/saml-service-provider.js';
import {
  createSamlAcceptance,
  rememberRequest,
  samlAcceptedKey,
  samlConfigOf,
  type AcceptedSamlLogin,
} from './saml-acceptance.js';
import { samlEmailVerified } from './saml-identity.js';
import { connectionAssurance, valuesToRequest, type AssuranceLevel } from './assurance.js';

export { samlConfigOf } from './saml-acceptance.js';
import { upstreamRequest, type UpstreamProtocol } from './upstream-protocol.js';

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
export function createSamlLogin(deps: {
  connections: ConnectionService;
  transactions: LoginTransactions;
  ephemeral: EphemeralStore;
  saml: SamlServiceProvider;
  completion: LoginCompletion;
  clock: Clock;
  clockSkewSeconds: number;
}) {
  const { connections, transactions, ephemeral, saml, completion, clock } = deps;
  const acceptance = createSamlAcceptance(deps);
  const unavailable = (attempt: LoginAttempt) =>
    attempt.fail('connection_unavailable', 'This sign-in option is no longer available.');

  const protocol: UpstreamProtocol<SamlConnection, { handle: string; binding: string | null }> = {
    protocol: 'saml',

    /** The AuthnRequest (HTTP-Redirect); no login hint: the IdPs agree on no place for it. */
    begin: async (connection, { returnTo, assurance, test, reauthenticate }, attempt) => {
      attempt.learn({ protocol: 'saml', orgId: connection.orgId });
      const handle = randomBytes(32).toString('base64url');
      const request = await upstreamRequest(
        attempt,
        () =>
          saml.authnRequest(
            samlConfigOf(connection),
            handle,
            requestedContextOf(connection, assurance),
            reauthenticate === true,
          ),
        {
          fallback: 'saml_request_failed',
          message: 'This sign-in option is not available right now. Try again shortly.',
        },
      );
      const startedAtMs = clock.nowMs();
      const transactionCookie = await transactions.begin({
        connectionId: connection.id,
        orgId: connection.orgId,
        protocol: 'saml',
        state: handle,
        nonce: null,
        codeVerifier: null,
        samlRequestId: request.requestId,
        returnTo,
        startedAtMs,
        assurance: assurance ?? null,
        test: test ?? null,
      });
      await rememberRequest(ephemeral, request.requestId, handle, reauthenticate && startedAtMs);
      return { redirectUrl: request.url, transactionCookie };
    },

    /** In the browser: the transaction binding, then identity checks, JIT and the session. */
    complete: async ({ handle, binding }, attempt): Promise<CompletedLogin> => {
      const raw = handle ? await ephemeral.take(samlAcceptedKey(handle)) : null;
      if (!raw) {
        return attempt.fail(
          'transaction_not_found',
          'This sign-in has expired or was already used. Start again.',
        );
      }
      const accepted = JSON.parse(raw) as AcceptedSamlLogin;
      attempt.learn({ orgId: accepted.orgId });
      const { returnTo, startedAtMs, asked } = await solicitedBy(
        transactions,
        accepted,
        binding,
        attempt,
      );
      const connection = await connections.getConnectionForLogin(accepted.connectionId);
      if (connection?.type !== 'saml' || connection.status === 'disabled')
        return unavailable(attempt);

      return finishMapped(
        completion,
        connection,
        {
          identity: accepted.identity,
          emailVerified: (identity, orgId, orgOfEmailDomain) =>
            samlEmailVerified(identity.email, orgId, orgOfEmailDomain),
        },
        {
          proof: {
            contexts: accepted.authnContext?.classRefs ?? [],
            methods: [],
            authorities: accepted.authnContext?.authorities ?? [],
          },
          asked,
          upstreamSessionId: accepted.sessionIndex,
          upstreamSessionEndsAtMs: accepted.sessionNotOnOrAfterMs ?? null,
          upstreamSubject: accepted.nameId,
          returnTo,
          startedAtMs,
          received: {
            values: accepted.received?.attributes ?? {},
            groups:
              accepted.received?.attributes[connection.settings.attributeMapping.groups] ?? [],
            nameIdFormat: accepted.received?.nameIdFormat ?? null,
          },
        },
        attempt,
      );
    },
  };

  return {
    ...protocol,
    ...acceptance,

    /** The SP metadata of a SAML connection (any status but disabled), or null. */
    metadata: async (connectionId: string): Promise<string | null> => {
      const connection = await connections.getConnectionForLogin(connectionId);
      if (connection?.type !== 'saml' || connection.status === 'disabled') return null;
      return saml.metadata(samlConfigOf(connection));
    },
  };
}

/**
 * Where a solicited login returns and when it started: its transaction must belong to
 * this browser (login CSRF) and be the one of the AuthnRequest the response answered.
 * An IdP-initiated login returns to the default target, timed from its acceptance.
 */
async function solicitedBy(
  transactions: LoginTransactions,
  accepted: AcceptedSamlLogin,
  binding: string | null,
  attempt: LoginAttempt,
): Promise<{ returnTo: string; startedAtMs: number; asked: AssuranceLevel | null }> {
  if (!accepted.solicited)
    return { returnTo: DEFAULT_RETURN_TARGET, startedAtMs: accepted.acceptedAtMs, asked: null };
  const expired = 'This sign-in has expired or was already used. Start again.';
  const found = await transactions.complete(accepted.solicited.handle, binding);
  if (!found.ok) {
    return found.reason === 'missing'
      ? attempt.fail('transaction_not_found', expired)
      : attempt.fail(
          'transaction_foreign_browser',
          'This sign-in was started in another browser. Start again here.',
        );
  }
  const { tx } = found;
  attempt.learn(foundTransaction(tx));
  if (
    tx.protocol !== 'saml' ||
    tx.connectionId !== accepted.connectionId ||
    tx.samlRequestId !== accepted.solicited.requestId
  ) {
    return attempt.fail('transaction_not_found', expired);
  }
  return { returnTo: tx.returnTo, startedAtMs: tx.startedAtMs, asked: tx.assurance ?? null };
}

export type SamlLogin = ReturnType<typeof createSamlLogin>;

/** What to ask the IdP for in RequestedAuthnContext so that a level is proven, or null. */
function requestedContextOf(connection: SamlConnection, level: AssuranceLevel | null | undefined) {
  const { request } = connectionAssurance(connection.settings);
  const classRefs = valuesToRequest(request, level ?? null);
  return classRefs.length ? { classRefs, comparison: request.comparison ?? 'minimum' } : null;
}
