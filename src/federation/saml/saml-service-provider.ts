import { parseSamlTime } from './saml-time.js';
import { spEndpoints } from '../../connections/index.js';
import type { AcsContext, AcsMessage, runAcsChecks } from './acs-checks.js';
import {
  buildEntities,
  BINDING,
  type ConnectionEntities,
  type SamlConnectionConfig,
  type SpEndpoints,
} from './saml-entities.js';
import {
  withRequestedAuthnContext,
  type RequestedAuthnContext,
} from './requested-authn-context.js';
import { loadSamlEngine } from './load-saml-engine.js';
import { withoutConsole } from './without-console.js';
import type { SpKeys, SpKeySource } from './sp-keys.js';
import type { IncomingLogoutMessage, VerifiedLogoutMessage } from './logout-messages.js';

/**
 * Latchkey as the SAML 2.0 service provider of each SAML connection: the AuthnRequest
 * (HTTP-Redirect, signed with RSA-SHA256 when the connection says so), the SP metadata,
 * and the ACS checks. This module and its siblings are the only importers of samlify and
 * libxml2-wasm; the rest of Latchkey sees plain values.
 */
export interface VerifiedSamlAssertion {
  nameId: string | null;
  nameIdFormat: string | null;
  /** Attribute name → values, as read from the verified assertion element. */
  attributes: Record<string, string[]>;
  /** The IdP's SessionIndex, for Single Logout. */
  sessionIndex: string | null;
  /**
   * The earliest SessionNotOnOrAfter of the AuthnStatements (ms since the epoch): when
   * the IdP says the sign-in ends (Profiles §4.1.4.3); null when it does not say.
   */
  sessionNotOnOrAfterMs: number | null;
  /** Every AuthnStatement's AuthnContextClassRef and AuthenticatingAuthority values. */
  authnContext: { classRefs: string[]; authorities: string[] };
  /** The AuthnRequest this answers, with its transaction handle; null when unsolicited. */
  solicited: { requestId: string; handle: string } | null;
}

/** The earliest of these times (checked by the ACS as parseable), or null. */
const earliest = (values: Array<string | null>): number | null => {
  const times = values
    .filter((v): v is string => v !== null)
    .map(parseSamlTime)
    .filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
};

export type AcsDependencies = Pick<
  AcsContext,
  'nowMs' | 'skewMs' | 'consumeRequest' | 'claimAssertion'
>;

/** What the ACS checks found, as the plain values the rest of Latchkey sees. */
function verifiedAssertionOf(
  state: Awaited<ReturnType<typeof runAcsChecks>>,
): VerifiedSamlAssertion {
  const assertion = state.assertion!;
  return {
    nameId: assertion.nameId,
    nameIdFormat: assertion.nameIdFormat,
    attributes: assertion.attributes,
    sessionIndex: assertion.authnStatements[0]?.sessionIndex ?? null,
    sessionNotOnOrAfterMs: earliest(assertion.authnStatements.map((s) => s.sessionNotOnOrAfter)),
    solicited: state.solicited ?? null,
    authnContext: {
      classRefs: assertion.authnStatements
        .map((s) => s.classRef)
        .filter((v): v is string => v !== null),
      authorities: assertion.authnStatements.flatMap((s) => s.authorities),
    },
  };
}

/** A LogoutRequest (HTTP-Redirect) naming the NameID and SessionIndex: its URL and ID. */
function logoutRequestOf(
  { sp, idp }: ConnectionEntities,
  subject: { nameId: string; sessionIndex: string | null },
  relayState: string,
): { url: string; requestId: string } {
  const request = withoutConsole(() =>
    sp.createLogoutRequest(
      idp,
      'redirect',
      {
        logoutNameID: subject.nameId,
        ...(subject.sessionIndex ? { sessionIndex: subject.sessionIndex } : {}),
      },
      relayState,
    ),
  );
  return { url: request.context, requestId: request.id };
}

/** A LogoutResponse (HTTP-Redirect, Success) to the request named: its URL. */
function logoutResponseOf(
  { sp, idp }: ConnectionEntities,
  inResponseTo: string,
  relayState: string | null,
): string {
  const response = withoutConsole(() =>
    sp.createLogoutResponse(
      idp,
      { extract: { request: { id: inResponseTo } } },
      'redirect',
      relayState ?? '',
    ),
  );
  return response.context;
}

/** A connection's SP endpoints (entity id, ACS, SLO) under Latchkey's issuer. */
function endpointsUnder(issuer: string, connectionId: string): SpEndpoints {
  const sp = spEndpoints(issuer, connectionId);
  return { entityId: sp.entity_id, acsUrl: sp.acs_url, sloUrl: sp.slo_url };
}

export function createSamlServiceProvider(deps: { issuer: string; keys: SpKeySource }) {
  const cache = new Map<string, { version: number; keys: SpKeys; entities: ConnectionEntities }>();
  const endpointsOf = (connectionId: string) => endpointsUnder(deps.issuer, connectionId);

  /**
   * samlify's entities for a connection, rebuilt when it (or the SP key) changes. The SAML
   * engine is loaded first: it gives samlify its schema validator before samlify is used.
   */
  const entitiesOf = async (config: SamlConnectionConfig): Promise<ConnectionEntities> => {
    await loadSamlEngine();
    const keys = await deps.keys.get();
    const cached = cache.get(config.id);
    if (cached?.version === config.version && cached.keys === keys) return cached.entities;
    const entities = buildEntities(config, endpointsOf(config.id), keys);
    cache.set(config.id, { version: config.version, keys, entities });
    return entities;
  };

  return {
    endpointsOf,

    /**
     * The URL that sends the browser to the IdP with an AuthnRequest (HTTP-Redirect
     * binding), and the request's ID, which the response must name in InResponseTo.
     * RelayState is the opaque handle of the login transaction, never a URL. forceAuthn:
     * ForceAuthn="true" (SAML Core §3.4.1), when a fresh sign-in is needed.
     */
    async authnRequest(
      config: SamlConnectionConfig,
      relayState: string,
      requested?: RequestedAuthnContext | null,
      forceAuthn = false,
    ): Promise<{ url: string; requestId: string }> {
      const entities = await entitiesOf(config);
      const { sp, idp } = entities;
      const customTagReplacement = requested?.classRefs.length
        ? withRequestedAuthnContext(entities, requested, forceAuthn)
        : undefined;
      const request = withoutConsole(() =>
        sp.createLoginRequest(idp, 'redirect', {
          relayState,
          ...(customTagReplacement ? { customTagReplacement } : {}),
          ...(forceAuthn ? { forceAuthn: true } : {}),
        }),
      );
      return { url: request.context, requestId: request.id };
    },

    /** SP metadata: entity id, signing and encryption certificates, ACS (POST), SLO. */
    async metadata(config: SamlConnectionConfig): Promise<string> {
      const { sp } = await entitiesOf(config);
      return sp.getMetadata();
    },

    /** Runs the ACS checks; returns what the signed assertion says, or throws AcsRefusal. */
    async consumeResponse(
      config: SamlConnectionConfig & { allowIdpInitiated: boolean },
      message: AcsMessage,
      acs: AcsDependencies,
    ): Promise<VerifiedSamlAssertion> {
      const engine = await loadSamlEngine();
      const entities = await entitiesOf(config);
      const state = await engine.runAcsChecks(message, {
        ...acs,
        connection: config,
        endpoints: endpointsOf(config.id),
        entities,
      });
      return verifiedAssertionOf(state);
    },

    /**
     * Single Logout, SP-initiated: the URL that sends the browser to the IdP's SLO URL
     * with a LogoutRequest (HTTP-Redirect, signed with RSA-SHA256) naming the NameID and
     * SessionIndex, and the request's ID; null when the IdP has no SLO URL.
     */
    async logoutRequest(
      config: SamlConnectionConfig,
      subject: { nameId: string; sessionIndex: string | null },
      relayState: string,
    ): Promise<{ url: string; requestId: string } | null> {
      if (!config.idpSloUrl) return null;
      return logoutRequestOf(await entitiesOf(config), subject, relayState);
    },

    /**
     * Single Logout, IdP-initiated: the URL that sends the browser back to the IdP's SLO
     * URL with a signed LogoutResponse (Success) to the request named; null without one.
     */
    async logoutResponse(
      config: SamlConnectionConfig,
      inResponseTo: string,
      relayState: string | null,
    ): Promise<string | null> {
      if (!config.idpSloUrl) return null;
      return logoutResponseOf(await entitiesOf(config), inResponseTo, relayState);
    },

    /** Checks a logout message from the IdP (logout-messages.ts), or throws LogoutRefusal. */
    async consumeLogoutMessage(
      config: SamlConnectionConfig,
      message: IncomingLogoutMessage,
      at: { nowMs: number; skewMs: number },
    ): Promise<VerifiedLogoutMessage & { notOnOrAfterMs: number }> {
      const engine = await loadSamlEngine();
      const entities = await entitiesOf(config);
      return engine.checkLogoutMessage(message, {
        connection: config,
        endpoints: endpointsOf(config.id),
        entities,
        ...at,
      });
    },

    /** Forget a connection's entities (changed or removed). */
    forget(connectionId: string): void {
      cache.delete(connectionId);
    },
  };
}

export type SamlServiceProvider = ReturnType<typeof createSamlServiceProvider>;
export { BINDING };
