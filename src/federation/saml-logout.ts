import { randomBytes } from 'node:crypto';
import type { AuditLog, RequestContext } from '../audit/index.js';
import type { ConnectionService } from '../connections/index.js';
import type { Clock } from '../platform/clock.js';
import { sha256Hex } from '../platform/crypto/index.js';
import { isAppError, type AppError } from '../platform/errors.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import { userSessionEvent, type SessionService, type StoredSession } from '../sessions/index.js';
import type { IncomingLogoutMessage, VerifiedLogoutMessage } from './saml/logout-messages.js';
import { LogoutRefusal } from './saml/saml-refusals.js';
import type { SamlServiceProvider } from './saml/saml-service-provider.js';
import { samlConfigOf } from './saml-login.js';

/** How long Latchkey waits for the IdP's LogoutResponse to its LogoutRequest. */
export const SAML_LOGOUT_PENDING_TTL_MS = 10 * 60_000;
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

interface PendingLogout {
  connectionId: string;
  orgId: string;
  /** Where the browser goes once the IdP answers (a checked post-logout redirect), or null. */
  then: string | null;
}

export type ReceivedLogout =
  /** The IdP's LogoutRequest was honoured; the browser goes back with the LogoutResponse. */
  | { kind: 'request'; ended: number; redirect: string | null }
  /** The IdP answered Latchkey's LogoutRequest; the browser continues to `then`. */
  | { kind: 'response'; then: string | null };

interface SamlLogoutDeps {
  connections: ConnectionService;
  sessions: SessionService;
  ephemeral: EphemeralStore;
  saml: SamlServiceProvider;
  audit: AuditLog;
  clock: Clock;
  clockSkewSeconds: number;
}

const pendingKey = (requestId: string) => `saml-logout:${sha256Hex(requestId)}`;
const seenKey = (issuer: string, id: string) => `saml-logout-seen:${sha256Hex(`${issuer}\0${id}`)}`;

async function fail(
  { audit }: SamlLogoutDeps,
  reason: string,
  orgId: string | null,
  connectionId: string,
  context: RequestContext,
  cause?: AppError,
): Promise<never> {
  await audit.append({
    type: 'auth.logout.failed',
    orgId,
    actor: { type: 'user', id: null },
    target: { type: 'connection', id: connectionId },
    outcome: 'failure',
    reason,
    context,
    data: { protocol: 'saml' },
  });
  throw cause ?? new LogoutRefusal(reason);
}

async function samlConnection({ connections }: SamlLogoutDeps, connectionId: string) {
  const connection = await connections.getConnectionForLogin(connectionId);
  return connection?.type === 'saml' && connection.status !== 'disabled' ? connection : null;
}

/** SP-initiated Single Logout (see SamlLogout.begin). */
async function beginLogout(
  deps: SamlLogoutDeps,
  session: StoredSession,
  then: string | null,
  context: RequestContext,
): Promise<string | null> {
  const { ephemeral, saml, audit } = deps;
  if (!session.connectionId || !session.upstreamSubject) return null;
  const connection = await samlConnection(deps, session.connectionId);
  if (!connection) return null;
  const request = await saml.logoutRequest(
    samlConfigOf(connection),
    { nameId: session.upstreamSubject, sessionIndex: session.upstreamSessionId },
    randomBytes(16).toString('base64url'),
  );
  if (!request) return null;
  const pending: PendingLogout = {
    connectionId: connection.id,
    orgId: connection.orgId,
    then,
  };
  await ephemeral.put(
    pendingKey(request.requestId),
    JSON.stringify(pending),
    SAML_LOGOUT_PENDING_TTL_MS,
  );
  const { id, userId } = session;
  await audit.append(
    userSessionEvent('auth.logout.started', { id, userId, orgId: connection.orgId }, context, {
      protocol: 'saml',
      connection_id: connection.id,
    }),
  );
  return request.url;
}

/** The IdP's LogoutResponse: it must answer a pending LogoutRequest of this connection. */
async function receiveResponse(
  deps: SamlLogoutDeps,
  verified: VerifiedLogoutMessage,
  orgId: string,
  connectionId: string,
  context: RequestContext,
): Promise<ReceivedLogout> {
  const { ephemeral, audit } = deps;
  const raw = verified.inResponseTo
    ? await ephemeral.take(pendingKey(verified.inResponseTo))
    : null;
  const pending = raw ? (JSON.parse(raw) as PendingLogout) : null;
  if (pending?.connectionId !== connectionId)
    return fail(deps, 'saml_in_response_to_unknown', orgId, connectionId, context);
  const ok = verified.status === SUCCESS;
  await audit.append({
    type: ok ? 'auth.logout.succeeded' : 'auth.logout.failed',
    orgId,
    actor: { type: 'user', id: null },
    target: { type: 'connection', id: connectionId },
    ...(ok ? {} : { outcome: 'failure' as const, reason: 'saml_status_not_success' }),
    context,
    data: { protocol: 'saml', initiated_by: 'sp' },
  });
  // Latchkey's own sessions ended before the browser left; the IdP's answer only
  // says whether it signed the user out too.
  return { kind: 'response', then: pending.then };
}

/**
 * SAML Single Logout at Latchkey's SLO URL (`<issuer>/saml/<connectionId>/slo`), both ways:
 *
 * - IdP-initiated: the IdP's LogoutRequest is checked (saml/logout-messages.ts: signed by
 *   a metadata certificate, addressed here, in time) and not seen before; the sessions of
 *   that connection carrying its NameID (and SessionIndex, when named) end as
 *   `upstream_logout` — revocation, tombstones and back-channel logout as for any end —
 *   and the browser goes back to the IdP with a signed LogoutResponse.
 * - SP-initiated: when a user signs out of a session that came from a SAML connection
 *   with an SLO URL, the browser is sent to the IdP with a signed LogoutRequest; the IdP's
 *   signed LogoutResponse must answer that pending request (InResponseTo, used once).
 *
 * Every refusal is audited as auth.logout.failed with its reason code and ends nothing.
 */
export function createSamlLogout(deps: SamlLogoutDeps) {
  const { sessions, ephemeral, saml, audit, clock } = deps;

  return {
    /**
     * SP-initiated: the URL of the IdP's SLO endpoint with a signed LogoutRequest for this
     * session's NameID and SessionIndex; null when the session did not come from a SAML
     * connection, or the connection has no SLO URL. Call it before ending the session.
     */
    begin: (session: StoredSession, then: string | null, context: RequestContext) =>
      beginLogout(deps, session, then, context),

    /** A logout message from the IdP at the SLO URL (either binding, either kind). */
    async receive(
      connectionId: string,
      message: IncomingLogoutMessage,
      context: RequestContext,
    ): Promise<ReceivedLogout> {
      const connection = await samlConnection(deps, connectionId);
      if (!connection) return fail(deps, 'connection_unavailable', null, connectionId, context);
      const config = samlConfigOf(connection);
      const orgId = connection.orgId;
      const nowMs = clock.nowMs();
      let verified;
      try {
        verified = await saml.consumeLogoutMessage(config, message, {
          nowMs,
          skewMs: deps.clockSkewSeconds * 1000,
        });
      } catch (error) {
        if (!isAppError(error)) throw error;
        return fail(deps, error.code, orgId, connectionId, context, error);
      }

      if (verified.kind === 'LogoutResponse')
        return receiveResponse(deps, verified, orgId, connectionId, context);

      const ttlMs = Math.max(1000, verified.notOnOrAfterMs - nowMs);
      if (!(await ephemeral.claim(seenKey(verified.issuer, verified.id), ttlMs)))
        return fail(deps, 'saml_logout_replayed', orgId, connectionId, context);
      const ended = await sessions.endForUpstreamSubject(
        orgId,
        {
          connectionId,
          upstreamSubject: verified.nameId!,
          upstreamSessionIds: verified.sessionIndexes.length ? verified.sessionIndexes : null,
        },
        'upstream_logout',
        context,
      );
      await audit.append({
        type: 'auth.logout.succeeded',
        orgId,
        actor: { type: 'user', id: null },
        target: { type: 'connection', id: connectionId },
        context,
        data: { protocol: 'saml', initiated_by: 'idp', sessions_ended: ended.length },
      });
      return {
        kind: 'request',
        ended: ended.length,
        redirect: await saml.logoutResponse(config, verified.id, verified.relayState),
      };
    },
  };
}

export type SamlLogout = ReturnType<typeof createSamlLogout>;
