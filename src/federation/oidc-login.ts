import { randomBytes } from 'node:crypto';
import type { ConnectionService, OidcConnection } from '../connections/index.js';
import type { Clock } from '../platform/clock.js';
import { connectionAssurance, valuesToRequest, type UpstreamProof } from './assurance.js';
import { mapOidcClaims, oidcEmailVerified } from './identity-checks.js';
import { foundTransaction } from './login-attempt.js';
import { finishMapped, type CompletedLogin, type LoginCompletion } from './login-completion.js';
import type { LoginTransactions } from './login-transaction.js';
import {
  OidcCallbackRefusal,
  runOidcCallbackChecks,
  upstreamConnectionOf,
  type OidcCallback,
  type OidcCallbackContext,
  type OidcCallbackState,
} from './oidc/callback-checks.js';
import type { createOidcUpstream } from './oidc/oidc-upstream.js';
import { upstreamRequest, type UpstreamProtocol } from './upstream-protocol.js';

export type { OidcCallback } from './oidc/callback-checks.js';

/**
 * Browser SSO through an org's OpenID Provider (authorization code flow with PKCE S256,
 * state and nonce; openid-client as the relying party, in oidc/oidc-upstream.ts):
 *
 * 1. begin: the authorization request; the login transaction (state, nonce, PKCE
 *    verifier, return target) is kept server-side and bound to the browser by the
 *    HttpOnly transaction cookie.
 * 2. complete (the callback, on the connection's own redirect URI): the ordered checks of
 *    oidc/callback-checks.ts, then the claims mapped to an identity and the shared
 *    completion (identity checks, provisioning, a new session).
 */
export function createOidcLogin(deps: {
  connections: ConnectionService;
  transactions: LoginTransactions;
  oidc: ReturnType<typeof createOidcUpstream>;
  completion: LoginCompletion;
  clock: Clock;
}): UpstreamProtocol<OidcConnection & { clientSecret: string | null }, OidcCallback> {
  const { connections, transactions, oidc, completion, clock } = deps;
  const checks: OidcCallbackContext = {
    takeTransaction: (state, binding) => transactions.complete(state, binding),
    connectionForLogin: (connectionId) => connections.getConnectionForLogin(connectionId),
    exchangeCode: (connection, url, expected) => oidc.complete(connection, url, expected),
    clockToleranceSeconds: oidc.clockToleranceSeconds,
  };

  return {
    protocol: 'oidc',

    async begin(connection, request, attempt) {
      attempt.learn({ protocol: 'oidc', orgId: connection.orgId });
      if (!connection.clientSecret) {
        return attempt.fail('protocol_unavailable', 'This sign-in option is not available yet.');
      }
      const state = randomBytes(32).toString('base64url');
      const nonce = randomBytes(32).toString('base64url');
      const codeVerifier = randomBytes(48).toString('base64url');
      const { clientSecret } = connection;
      const redirectUrl = await upstreamRequest(
        attempt,
        () =>
          oidc.authorizationUrl(upstreamConnectionOf({ ...connection, clientSecret }), {
            state,
            nonce,
            codeVerifier,
            loginHint: request.loginHint,
            maxAgeSeconds: request.reauthenticate ? 0 : null,
            acrValues: valuesToRequest(
              connectionAssurance(connection.settings).request,
              request.assurance ?? null,
            ),
          }),
        {
          fallback: 'idp_unreachable',
          message: 'Your company sign-in service could not be reached. Try again shortly.',
        },
      );
      const transactionCookie = await transactions.begin({
        connectionId: connection.id,
        orgId: connection.orgId,
        protocol: 'oidc',
        state,
        nonce,
        codeVerifier,
        returnTo: request.returnTo,
        startedAtMs: clock.nowMs(),
        assurance: request.assurance ?? null,
        upstreamMaxAgeSeconds: request.reauthenticate ? 0 : null,
        test: request.test ?? null,
      });
      return { redirectUrl, transactionCookie };
    },

    async complete(callback, attempt): Promise<CompletedLogin> {
      attempt.learn({ protocol: 'oidc' });
      const state: OidcCallbackState = {};
      let checked;
      try {
        checked = await runOidcCallbackChecks(callback, checks, state);
      } catch (error) {
        if (!(error instanceof OidcCallbackRefusal)) throw error;
        // Once the transaction is found, the failure is the org's, its duration counts and
        // its begin is audited.
        if (state.tx) attempt.learn({ orgId: state.tx.orgId, ...foundTransaction(state.tx) });
        return attempt.fail(error.code, error.message, error.cause);
      }
      const { tx, connection, upstream } = checked;
      attempt.learn({ orgId: tx.orgId, ...foundTransaction(tx) });
      const mapped = mapOidcClaims(
        upstream.claims,
        connection.settings.claimMapping,
        connection.settings.roleMapping,
      );
      return finishMapped(
        completion,
        connection,
        { identity: mapped, emailVerified: oidcEmailVerified },
        {
          proof: oidcProof(upstream.claims),
          asked: tx.assurance ?? null,
          upstreamSessionId: upstream.sid,
          returnTo: tx.returnTo,
          startedAtMs: tx.startedAtMs,
          received: {
            values: upstream.claims,
            groups: textsOf(upstream.claims[connection.settings.claimMapping.groups]),
            nameIdFormat: null,
          },
        },
        attempt,
      );
    },
  };
}

/** What an ID token says of the sign-in: its `acr` and `amr` (OIDC Core §2), as asserted. */
export function oidcProof(claims: Record<string, unknown>): UpstreamProof {
  const { acr, amr } = claims;
  return {
    contexts: typeof acr === 'string' ? [acr] : [],
    methods: Array.isArray(amr) ? amr.filter((m): m is string => typeof m === 'string') : [],
  };
}

/** The strings of a claim that should be an array of them (the groups claim). */
const textsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
